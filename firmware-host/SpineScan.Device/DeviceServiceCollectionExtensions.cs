using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Ports;
using SpineScan.Device.Calibration;
using SpineScan.Device.Cameras;
using SpineScan.Device.Operators;
using SpineScan.Device.Records;
using SpineScan.Device.Screening;
using SpineScan.Device.Sessions;
using SpineScan.Device.Storage;
using SpineScan.Device.Sync;
using SpineScan.Device.Telemetry;
using SpineScan.Device.Workflow;
using SpineScan.Models;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device;

/// <summary>Composes the device's application layer for a host (the kiosk, the headless verbs).</summary>
public static class DeviceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IScreeningStation"/> and the parts behind it (all singletons: one station per device): the data
    /// folder and local store, the analyzer, the camera (the registered <see cref="IDepthCameraSource"/> that
    /// <c>Station:Source</c> names; register sources with <c>AddPhantomCamera</c>, <c>AddReplayCamera</c>,
    /// <c>AddRealSenseCamera</c>), sessions and roster, the pupil screening flow, PDF slips, the outbox and the
    /// operator's passphrase; the <see cref="StationOptions"/> bound from <c>Station</c> (validated on start); and a
    /// background service that drains the outbox periodically when a server is configured.
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

        services.TryAddSingleton(sp => new DataFolder(sp.GetRequiredService<IOptions<StationOptions>>().Value.DataDirectory));
        services.TryAddSingleton<RawDepthArchive>();
        services.TryAddSingleton<LocalStore>();
        services.TryAddSingleton<DeviceTelemetry>();
        services.TryAddSingleton<RawDepthPurge>();
        services.TryAddSingleton<ILandmarkDetector, ClassicLandmarkDetector>();
        services.TryAddSingleton<CalibrationGate>();

        // The analysis works in the calibration's body frame when the device has a valid one (read once, at start).
        services.TryAddSingleton(sp => new ScreeningAnalyzer(
            ModelCatalog.Shipped.Settings() with { Calibration = sp.GetRequiredService<CalibrationGate>().Status() is { State: CalibrationState.Valid } s ? s.Calibration : null },
            sp.GetRequiredService<ILandmarkDetector>()));
        services.TryAddSingleton<StationCamera>();
        services.TryAddSingleton<PendingStandings>();
        services.TryAddSingleton<SessionRoster>();
        services.TryAddSingleton<PoseBursts>();
        services.TryAddSingleton<DeviceIdentity>();
        services.TryAddSingleton<DeviceServerClient>();
        services.TryAddSingleton<OutboxSync>();
        services.TryAddSingleton<ScreeningRecords>();
        services.TryAddSingleton<ScreeningCompletion>();
        services.TryAddSingleton<PupilScreeningFlow>();
        services.TryAddSingleton<OperatorPassphrase>();
        services.TryAddSingleton<IOperatorSignIn>(sp => sp.GetRequiredService<OperatorPassphrase>());
        services.TryAddSingleton<IScreeningStation, ScreeningStation>();
        services.AddHostedService<OutboxSyncService>();
        return services;
    }
}
