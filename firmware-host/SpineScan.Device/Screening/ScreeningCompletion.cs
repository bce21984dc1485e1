using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Device.Analysis;
using SpineScan.Device.Records;
using SpineScan.Device.Sessions;
using SpineScan.Device.Storage;
using SpineScan.Device.Sync;
using SpineScan.Device.Telemetry;
using SpineScan.Device.Workflow;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Screening;

/// <summary>What completing a screening led to: stored, or refused for the forward bend's findings.</summary>
public sealed record CompletionResult(ScreeningOutcome? Outcome, IReadOnlyList<CaptureFinding> Findings);

/// <summary>
/// Completion: the forward bend joined to the kept standing analysis (the standing capture is not analysed again),
/// the forward bend's raw depth written while the analysis runs, and the screening stored in one transaction
/// (screening, both captures, result, the outbox's report stamped with the device id and pseudonym and carrying both
/// review depth maps, standing and forward bend, audit), marking the
/// pupil's earlier screening superseded when this one replaces it.
/// </summary>
public sealed partial class ScreeningCompletion(
    LocalStore store,
    RawDepthArchive rawDepth,
    ScreeningAnalyzer analyzer,
    SessionRoster roster,
    DeviceIdentity identity,
    ScreeningRecords records,
    IOptions<StationOptions> options,
    TimeProvider time,
    DeviceTelemetry telemetry,
    ILogger<ScreeningCompletion> logger)
{
    public async Task<CompletionResult> CompleteAsync(PupilRow pupil, PendingStanding standing, PoseBurst bend, Guid? supersedes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pupil);
        ArgumentNullException.ThrowIfNull(standing);
        ArgumentNullException.ThrowIfNull(bend);
        FaultInjection.At(FaultInjection.KillAfterCapture);

        // The raw depth is written while the analysis runs (its frames were encoded as they arrived).
        var capture = bend.Capture;
        var encoded = bend.Encoded;
        var writeBend = Task.Run(async () => rawDepth.Write(standing.ReportId, capture, encoded is null ? null : await Task.WhenAll(encoded).ConfigureAwait(false)), CancellationToken.None);
        var analyse = Task.Run(() => analyzer.Complete(standing.Analysis, capture), CancellationToken.None);
        var bendMap = Task.Run(() => ReviewDepthMapBuilder.BuildForwardBend(capture), CancellationToken.None);
        await Task.WhenAll(writeBend, analyse, bendMap).ConfigureAwait(false);
        var result = await analyse.ConfigureAwait(false);
        var bendFolder = await writeBend.ConfigureAwait(false);
        telemetry.AnalysisTimed(result.TimingsMs);
        if (result.Category == ScreeningCategory.Retake)
        {
            return new CompletionResult(null, result.Issues);
        }

        var analysis = ContractMapper.ToContract(result);
        var session = await roster.SessionAsync(pupil.SessionId, cancellationToken).ConfigureAwait(false);
        var depthMap = ReviewDepthMapBuilder.Build(standing.Analysis);
        var forwardBendMap = await bendMap.ConfigureAwait(false);
        string? token = null;
        ParentLinkRequest? link = null;
        if (await identity.ConnectionAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            token = ParentLinkToken.Create();
            link = new ParentLinkRequest(ParentLinkToken.Hash(token), time.GetUtcNow().AddDays(options.Value.ParentLinkDays));
        }

        var key = await identity.PseudonymKeyAsync(cancellationToken).ConfigureAwait(false);
        var report = new SyncReport(
            SyncReport.SchemaV1,
            standing.ReportId,
            await identity.DeviceIdAsync(cancellationToken).ConfigureAwait(false),
            session.SchoolCode,
            PupilPseudonym.Compute(key.Key, pupil.PupilNumber),
            AgeMonths(pupil.DateOfBirth, DateOnly.FromDateTime(bend.CapturedAt.DateTime)),
            (Sex)pupil.Sex,
            pupil.ClassName,
            bend.CapturedAt,
            analysis,
            depthMap,
            link,
            supersedes,
            forwardBendMap);
        if (SyncReportValidator.Validate(report) is { Count: > 0 } errors)
        {
            throw new StationInputException("The report breaks the sync contract: " + string.Join("; ", errors.Select(e => e.Field + " " + e.Message)));
        }

        var screening = new ScreeningRow
        {
            PupilId = pupil.Id,
            SessionId = pupil.SessionId,
            ReportId = standing.ReportId,
            CapturedAt = bend.CapturedAt,
            Category = analysis.Category.ToWire(),
            ParentLinkToken = token,
            ParentLinkExpiresAt = link?.ExpiresAt,
            SupersedesReportId = supersedes,
        };
        await store.WriteAsync(
            async db =>
            {
                // One transaction: the screening, both raw-depth rows, the result, the outbox row and the audit line, or nothing.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                db.Screenings.Add(screening);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Captures.Add(new CaptureRow { ScreeningId = screening.Id, Pose = "standing", ArchiveFile = standing.Folder, ArchiveBytes = rawDepth.Bytes(standing.Folder), FrameCount = standing.FrameCount });
                db.Captures.Add(new CaptureRow { ScreeningId = screening.Id, Pose = "forward_bend", ArchiveFile = bendFolder, ArchiveBytes = rawDepth.Bytes(bendFolder), FrameCount = capture.Frames.Count });
                db.Results.Add(new ResultRow
                {
                    ScreeningId = screening.Id,
                    AnalysisJson = JsonSerializer.Serialize(analysis, SpineScanJsonContext.Default.AnalysisResult),
                    DepthMapJson = depthMap is null ? null : JsonSerializer.Serialize(depthMap, SpineScanJsonContext.Default.ReviewDepthMap),
                });
                db.Outbox.Add(new OutboxRow
                {
                    ScreeningId = screening.Id,
                    ReportId = standing.ReportId,
                    PayloadJson = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport),
                    PseudonymKeyId = key.Id,
                    State = OutboxState.Waiting,
                    CreatedAt = time.GetUtcNow(),
                });
                if (supersedes is { } earlier)
                {
                    var replaced = await db.Screenings.SingleAsync(s => s.ReportId == earlier, cancellationToken).ConfigureAwait(false);
                    replaced.SupersededAt = time.GetUtcNow();
                    db.Audit.Add(LocalStore.Audit(time, "screening_superseded", FormattableString.Invariant($"screening {replaced.Id} (report {earlier}) by screening {screening.Id}")));
                }

                db.Audit.Add(LocalStore.Audit(time, "screening_stored", FormattableString.Invariant($"screening {screening.Id}, report {standing.ReportId}, {screening.Category}")));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                FaultInjection.At(FaultInjection.KillInDbWrite);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        var ms = time.GetElapsedTime(bend.LastFrameTimestamp).TotalMilliseconds;
        try
        {
            await using var db = store.CreateContext();
            await db.Screenings.Where(s => s.Id == screening.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CaptureToResultMs, ms), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (DeviceDatabase.IsStorageFailure(ex))
        {
            // The screening is stored; only its timing is not.
        }

        screening.CaptureToResultMs = ms;
        LogStored(logger, screening.Id, standing.ReportId, screening.Category, ms);
        return new CompletionResult(await records.OutcomeAsync(screening, analysis, cancellationToken).ConfigureAwait(false), []);
    }

    /// <summary>Whole months from birth to the capture date.</summary>
    public static int AgeMonths(DateOnly birth, DateOnly on)
    {
        var months = ((on.Year - birth.Year) * 12) + on.Month - birth.Month;
        return Math.Max(0, on.Day < birth.Day ? months - 1 : months);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Screening {ScreeningId} stored: report {ReportId}, {Category}, {Milliseconds:0} ms from the last frame.")]
    private static partial void LogStored(ILogger logger, long screeningId, Guid reportId, string category, double milliseconds);
}
