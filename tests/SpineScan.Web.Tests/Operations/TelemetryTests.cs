using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Testing;
using SpineScan.Web.Operations;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Operations;

/// <summary>The product's instruments count what happens; Prometheus and OTLP export them when switched on; JSON logs stay redacted.</summary>
public sealed class TelemetryTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Instruments_CountIngestedRejectedLookupsAndQueue()
    {
        await using var factory = fixture.CreateFactory();
        using var recorder = new MeterRecorder(factory.Services.GetRequiredService<ServerTelemetry>().Meter);
        using var device = Device(factory);
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 14, atr: 5);

        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), Json(report))) { }
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), Json(report))) { }
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), new StringContent("{\"schema\":", Encoding.UTF8, "application/json"))) { }
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), new StringContent("x", Encoding.UTF8, "text/plain"))) { }
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), Json(SampleReports.Report("dev-1", "NOPE")))) { }
        using var anonymous = factory.CreateClient();
        using (await anonymous.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), Json(report))) { }
        using (await device.GetAsync(new Uri($"/r/{ParentLinkToken.Create()}", UriKind.Relative))) { }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScreeningService>().QueueAsync(new ClinicianScope("a@p1.test", 1), new QueueQuery(), default);
        }

        Assert.Equal(1, recorder.Sum("spinescan.reports.ingested", "repeat", false));
        Assert.Equal(1, recorder.Sum("spinescan.reports.ingested", "repeat", true));
        Assert.Equal(2, recorder.Sum("spinescan.reports.rejected", "reason", "invalid")); // broken JSON, unknown school
        Assert.Equal(1, recorder.Sum("spinescan.reports.rejected", "reason", "unsupported_media_type"));
        Assert.Equal(1, recorder.Sum("spinescan.reports.rejected", "reason", "unauthorized"));
        Assert.Equal(1, recorder.Sum("spinescan.parent_links.lookups", "outcome", "not_found"));
        var queue = Assert.Single(recorder.All("spinescan.review_queue.duration")).Value;
        Assert.InRange(queue, 0, 30);
    }

    [Fact]
    public async Task Prometheus_WhenEnabled_ServesTheProductsCounters_ElseNotFound()
    {
        await using var enabled = fixture.CreateFactory(b => b.UseSetting("Telemetry:PrometheusEnabled", "true"));
        using var device = Device(enabled);
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), Json(SampleReports.Report("dev-1", "SCH1")))) { }
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), new StringContent("[]", Encoding.UTF8, "application/json"))) { }

        using var scrape = await device.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Matches("(?m)^spinescan_reports_ingested_total\\{[^}]*repeat=\"false\"[^}]*\\} 1\\b", text);
        Assert.Matches("(?m)^spinescan_reports_rejected_total\\{[^}]*reason=\"invalid\"[^}]*\\} 1\\b", text);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);

        using var disabled = fixture.Factory.CreateClient();
        using var none = await disabled.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, none.StatusCode);
    }

    [Fact]
    public async Task Otlp_WhenConfigured_PushesMetricsAndTraces_WithoutParentTokens()
    {
        using var collector = new FakeCollector();
        await using var factory = fixture.CreateFactory(b =>
        {
            b.UseSetting("Telemetry:OtlpEndpoint", collector.Address);
            b.UseSetting("Telemetry:OtlpProtocol", "http/protobuf");
            b.UseSetting("Telemetry:MetricExportIntervalSeconds", "1");
        });
        using var device = Device(factory);
        var token = ParentLinkToken.Create();
        using (await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), Json(SampleReports.Report("dev-1", "SCH1")))) { }
        using (await device.GetAsync(new Uri($"/r/{token}", UriKind.Relative))) { }

        var metrics = await collector.WaitForAsync("/v1/metrics", "spinescan.reports.ingested");
        var traces = await collector.WaitForAsync("/v1/traces", "/r/[token]");

        Assert.Contains("spinescan.parent_links.lookups", metrics, StringComparison.Ordinal);
        Assert.Contains("spinescan-server", traces, StringComparison.Ordinal);
        Assert.DoesNotContain(token, collector.Everything(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonConsoleLogs_AreChosenByConfiguration_AndRedacted()
    {
        await using var factory = fixture.CreateFactory(b => b.UseSetting("Logging:ConsoleFormat", "json"));
        Assert.Equal(JsonConsoleFormatter.Name, factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);

        var token = ParentLinkToken.Create();
        var formatter = new JsonConsoleFormatter(TimeProvider.System);
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Warning, "SpineScan.Web.Test", new EventId(7), $"GET /r/{token} from dev\u001b[2J\nfake: line", null, (s, _) => s);
        formatter.Write(entry, null, writer);

        var line = writer.ToString().TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        var message = json.RootElement.GetProperty("message").GetString()!;
        Assert.Equal("Warning", json.RootElement.GetProperty("level").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("eventId").GetInt32());
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        Assert.Contains("/r/[token] from dev\\u001b[2J\\u000afake: line", message, StringComparison.Ordinal);
    }

    private HttpClient Device(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory) => WithCredential(factory.CreateClient());

    private HttpClient WithCredential(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Device1Credential);
        return client;
    }

    private static StringContent Json(SyncReport report) =>
        new(JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport), Encoding.UTF8, "application/json");

    /// <summary>An OTLP/HTTP collector on the loopback that keeps each request body (protobuf keeps strings as UTF-8).</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string Path, string Body)> _requests = new();

        public FakeCollector()
        {
            var port = HealthTests.FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public async Task<string> WaitForAsync(string path, string text)
        {
            for (var i = 0; i < 300; i++)
            {
                if (_requests.FirstOrDefault(r => r.Path == path && r.Body.Contains(text, StringComparison.Ordinal)) is { Body: { } body })
                {
                    return body;
                }

                await Task.Delay(100);
            }

            Assert.Fail($"No OTLP request to {path} contained '{text}' within 30 s; got {_requests.Count} request(s) to {string.Join(", ", _requests.Select(r => r.Path).Distinct())}.");
            return "";
        }

        public string Everything() => string.Join('\n', _requests.Select(r => r.Body));

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _requests.Enqueue((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
