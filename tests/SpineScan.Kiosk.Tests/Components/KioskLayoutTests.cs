using Bunit;
using Microsoft.AspNetCore.Components;
using SpineScan.Kiosk.Components.Layout;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Fakes;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class KioskLayoutTests
{
    [Fact]
    public async Task Body_FaultWhileRendering_ShowsAPlainMessageNotTheException()
    {
        await using var context = KioskTestContext.Create(new FakeScreeningStation());

        var cut = context.Render<KioskLayout>(p => p.Add(l => l.Body, builder =>
        {
            builder.OpenComponent<FaultyComponent>(0);
            builder.CloseComponent();
        }));

        var fault = cut.Find(".kiosk-fault");
        Assert.Contains(KioskText.English.UnexpectedProblem, fault.TextContent, StringComparison.Ordinal);
        Assert.Contains(KioskText.TraditionalChinese.UnexpectedProblem, fault.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(FaultyComponent.Detail, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", fault.TextContent, StringComparison.Ordinal);
    }

    private sealed class FaultyComponent : ComponentBase
    {
        public const string Detail = "Object reference not set in PositioningView.StopAsync()";

        protected override void OnInitialized() => throw new InvalidOperationException(Detail);
    }
}
