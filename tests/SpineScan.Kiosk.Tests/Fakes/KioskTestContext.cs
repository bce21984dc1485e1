using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;

namespace SpineScan.Kiosk.Tests.Fakes;

/// <summary>A bunit context with what the kiosk's components need: MudBlazor, the station call helper and a station.</summary>
internal static class KioskTestContext
{
    public static BunitContext Create(IScreeningStation station)
    {
        // The components read the station on the thread pool; when `dotnet test` runs the other test assemblies on
        // the same two cores, bunit's default one-second wait for those renders was seen to run out.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        var context = new BunitContext();
        // The live view's frame and focus calls go to the browser; here they only need to be accepted.
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddLogging();
        context.Services.AddMudServices();
        context.Services.AddSingleton(TimeProvider.System);
        context.Services.AddSingleton(station);
        context.Services.AddScoped<StationCalls>();
        return context;
    }
}
