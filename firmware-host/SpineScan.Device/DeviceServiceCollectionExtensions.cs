using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SpineScan.Device.Store;
using SpineScan.Device.Sync;
using SpineScan.Device.Workflow;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device;

/// <summary>Composes the screening station for a host (the kiosk, the headless verbs).</summary>
public static class DeviceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IScreeningStation"/> (a singleton) with its local store, camera, PDF slips and outbox, the
    /// <see cref="StationOptions"/> bound from the <c>Station</c> section (validated on start), and a background service
    /// that drains the outbox periodically when a server is configured.
    /// </summary>
    public static IServiceCollection AddScreeningStation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StationOptions>()
            .BindConfiguration(StationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StationOptions>, StationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddPdfReports(configuration);

        services.AddHttpClient(OutboxSync.HttpClientName, client => client.Timeout = TimeSpan.FromMinutes(2))
            .AddResilienceHandler("outbox", static (pipeline, context) =>
            {
                var station = context.ServiceProvider.GetRequiredService<IOptions<StationOptions>>().Value;

                // Network errors, 5xx, 408 and 429 (the default predicate), exponential with jitter; POST is safe to
                // repeat because the report id is the server's idempotency key.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, station.SyncMaxRetries),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(station.SyncRetryDelayMs),
                    ShouldRetryAfterHeader = true,
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(20));
            });

        services.TryAddSingleton(sp => new StationStore(sp.GetRequiredService<IOptions<StationOptions>>().Value.DataDirectory));
        services.TryAddSingleton<OutboxSync>();
        services.TryAddSingleton<RawDepthPurge>();
        services.TryAddSingleton<ScreeningStation>();
        services.TryAddSingleton<IScreeningStation>(sp => sp.GetRequiredService<ScreeningStation>());
        services.AddHostedService<OutboxSyncService>();
        return services;
    }
}
