using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SpineScan.Device.Telemetry;

namespace SpineScan.Host.Operations;

/// <summary>
/// Exports the device's instruments from the kiosk (<c>spinescan run</c>), each way off unless configured:
/// <c>Telemetry:OtlpEndpoint</c> (pushed, e.g. to the vendor's collector; <c>Telemetry:OtlpProtocol</c> grpc or
/// http/protobuf) and <c>Telemetry:PrometheusEnabled</c> (<c>/metrics</c> on the kiosk's loopback port, for an agent on
/// the appliance). The headless verbs are short runs and export nothing.
/// </summary>
public static class DeviceTelemetryExport
{
    public const string ServiceName = "spinescan-device";

    public const string PrometheusPath = "/metrics";

    public static IServiceCollection AddDeviceTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = configuration["Telemetry:OtlpEndpoint"] ?? "";
        var prometheus = configuration.GetValue<bool>("Telemetry:PrometheusEnabled");
        if (otlp.Length == 0 && !prometheus)
        {
            return services;
        }

        var http = string.Equals(configuration["Telemetry:OtlpProtocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase);
        var intervalSeconds = configuration.GetValue("Telemetry:MetricExportIntervalSeconds", 60);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: DeviceVersion.Commit(typeof(DeviceTelemetryExport).Assembly)))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DeviceTelemetry.MeterName).AddRuntimeInstrumentation().AddHttpClientInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp.Length > 0)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        exporter.Endpoint = new Uri(http ? otlp.TrimEnd('/') + "/v1/metrics" : otlp);
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Math.Clamp(intervalSeconds, 1, 3600) * 1000;
                    });
                }
            });
        return services;
    }

    /// <summary>Maps <c>/metrics</c> when Prometheus export is on.</summary>
    public static WebApplication MapDeviceTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetValue<bool>("Telemetry:PrometheusEnabled"))
        {
            app.MapPrometheusScrapingEndpoint(PrometheusPath);
        }

        return app;
    }
}
