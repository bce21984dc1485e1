using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SpineScan.Contracts;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Sync;

/// <summary>What a registration did.</summary>
/// <param name="Registration">What the server said about the device.</param>
/// <param name="Restamped">Waiting reports made again with the programme's key and this device's id.</param>
/// <param name="SentUnderAnotherKey">Reports already sent under another pseudonym key (the server files them apart).</param>
public sealed record RegistrationOutcome(DeviceRegistrationInfo Registration, int Restamped, int SentUnderAnotherKey);

/// <summary>
/// Drains the outbox to <c>POST /api/v1/reports</c>, oldest first, one sender at a time, each report's stored bytes as
/// they are (a report is stamped with the device id and pseudonym when it is queued, and stamped again in the store,
/// before any send, only when the registration changed them). The HTTP client's resilience pipeline retries network
/// errors, 5xx, 408 and 429 with exponential backoff and jitter; what is still failing after that ends the round and
/// the row waits for the next one. A row is marked sent only after the server's 2xx (a <c>duplicate: true</c> answer
/// included: the report id is the idempotency key), so a kill between the answer and the mark resends it and the
/// server stores it once. Any other 4xx marks the row failed with the server's problem detail until a retry of the
/// failed; 401 (credential refused) stops the round and keeps every row waiting. Each round first asks the server about
/// the device (its programme's pseudonym key, the parents' public address) and refuses to send reports whose pseudonyms
/// a self-made key made when the programme issues its own.
/// </summary>
public sealed partial class OutboxSync(
    IHttpClientFactory httpClients,
    LocalStore store,
    DeviceIdentity identity,
    DeviceServerClient server,
    TimeProvider timeProvider,
    ILogger<OutboxSync> logger) : IDisposable
{
    public const string HttpClientName = "spinescan-sync";

    private const int Batch = 50;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _lastError;

    public async Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        var connection = await identity.ConnectionAsync(cancellationToken).ConfigureAwait(false);
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
            connection is not null,
            Count(OutboxState.Failed));
    }

    /// <summary>Sends every waiting report it can now; returns the status after.</summary>
    public async Task<OutboxStatus> SyncAsync(CancellationToken cancellationToken) => await SyncAsync(retryFailed: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Puts the reports the server refused back in the queue (audited), then syncs.</summary>
    public async Task<OutboxStatus> RetryFailedAsync(CancellationToken cancellationToken) => await SyncAsync(retryFailed: true, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Registers the device with a server: asks it about the credential's device, stores the server, the credential
    /// (encrypted), the programme's pseudonym key and the parents' public address, and makes every waiting report again
    /// with that key and device id (their pupils are on this device).
    /// </summary>
    /// <exception cref="StationInputException">The server refused the credential or could not be reached; nothing changed.</exception>
    public async Task<RegistrationOutcome> RegisterAsync(Uri serverUrl, DeviceCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(credential);
        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        var answer = await server.WhoAmIAsync(serverUrl, credential, cancellationToken).ConfigureAwait(false);
        var info = answer switch
        {
            WhoAmIAnswer.Known known => known.Info,
            WhoAmIAnswer.CredentialRefused refused => throw new StationInputException($"The server refused this credential ({refused.Detail}). Check the credential printed by 'admin add-device' for this device; nothing was changed."),
            WhoAmIAnswer.NotOffered => throw new StationInputException($"The server at {serverUrl} does not offer device registration ({DeviceServerClient.DevicesMePath}): update the server, or check the address."),
            WhoAmIAnswer.Unreachable unreachable => throw new StationInputException(unreachable.Message + " Nothing was changed; try again when the server is reachable."),
            _ => throw new InvalidOperationException("Unknown answer."),
        };
        if (!string.Equals(info.DeviceId, credential.DeviceId, StringComparison.Ordinal))
        {
            throw new StationInputException($"The server says this credential belongs to device '{info.DeviceId}', not '{credential.DeviceId}'. Use the credential printed for this device.");
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = PseudonymKeys.TryParse(info.PseudonymKey) is { } issued ? new PseudonymKey(issued, PseudonymKeySource.Programme) : null;
            var restamped = 0;
            var sentElsewhere = 0;
            await store.WriteAsync(
                async db =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await DeviceIdentity.SaveAsync(db, Registration(serverUrl, credential, info), cancellationToken).ConfigureAwait(false);
                    key ??= await CurrentKeyAfterAsync(cancellationToken).ConfigureAwait(false);
                    restamped = await RestampAsync(db, credential.DeviceId, key, cancellationToken).ConfigureAwait(false);
                    sentElsewhere = await db.Outbox.CountAsync(o => o.State != OutboxState.Waiting && o.PseudonymKeyId != key.Id, cancellationToken).ConfigureAwait(false);
                    db.Audit.Add(LocalStore.Audit(timeProvider, "device_registered", $"device {credential.DeviceId}, programme {info.ProgrammeCode}, key {key.Id}, {restamped} waiting reports stamped again"));
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            identity.Reload();
            return new RegistrationOutcome(info, restamped, sentElsewhere);
        }
        finally
        {
            _lock.Release();
        }

        // Without a programme key the device keeps the key it has (configured or self-made).
        async Task<PseudonymKey> CurrentKeyAfterAsync(CancellationToken token)
        {
            identity.Reload();
            return await identity.PseudonymKeyAsync(token).ConfigureAwait(false);
        }
    }

    public void Dispose() => _lock.Dispose();

    private async Task<OutboxStatus> SyncAsync(bool retryFailed, CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        if (retryFailed)
        {
            await RequeueFailedAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await identity.ConnectionAsync(cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return await StatusAsync(cancellationToken).ConfigureAwait(false);
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _lastError = null;
            if (await PrepareAsync(connection, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                _lastError = refusal;
                LogRefused(logger, refusal);
                return await StatusAsync(cancellationToken).ConfigureAwait(false);
            }

            using var http = httpClients.CreateClient(HttpClientName);
            var endpoint = new Uri(connection.ServerUrl, "api/v1/reports");
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
                    stop = !await SendAsync(http, endpoint, connection.Credential, row, cancellationToken).ConfigureAwait(false);
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

    // Asks the server about the device, takes the programme's key when nothing waits under another, and stamps waiting
    // reports with the credential's device id. The reason nothing may be sent, or null.
    private async Task<string?> PrepareAsync(ServerConnection connection, CancellationToken cancellationToken)
    {
        var answer = await server.WhoAmIAsync(connection.ServerUrl, connection.Credential, cancellationToken).ConfigureAwait(false);
        var info = (answer as WhoAmIAnswer.Known)?.Info;
        if (answer is WhoAmIAnswer.CredentialRefused refused)
        {
            return $"The server refused this device's credential (401 {refused.Detail}). Register the device again with its credential from 'admin add-device' (spinescan register); reports keep waiting.";
        }

        var key = await identity.PseudonymKeyAsync(cancellationToken).ConfigureAwait(false);
        var issued = PseudonymKeys.TryParse(info?.PseudonymKey);
        string? refusal = null;
        await store.WriteAsync(
            async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                if (info is not null && issued is not null && key.Source != PseudonymKeySource.Programme)
                {
                    var programmeKey = new PseudonymKey(issued, PseudonymKeySource.Programme);
                    var underOther = await db.Outbox.CountAsync(o => o.State == OutboxState.Waiting && o.PseudonymKeyId != programmeKey.Id, cancellationToken).ConfigureAwait(false);
                    if (underOther > 0 && !key.SameKeyAs(issued))
                    {
                        refusal = key.Source == PseudonymKeySource.Configured
                            ? FormattableString.Invariant($"Station:ProgrammeKey is not the key programme {info.ProgrammeCode} issues: {underOther} waiting reports would reach the server under other pseudonyms than the programme's other devices make. Remove Station:ProgrammeKey and run 'spinescan register --data {store.Folder.Path} --server {connection.ServerUrl}' to take the programme's key (the waiting reports are made again with it). Nothing was sent.")
                            : FormattableString.Invariant($"This device made its own pseudonym key, but programme {info.ProgrammeCode} issues one: {underOther} waiting reports would reach the server under other pseudonyms than the programme's other devices make. Run 'spinescan register --data {store.Folder.Path} --server {connection.ServerUrl}' (the credential from a file or standard input) to take the programme's key; the waiting reports are made again with it. Nothing was sent.");
                        return;
                    }

                    key = programmeKey;
                }

                if (info is not null && NeedsSaving(await identity.RegistrationAsync(cancellationToken).ConfigureAwait(false), connection, info))
                {
                    await DeviceIdentity.SaveAsync(db, Registration(connection.ServerUrl, connection.Credential, info), cancellationToken).ConfigureAwait(false);
                }

                await RestampAsync(db, connection.Credential.DeviceId, key, cancellationToken).ConfigureAwait(false);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        identity.Reload();
        return refusal;
    }

    private static bool NeedsSaving(RegistrationRow? stored, ServerConnection connection, DeviceRegistrationInfo info) =>
        stored is null
        || !string.Equals(stored.ServerUrl, connection.ServerUrl.ToString(), StringComparison.Ordinal)
        || !string.Equals(stored.Credential, connection.Credential.Value, StringComparison.Ordinal)
        || !string.Equals(stored.ProgrammeKey, info.PseudonymKey, StringComparison.Ordinal)
        || !string.Equals(stored.PublicBaseUrl, info.PublicBaseUrl, StringComparison.Ordinal)
        || !string.Equals(stored.ProgrammeCode, info.ProgrammeCode, StringComparison.Ordinal);

    private RegistrationRow Registration(Uri serverUrl, DeviceCredential credential, DeviceRegistrationInfo info) => new()
    {
        ServerUrl = serverUrl.ToString(),
        DeviceId = credential.DeviceId,
        Credential = credential.Value,
        ProgrammeCode = info.ProgrammeCode,
        ProgrammeKey = info.PseudonymKey,
        PublicBaseUrl = info.PublicBaseUrl,
        RegisteredAt = timeProvider.GetUtcNow(),
    };

    // A waiting report made before the device knew its id or the programme's key is made again, in the store, with
    // both: the pupil number is on this device. The bytes sent are then exactly the stored ones.
    private async Task<int> RestampAsync(DeviceDbContext db, string deviceId, PseudonymKey key, CancellationToken cancellationToken)
    {
        var waiting = await (
            from outbox in db.Outbox
            join screening in db.Screenings on outbox.ScreeningId equals screening.Id
            join pupil in db.Pupils on screening.PupilId equals pupil.Id
            where outbox.State == OutboxState.Waiting
            select new { Row = outbox, pupil.PupilNumber }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var restamped = 0;
        foreach (var item in waiting)
        {
            var report = JsonSerializer.Deserialize(item.Row.PayloadJson, SpineScanJsonContext.Default.SyncReport)!;
            var keyChanged = !string.Equals(item.Row.PseudonymKeyId, key.Id, StringComparison.Ordinal);
            if (!keyChanged && string.Equals(report.DeviceId, deviceId, StringComparison.Ordinal))
            {
                continue;
            }

            var stamped = report with
            {
                DeviceId = deviceId,
                PupilPseudonym = keyChanged ? PupilPseudonym.Compute(key.Key, item.PupilNumber) : report.PupilPseudonym,
            };
            item.Row.PayloadJson = JsonSerializer.Serialize(stamped, SpineScanJsonContext.Default.SyncReport);
            item.Row.PseudonymKeyId = key.Id;
            db.Audit.Add(LocalStore.Audit(timeProvider, "report_stamped", FormattableString.Invariant($"report {item.Row.ReportId}: device {deviceId}, key {key.Id}")));
            restamped++;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return restamped;
    }

    private async Task RequeueFailedAsync(CancellationToken cancellationToken)
    {
        await store.WriteAsync(
            async db =>
            {
                var failed = await db.Outbox.Where(o => o.State == OutboxState.Failed).ToListAsync(cancellationToken).ConfigureAwait(false);
                foreach (var row in failed)
                {
                    row.State = OutboxState.Waiting;
                    db.Audit.Add(LocalStore.Audit(timeProvider, "report_requeued", FormattableString.Invariant($"report {row.ReportId} (was failed: {row.LastError})")));
                }

                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    // False when the round should stop (server unreachable or refusing the credential).
    private async Task<bool> SendAsync(HttpClient http, Uri endpoint, DeviceCredential credential, OutboxRow row, CancellationToken cancellationToken)
    {
        // The stored report, byte for byte: what the server hashes for its duplicate check is what the device queued.
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(row.PayloadJson));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential.Value);
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
                    var answer = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, SpineScanJsonContext.Default.ReportAccepted, cancellationToken).ConfigureAwait(false);
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
                    ? $"The server refused this device's credential (401 {detail}). Register the device again with its credential from 'admin add-device' (spinescan register); reports keep waiting."
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

    /// <summary>A problem+json answer in one line (title, detail, field errors), or the body's start.</summary>
    internal static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox not sent: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} sent (HTTP {Status}, duplicate {Duplicate}).")]
    private static partial void LogSent(ILogger logger, Guid reportId, int status, bool duplicate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} not sent now ({Reason}); it waits for the next sync.")]
    private static partial void LogUnreachable(ILogger logger, Guid reportId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} rejected by the server (HTTP {Status}); marked failed.")]
    private static partial void LogRejected(ILogger logger, Guid reportId, int status);
}
