using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Operators;
using SpineScan.Kiosk.Components.Pages;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Security;
using SpineScan.Kiosk.Tests.Fakes;
using SpineScan.Testing;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class KioskLockTests
{
    [Fact]
    public async Task LockButton_EndsTheSessionAuditsItAndGoesToSignIn()
    {
        await using var context = KioskTestContext.Create(new FakeScreeningStation(), null, out var sessionId);
        var cut = context.Render<KioskPage>();
        cut.WaitForElement("#session-form");

        cut.Find("#lock-kiosk").Click();

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/signin", navigation.Uri, StringComparison.Ordinal));
        Assert.False(context.Services.GetRequiredService<OperatorSessions>().IsActive(sessionId));
        Assert.Equal(["locked by the operator"], ((FakeOperatorSignIn)context.Services.GetRequiredService<IOperatorSignIn>()).SignOuts);
    }

    [Fact]
    public async Task NoTapForTheIdleTime_LocksThePageAndAsksForThePassphrase()
    {
        var time = new ManualTimeProvider();
        await using var context = KioskTestContext.Create(new FakeScreeningStation(), time, out var sessionId);
        var cut = context.Render<KioskPage>();
        cut.WaitForElement("#session-form");
        var navigation = context.Services.GetRequiredService<NavigationManager>();

        // The page checks every few seconds: move the clock on in small steps, giving each check time to run.
        var idle = TimeSpan.Zero;
        while (!navigation.Uri.Contains("signin", StringComparison.Ordinal) && idle < TimeSpan.FromMinutes(12))
        {
            time.Advance(TimeSpan.FromSeconds(5));
            idle += TimeSpan.FromSeconds(5);
            await Task.Delay(25);
        }

        Assert.InRange(idle, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10.5));
        cut.WaitForAssertion(() => Assert.EndsWith("/signin?why=idle", navigation.Uri, StringComparison.Ordinal));
        Assert.Equal(KioskText.English.SignedOutIdle, cut.Find("#kiosk-locked").TextContent.Trim());
        Assert.False(context.Services.GetRequiredService<OperatorSessions>().IsActive(sessionId));
        Assert.Equal(["idle lock"], ((FakeOperatorSignIn)context.Services.GetRequiredService<IOperatorSignIn>()).SignOuts);
    }

    [Fact]
    public async Task SessionAlreadyEnded_ThePageShowsNothingOfTheDayAndGoesToSignIn()
    {
        await using var context = KioskTestContext.Create(new FakeScreeningStation(), null, out var sessionId);
        context.Services.GetRequiredService<OperatorSessions>().End(sessionId);

        var cut = context.Render<KioskPage>();

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/signin", navigation.Uri, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#session-form"));
    }
}
