using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SpineScan.Web.Operations;

/// <summary>
/// The <c>Telemetry</c> section: OpenTelemetry export, each way off unless configured. The product's instruments count
/// whether or not anything exports them (a <see cref="MeterListener"/> sees them).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The OTLP collector (e.g. <c>http://otel-collector:4317</c>); empty: no OTLP export.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318; <c>/v1/metrics</c> and <c>/v1/traces</c> are appended).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are pushed by OTLP.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int MetricExportIntervalSeconds { get; set; } = 60;

    /// <summary>Serve a Prometheus scrape endpoint at <see cref="PrometheusPath"/>.</summary>
    public bool PrometheusEnabled { get; set; }

    public string PrometheusPath { get; set; } = "/metrics";

    public bool OtlpEnabled => OtlpEndpoint.Length > 0;
}

/// <summary>The server's own instruments (meter <see cref="MeterName"/>).</summary>
public sealed partial class ServerTelemetry
{
    public const string MeterName = "SpineScan.Server";

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _queueDuration;
    private readonly Counter<long> _parentLinkLookups;

    public ServerTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _ingested = Meter.CreateCounter<long>("spinescan.reports.ingested", "{report}", "Device reports stored; repeat=true: a repeat answered from what is stored.");
        _rejected = Meter.CreateCounter<long>("spinescan.reports.rejected", "{report}", "Device reports refused, by reason.");
        _queueDuration = Meter.CreateHistogram<double>("spinescan.review_queue.duration", "s", "Time to answer one page of the review queue.");
        _parentLinkLookups = Meter.CreateCounter<long>("spinescan.parent_links.lookups", "{lookup}", "Parent-link look-ups by outcome: found, or refused as not_found, gone or rate_limited.");
    }

    /// <summary>The meter of this service provider (tests listen to this one only).</summary>
    public Meter Meter { get; }

    private void ReportIngested(bool repeat) => _ingested.Add(1, new KeyValuePair<string, object?>("repeat", repeat));

    private void ReportRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ReviewQueueAnswered(TimeSpan elapsed) => _queueDuration.Record(elapsed.TotalSeconds);

    public void ParentLinkLookedUp(string outcome) => _parentLinkLookups.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts one answer to <c>POST /api/v1/reports</c> by its status code: stored, a repeat, or rejected and why.</summary>
    public void ReportAnswered(int statusCode)
    {
        if (RejectionReason(statusCode) is { } reason)
        {
            ReportRejected(reason);
        }
        else
        {
            ReportIngested(repeat: statusCode == StatusCodes.Status200OK);
        }
    }

    /// <summary>The reason a <c>POST /api/v1/reports</c> answer gives, from its status code; null for a stored report.</summary>
    public static string? RejectionReason(int statusCode) => statusCode switch
    {
        StatusCodes.Status200OK or StatusCodes.Status201Created => null,
        StatusCodes.Status400BadRequest => "invalid",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        _ => "other",
    };

    /// <summary>A request path with any parent-link token cut out (a token is a key to a child's report).</summary>
    public static string RedactPath(string path) => TokenInPath().Replace(path, "/r/[token]");

    [GeneratedRegex("/r/[^/?#]+")]
    private static partial Regex TokenInPath();
}

/// <summary>Registers the instruments and, as configured, OpenTelemetry's OTLP and Prometheus exporters.</summary>
public static class ServerTelemetryExtensions
{
    public const string ServiceName = "spinescan-server";

    public static IServiceCollection AddServerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.AddSingleton<ServerTelemetry>();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.OtlpEnabled && !options.PrometheusEnabled)
        {
            return services;
        }

        var protocol = string.Equals(options.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: ServerVersion.Current.Commit))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerTelemetry.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (options.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }

                if (options.OtlpEnabled)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, options, protocol, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.MetricExportIntervalSeconds * 1000;
                    });
                }
            });
        if (options.OtlpEnabled)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o =>
                {
                    // The route template names the span; the raw path (a parent token in /r/...) never leaves.
                    o.EnrichWithHttpRequest = (activity, request) => activity.SetTag("url.path", ServerTelemetry.RedactPath(request.Path.Value ?? ""));
                    o.Filter = context => !context.Request.Path.StartsWithSegments(options.PrometheusPath, StringComparison.Ordinal);
                })
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(exporter => Configure(exporter, options, protocol, "v1/traces")));
        }

        return services;
    }

    /// <summary>
    /// Counts every answer to <c>POST /api/v1/reports</c>, including those given before the handler runs (401 from
    /// authentication, 415 from routing's content-type match, 500 from the exception handler inside this).
    /// </summary>
    public static IApplicationBuilder UseReportCounting(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var telemetry = app.ApplicationServices.GetRequiredService<ServerTelemetry>();
        return app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(ReportsPath, StringComparison.OrdinalIgnoreCase))
            {
                telemetry.ReportAnswered(context.Response.StatusCode);
            }
        });
    }

    private const string ReportsPath = "/api/v1/reports";

    /// <summary>Maps the Prometheus scrape endpoint when it is switched on.</summary>
    public static IEndpointRouteBuilder MapServerTelemetry(this IEndpointRouteBuilder endpoints, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PrometheusEnabled)
        {
            endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath).AllowAnonymous();
        }

        return endpoints;
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, OtlpExportProtocol protocol, string signalPath)
    {
        exporter.Protocol = protocol;
        // Over HTTP a programmatic endpoint is the signal's full address; gRPC takes the collector's base address.
        exporter.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(options.OtlpEndpoint.TrimEnd('/') + "/" + signalPath)
            : new Uri(options.OtlpEndpoint);
    }
}
