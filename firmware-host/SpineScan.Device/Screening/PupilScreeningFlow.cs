using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Device.Calibration;
using SpineScan.Device.Cameras;
using SpineScan.Device.Sessions;
using SpineScan.Device.Storage;
using SpineScan.Device.Telemetry;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Screening;

/// <summary>
/// One pupil's screening, the only place its steps are decided (the kiosk and the <c>screen</c> verb both drive it):
/// standing first, checked at once and kept; then the forward bend, which completes the screening. A refused capture
/// is retaken: the same pose, or standing again where the camera shows a new subject on a retake (the phantom renders
/// a new child, whose forward bend would not match the kept standing). After <see cref="StationOptions.MaxRetakes"/>
/// retakes the flow stops until the screening is started again. Captures are serialized: one camera, one burst at a time.
/// </summary>
public sealed partial class PupilScreeningFlow(
    SessionRoster roster,
    PoseBursts bursts,
    StationCamera camera,
    ScreeningAnalyzer analyzer,
    PendingStandings pending,
    RawDepthArchive rawDepth,
    ScreeningCompletion completion,
    LocalStore store,
    IOptions<StationOptions> options,
    TimeProvider time,
    DeviceTelemetry telemetry,
    CalibrationGate calibration,
    ILogger<PupilScreeningFlow> logger) : IDisposable
{
    private readonly SemaphoreSlim _captureLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _retakes = [];
    private readonly Dictionary<long, Guid> _supersedes = [];

    private int MaxRetakes => options.Value.MaxRetakes;

    public async Task<CaptureStepResult> CaptureNextAsync(long pupilId, CancellationToken cancellationToken)
    {
        var pupil = await roster.PupilRowAsync(pupilId, cancellationToken).ConfigureAwait(false);
        var consent = await roster.ConsentAsync(pupilId, cancellationToken).ConfigureAwait(false);
        if (consent != ConsentState.Given)
        {
            throw new StationInputException(consent == ConsentState.Refused
                ? "Consent for this pupil was refused: no capture. Move on to the next pupil."
                : "No consent is recorded for this pupil. Confirm the consent slip, record consent, then capture.");
        }

        // The screening gate: a station that must be calibrated (the kiosk) screens nobody without a valid calibration,
        // unless it runs the phantom camera in the explicit demo mode.
        if (options.Value.RequireCalibration)
        {
            calibration.EnsureScreeningAllowed();
        }

        await _captureLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (RetakesUsed(pupilId) > MaxRetakes)
            {
                throw new StationInputException("This pupil's retakes are used up for now. Screen the next pupil, and start this one again later ('Try again').");
            }

            var standing = pending.For(pupilId);
            var pose = standing is null ? CapturePose.Standing : CapturePose.ForwardBend;
            var burst = await bursts.TakeAsync(pupilId, pose, cancellationToken).ConfigureAwait(false);
            return standing is null
                ? KeepStanding(pupil.Id, burst)
                : await CompleteAsync(pupil, standing, burst, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _captureLock.Release();
        }
    }

    /// <summary>Starts the pupil over: the pending standing dropped, the retakes renewed, and the next screening completed supersedes the current one.</summary>
    public async Task<PupilEntry> ScreenAgainAsync(long pupilId, CancellationToken cancellationToken)
    {
        var entry = await roster.PupilAsync(pupilId, cancellationToken).ConfigureAwait(false);
        Guid? current = null;
        if (entry.LatestScreeningId is { } screeningId)
        {
            await using var db = store.CreateContext();
            current = await db.Screenings.Where(s => s.Id == screeningId).Select(s => (Guid?)s.ReportId).SingleAsync(cancellationToken).ConfigureAwait(false);
        }

        await _captureLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            pending.Drop(pupilId);
            lock (_lock)
            {
                _retakes.Remove(pupilId);
                if (current is { } reportId)
                {
                    _supersedes[pupilId] = reportId;
                }
            }
        }
        finally
        {
            _captureLock.Release();
        }

        await store.WriteAsync(
            async db =>
            {
                db.Audit.Add(LocalStore.Audit(time, "screening_restarted", FormattableString.Invariant($"pupil {pupilId}") + (current is { } id ? FormattableString.Invariant($", to supersede report {id}") : string.Empty)));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return await roster.PupilAsync(pupilId, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _captureLock.Dispose();

    private CaptureStepResult KeepStanding(long pupilId, PoseBurst burst)
    {
        using var capture = burst.Capture;
        var analysis = analyzer.AnalyzeStanding(capture);
        if (!analysis.Accepted)
        {
            analysis.Dispose();
            camera.SubjectRefused();
            return Refused(pupilId, CapturePose.Standing, analysis.Issues, CapturePose.Standing);
        }

        string folder;
        var reportId = pending.For(pupilId)?.ReportId ?? Guid.CreateVersion7();
        try
        {
            folder = rawDepth.Write(reportId, capture);
        }
        catch
        {
            analysis.Dispose();
            throw;
        }

        pending.Set(pupilId, new PendingStanding(reportId, analysis, folder, capture.Frames.Count));
        return new CaptureStepResult(true, [], CapturePose.ForwardBend, null, RetakesLeft(pupilId));
    }

    private async Task<CaptureStepResult> CompleteAsync(DeviceStore.PupilRow pupil, PendingStanding standing, PoseBurst bend, CancellationToken cancellationToken)
    {
        using var capture = bend.Capture;
        Guid? supersedes;
        lock (_lock)
        {
            supersedes = _supersedes.TryGetValue(pupil.Id, out var earlier) ? earlier : null;
        }

        var done = await completion.CompleteAsync(pupil, standing, bend, supersedes, cancellationToken).ConfigureAwait(false);
        if (done.Outcome is not { } outcome)
        {
            // Where a retake shows a new subject, the kept standing belongs to the old one: both poses are taken again.
            var again = CapturePose.ForwardBend;
            if (camera.RetakeShowsNewSubject)
            {
                camera.SubjectRefused();
                pending.Drop(pupil.Id);
                again = CapturePose.Standing;
            }

            return Refused(pupil.Id, CapturePose.ForwardBend, done.Findings, again);
        }

        pending.Drop(pupil.Id, keepFolder: true);
        lock (_lock)
        {
            _retakes.Remove(pupil.Id);
            _supersedes.Remove(pupil.Id);
        }

        return new CaptureStepResult(true, [], null, outcome, MaxRetakes);
    }

    private CaptureStepResult Refused(long pupilId, CapturePose pose, IReadOnlyList<CaptureFinding> findings, CapturePose again)
    {
        int used;
        lock (_lock)
        {
            used = _retakes[pupilId] = _retakes.GetValueOrDefault(pupilId) + 1;
        }

        var poseName = DepthCapture.PoseName(pose);
        var codes = string.Join(",", findings.Select(f => f.Code));
        LogRefused(logger, pupilId, poseName, codes, used);
        telemetry.CaptureRefused(pose, findings);
        return new CaptureStepResult(false, findings, used > MaxRetakes ? null : again, null, RetakesLeft(pupilId));
    }

    private int RetakesUsed(long pupilId)
    {
        lock (_lock)
        {
            return _retakes.GetValueOrDefault(pupilId);
        }
    }

    private int RetakesLeft(long pupilId) => Math.Max(0, MaxRetakes - RetakesUsed(pupilId));

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture of local pupil {PupilId} ({Pose}) refused: {Codes} (refusal {Count}).")]
    private static partial void LogRefused(ILogger logger, long pupilId, string pose, string codes, int count);
}
