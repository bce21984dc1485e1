using Microsoft.AspNetCore.Builder;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>The real kiosk on Kestrel (127.0.0.1, a free port), composed with whatever station the test adds.</summary>
internal sealed class KioskServer : IAsyncDisposable
{
    private KioskServer(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }

    public Uri Url { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<KioskServer> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder> addStation)
    {
        // The test assembly's name finds the static web asset manifests its (Web SDK) build wrote next to it.
        var builder = KioskComposition.CreateKioskBuilder([], port: 0, applicationName: typeof(KioskServer).Assembly.GetName().Name);
        builder.Configuration.AddInMemoryCollection(settings);
        addStation(builder);
        var app = builder.Build();
        app.MapKiosk();
        await app.StartAsync();
        return new KioskServer(app, app.KioskUrl());
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
