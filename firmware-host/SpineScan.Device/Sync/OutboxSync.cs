using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SpineScan.Contracts;
using SpineScan.Device.Store;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Sync;

/// <summary>
/// Drains the outbox to <c>POST /api/v1/reports</c>, oldest first, one sender at a time. The HTTP client's resilience
/// pipeline retries network errors, 5xx, 408 and 429 with exponential backoff and jitter; what is still failing after
/// that ends the round and the row waits for the next one. A row is marked sent only after the server's 2xx (a
/// <c>duplicate: true</c> answer included: the report id is the idempotency key), so a kill between the answer and the
/// mark resends it and the server stores it once. Any other 4xx marks the row failed with the server's problem detail
/// and it is not retried; 401 (credential refused) stops the round and keeps every row waiting, as the reports are
/// fine and the key is what needs fixing.
/// </summary>
internal sealed partial class OutboxSync(
    IHttpClientFactory httpClients,
    StationStore store,
    IOptions<StationOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxSync> logger) : IDisposable
{
    public const string HttpClientName = "spinescan-sync";

    private const int Batch = 50;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _lastError;

    public bool ServerConfigured => options.Value.ServerConfigured;

    public async Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        await using var db = store.CreateContext();
        var counts = await db.Outbox.GroupBy(o => o.State).Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var last = await db.Outbox.Where(o => o.LastAttemptAt != null).OrderByDescending(o => o.LastAttemptAt)
            .Select(o => new { o.LastAttemptAt, o.LastError }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        int Count(OutboxState state) => counts.FirstOrDefault(c => c.State == state)?.Count ?? 0;
        return new OutboxStatus(
            Count(OutboxState.Waiting),
            Count(OutboxState.Sent),
            last?.LastAttemptAt,
            _lastError ?? last?.LastError,
            ServerConfigured,
            Count(OutboxState.Failed));
    }

    /// <summary>Sends every waiting report it can now; returns the status after.</summary>
    public async Task<OutboxStatus> SyncAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Credential() is not { } credential || string.IsNullOrWhiteSpace(settings.ServerUrl))
        {
            return await StatusAsync(cancellationToken).ConfigureAwait(false);
        }

        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _lastError = null;
            using var http = httpClients.CreateClient(HttpClientName);
            var endpoint = new Uri(new Uri(settings.ServerUrl.TrimEnd('/') + "/"), "api/v1/reports");
            var stop = false;
            var afterId = 0L;
            while (!stop)
            {
                List<OutboxRow> rows;
                await using (var db = store.CreateContext())
                {
                    rows = await db.Outbox.AsNoTracking().Where(o => o.State == OutboxState.Waiting && o.Id > afterId).OrderBy(o => o.Id).Take(Batch)
                        .ToListAsync(cancellationToken).ConfigureAwait(false);
                }

                if (rows.Count == 0)
                {
                    break;
                }

                foreach (var row in rows)
                {
                    afterId = row.Id;
                    stop = !await SendAsync(http, endpoint, credential, row, cancellationToken).ConfigureAwait(false);
                    if (stop)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            _lock.Release();
        }

        return await StatusAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _lock.Dispose();

    // False when the round should stop (server unreachable or refusing the credential).
    private async Task<bool> SendAsync(HttpClient http, Uri endpoint, (string DeviceId, string Credential) credential, OutboxRow row, CancellationToken cancellationToken)
    {
        var body = WithDeviceId(row.PayloadJson, credential.DeviceId);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Credential);
        var attemptAt = timeProvider.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var message = $"The server at {endpoint.GetLeftPart(UriPartial.Authority)} could not be reached ({ex.Message.TrimEnd('.')}); the report waits for the next sync.";
            LogUnreachable(logger, row.ReportId, ex.GetType().Name);
            await RecordAsync(row.Id, OutboxState.Waiting, attemptAt, message, cancellationToken).ConfigureAwait(false);
            _lastError = message;
            return false;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var duplicate = false;
                try
                {
                    var answer = await response.Content.ReadFromJsonAsync(SpineScanJsonContext.Default.ReportAccepted, cancellationToken).ConfigureAwait(false);
                    duplicate = answer?.Duplicate ?? false;
                }
                catch (JsonException)
                {
                    // The 2xx is what counts: the server has stored the report.
                }

                FaultInjection.At(FaultInjection.KillAfterSendBeforeMark);
                await RecordAsync(row.Id, OutboxState.Sent, attemptAt, null, cancellationToken).ConfigureAwait(false);
                LogSent(logger, row.ReportId, status, duplicate);
                return true;
            }

            var detail = await ProblemDetailAsync(response, cancellationToken).ConfigureAwait(false);
            if (status is 408 or 429 or >= 500 || response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var message = response.StatusCode == HttpStatusCode.Unauthorized
                    ? $"The server refused this device's credential (401 {detail}). Check Station:DeviceKey (from 'admin add-device'); reports keep waiting."
                    : FormattableString.Invariant($"The server answered {status} ({detail}) after retries; the report waits for the next sync.");
                LogUnreachable(logger, row.ReportId, FormattableString.Invariant($"HTTP {status}"));
                await RecordAsync(row.Id, OutboxState.Waiting, attemptAt, message, cancellationToken).ConfigureAwait(false);
                _lastError = message;
                return false;
            }

            var failure = FormattableString.Invariant($"HTTP {status}: {detail}");
            LogRejected(logger, row.ReportId, status);
            await RecordAsync(row.Id, OutboxState.Failed, attemptAt, failure, cancellationToken).ConfigureAwait(false);
            _lastError = failure;
            return true;
        }
    }

    private async Task RecordAsync(long id, OutboxState state, DateTimeOffset attemptAt, string? error, CancellationToken cancellationToken)
    {
        await using var db = store.CreateContext();
        var row = await db.Outbox.SingleAsync(o => o.Id == id, cancellationToken).ConfigureAwait(false);
        row.State = state;
        row.Attempts++;
        row.LastAttemptAt = attemptAt;
        row.LastError = error;
        if (state == OutboxState.Sent)
        {
            row.SentAt = timeProvider.GetUtcNow();
        }

        db.Audit.Add(new AuditRow
        {
            At = attemptAt,
            Action = state switch { OutboxState.Sent => "report_sent", OutboxState.Failed => "report_rejected", _ => "report_deferred" },
            Detail = FormattableString.Invariant($"report {row.ReportId}") + (error is null ? string.Empty : ": " + error),
        });

        // Not cancellable: once the server has the report, the mark must land.
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // The queued report carries the device id known when it was queued; the credential in force names the sender.
    private static string WithDeviceId(string payload, string deviceId)
    {
        var report = JsonSerializer.Deserialize(payload, SpineScanJsonContext.Default.SyncReport)!;
        return string.Equals(report.DeviceId, deviceId, StringComparison.Ordinal)
            ? payload
            : JsonSerializer.Serialize(report with { DeviceId = deviceId }, SpineScanJsonContext.Default.SyncReport);
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return response.ReasonPhrase ?? "no detail";
        }

        if (text.Length == 0)
        {
            return response.ReasonPhrase ?? "no detail";
        }

        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var parts = new List<string>();
            foreach (var name in (string[])["title", "detail"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    parts.Add(value.GetString()!);
                }
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    parts.Add(field.Name + ": " + string.Join(" ", field.Value.EnumerateArray().Select(e => e.GetString())));
                }
            }

            return parts.Count > 0 ? string.Join("; ", parts) : text[..Math.Min(text.Length, 500)];
        }
        catch (JsonException)
        {
            return text[..Math.Min(text.Length, 500)];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} sent (HTTP {Status}, duplicate {Duplicate}).")]
    private static partial void LogSent(ILogger logger, Guid reportId, int status, bool duplicate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} not sent now ({Reason}); it waits for the next sync.")]
    private static partial void LogUnreachable(ILogger logger, Guid reportId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} rejected by the server (HTTP {Status}); marked failed.")]
    private static partial void LogRejected(ILogger logger, Guid reportId, int status);
}
