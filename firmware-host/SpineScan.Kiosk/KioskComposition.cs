using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Security;

namespace SpineScan.Kiosk;

/// <summary>
/// The kiosk UI as a web application on the loopback only. The host composes it with a screening station
/// (<c>services.AddScreeningStation(configuration)</c>); the kiosk itself only needs an <c>IScreeningStation</c>.
/// </summary>
public static class KioskComposition
{
    /// <summary>The port <c>spinescan run</c> listens on unless told otherwise (the server's examples use 5080: both run on one laptop in a demo).</summary>
    public const int DefaultPort = 5180;

    /// <summary>
    /// A web application builder for the kiosk on 127.0.0.1:<paramref name="port"/> (0: a free port), with the UI
    /// registered; the caller adds the station and then calls <see cref="MapKiosk"/>.
    /// </summary>
    /// <param name="args">Command-line configuration (<c>--Station:Source=phantom</c> and the like).</param>
    /// <param name="port">The loopback port; 0 picks a free one.</param>
    /// <param name="applicationName">Names the static web asset manifests next to the executable
    /// (<c>{name}.staticwebassets.*.json</c>); the entry assembly's name when null.</param>
    public static WebApplicationBuilder CreateKioskBuilder(string[] args, int port, string? applicationName = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = applicationName ?? Assembly.GetEntryAssembly()?.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Serve package assets (_content/MudBlazor, _content/SpineScan.Kiosk) from the build output in any environment.
        builder.WebHost.UseStaticWebAssets();
        // The kiosk is for the screen on this device: never reachable from the school's network.
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        // Request-by-request logs would bury the station's own lines on the kiosk's console.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.AddKiosk();
        return builder;
    }

    /// <summary>The kiosk's services: Blazor Server, MudBlazor, the station call helper, the operator's sign-in.</summary>
    public static IServiceCollection AddKiosk(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<StationCalls>();
        services.AddKioskSecurity();
        return services;
    }

    /// <summary>The kiosk's endpoints: the sign-in page, the UI, its assets and the parent slip PDFs; all but the sign-in page and the assets for a signed-in operator only.</summary>
    public static WebApplication MapKiosk(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseKioskSecurity();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapSignIn();
        app.MapSlips();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>The address a started kiosk listens on, e.g. <c>http://127.0.0.1:5180/</c>.</summary>
    public static Uri KioskUrl(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
