using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpineScan.Contracts;

namespace SpineScan.Device.Tests.Support;

/// <summary>
/// A stand-in for the server's <c>POST /api/v1/reports</c> on Kestrel at 127.0.0.1: checks the bearer credential,
/// reads the body with the shared JSON context and the contract's validator as the real server does, stores each
/// report id once (a repeat gets <c>duplicate: true</c>), and keeps every request body as it came over the wire.
/// It can be down (not listening) and come up on the same port, or answer 400 to everything.
/// </summary>
public sealed class StubSyncServer : IAsyncDisposable
{
    public const string DeviceId = "dev-test";
    public const string Credential = DeviceId + ".s3cret-Secret_Value";

    private readonly ConcurrentDictionary<Guid, int> _posts = new();
    private readonly ConcurrentDictionary<Guid, SyncReport> _stored = new();
    private readonly ConcurrentQueue<byte[]> _bodies = new();
    private WebApplication? _app;

    private StubSyncServer(int port) => Port = port;

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Answer every report with 400 and a problem detail.</summary>
    public bool RejectAll { get; set; }

    public IReadOnlyDictionary<Guid, SyncReport> Stored => _stored;

    public IReadOnlyDictionary<Guid, int> Posts => _posts;

    public IReadOnlyList<byte[]> Bodies => [.. _bodies];

    /// <summary>A server on a free port, not yet listening (down).</summary>
    public static StubSyncServer Reserve()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new StubSyncServer(port);
    }

    public static async Task<StubSyncServer> StartAsync()
    {
        var server = Reserve();
        await server.UpAsync();
        return server;
    }

    /// <summary>The programme's pseudonym key the server issues (base64), or null for a programme without one.</summary>
    public string? ProgrammeKey { get; set; }

    /// <summary>The address parents open (the slip's QR code): deliberately not the sync address.</summary>
    public string PublicBaseUrl => $"https://parents.example.org:{Port}";

    /// <summary>Marks a report as already stored (as if an earlier device run had sent it).</summary>
    public void Preload(SyncReport report) => _stored[report.ReportId] = report;

    public async Task UpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/api/v1/reports", (Delegate)HandleAsync);
        app.MapGet("/api/v1/devices/me", (Delegate)WhoAmI);
        await app.StartAsync();
        _app = app;
    }

    public async Task DownAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await DownAsync();

    private IResult WhoAmI(HttpContext context) =>
        string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + Credential, StringComparison.Ordinal)
            ? Results.Content(JsonSerializer.Serialize(new DeviceRegistrationInfo(DeviceId, "P1", ProgrammeKey, PublicBaseUrl), SpineScanJsonContext.Default.DeviceRegistrationInfo), "application/json")
            : Results.Problem(statusCode: 401, title: "Unknown device credential.");

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        _bodies.Enqueue(body);
        if (!string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + Credential, StringComparison.Ordinal))
        {
            return Results.Problem(statusCode: 401, title: "Unknown device credential.");
        }

        SyncReport report;
        try
        {
            report = JsonSerializer.Deserialize(body, SpineScanJsonContext.Default.SyncReport)!;
        }
        catch (JsonException ex)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["$"] = [ex.Message] }, title: "The body is not a sync report.");
        }

        _posts.AddOrUpdate(report.ReportId, 1, (_, n) => n + 1);
        if (RejectAll)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["schoolCode"] = ["Unknown school for this programme."] }, title: "The report breaks the contract.");
        }

        var errors = SyncReportValidator.Validate(report);
        if (errors.Count > 0 || !string.Equals(report.DeviceId, DeviceId, StringComparison.Ordinal))
        {
            return Results.ValidationProblem(errors.ToDictionary(e => e.Field, e => new[] { e.Message }, StringComparer.Ordinal), title: "The report breaks the contract.");
        }

        var duplicate = !_stored.TryAdd(report.ReportId, report);
        var answer = new ReportAccepted(report.ReportId, DateTimeOffset.UtcNow, duplicate);
        var json = JsonSerializer.Serialize(answer, SpineScanJsonContext.Default.ReportAccepted);
        return Results.Content(json, "application/json", statusCode: duplicate ? 200 : 201);
    }
}
