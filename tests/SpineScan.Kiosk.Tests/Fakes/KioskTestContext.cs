using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using SpineScan.Device.Operators;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Security;

namespace SpineScan.Kiosk.Tests.Fakes;

/// <summary>A bunit context with what the kiosk's components need: MudBlazor, the station call helper, a station and a signed-in operator.</summary>
internal static class KioskTestContext
{
    public static BunitContext Create(IScreeningStation station, TimeProvider? time = null) => Create(station, time, out _);

    /// <param name="sessionId">The signed-in operator's session, in the context's <see cref="OperatorSessions"/>.</param>
    public static BunitContext Create(IScreeningStation station, TimeProvider? time, out string sessionId)
    {
        // The components read the station on the thread pool; when `dotnet test` runs the other test assemblies on
        // the same two cores, bunit's default one-second wait for those renders was seen to run out.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        var context = new BunitContext();
        // The live view's frame and focus calls go to the browser; here they only need to be accepted.
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddLogging();
        context.Services.AddMudServices();
        context.Services.AddSingleton(time ?? TimeProvider.System);
        context.Services.AddSingleton(station);
        context.Services.AddScoped<StationCalls>();
        var sessions = new OperatorSessions(time ?? TimeProvider.System, Options.Create(new KioskOptions()));
        sessionId = sessions.Start();
        context.Services.AddSingleton(sessions);
        context.Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(sessionId));
        context.Services.AddSingleton<IOperatorSignIn>(new FakeOperatorSignIn());
        context.Services.AddScoped<OperatorCircuit>();
        return context;
    }
}
