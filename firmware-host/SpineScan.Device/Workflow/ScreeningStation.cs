using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Device.Analysis;
using SpineScan.Device.Cameras;
using SpineScan.Device.Roster;
using SpineScan.Device.Store;
using SpineScan.Device.Sync;
using SpineScan.Imaging.Replay;
using SpineScan.Reports.Pdf;
using WireCategory = SpineScan.Contracts.ScreeningCategory;

namespace SpineScan.Device.Workflow;

/// <summary>
/// The screening station: sessions, roster, consent, live positioning, captures and analysis, the local store, slips and
/// the outbox. One per device (a singleton); captures are serialized, reads run freely (the store is in WAL mode).
/// </summary>
internal sealed partial class ScreeningStation : IScreeningStation, IAsyncDisposable
{
    /// <summary>Frames per pose: the burst the fusion averages.</summary>
    public const int FramesPerCapture = 10;

    /// <summary>The reason code that asks for the standing pose again (the phantom's retake is a new child).</summary>
    public const string StandingAgainCode = "standing_again";

    private const int MaxRosterBytes = 5 * 1024 * 1024;

    // The live view's pixels per preview pixel along each axis.
    private const int PreviewDownsample = 2;

    private readonly StationOptions _options;
    private readonly StationStore _store;
    private readonly StationCamera _camera;
    private readonly OutboxSync _outbox;
    private readonly IScreeningReportRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly ILogger<ScreeningStation> _logger;
    private readonly ScreeningAnalyzer _analyzer = new(AnalysisSettings.Default, new ClassicLandmarkDetector());
    private readonly PositioningGuide _guide = new();
    private readonly SemaphoreSlim _captureLock = new(1, 1);
    private readonly Lock _pendingLock = new();
    private readonly Dictionary<long, PendingScreening> _pending = [];
    private byte[]? _programmeKey;
    private long? _phantomChildFor;
    private bool _phantomNeedsNewChild;

    public ScreeningStation(
        IOptions<StationOptions> options,
        StationStore store,
        OutboxSync outbox,
        IScreeningReportRenderer renderer,
        TimeProvider timeProvider,
        ILogger<ScreeningStation> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _store = store;
        _outbox = outbox;
        _renderer = renderer;
        _time = timeProvider;
        _logger = logger;
        _camera = new StationCamera(_options, timeProvider);
        if (!_camera.Available)
        {
            LogCameraUnavailable(logger, _camera.Status.Description);
        }
    }

    public StationCameraStatus Camera => _camera.Status;

    /// <summary>The store, for the host's verbs (purge, status) and the tests.</summary>
    internal StationStore Store => _store;

    public async Task<ScreeningSessionInfo> OpenSessionAsync(string schoolCode, string className, string operatorName, CancellationToken cancellationToken)
    {
        schoolCode = RequireText(schoolCode, "school code", 32).Trim();
        className = RequireText(className, "class", 16).Trim();
        operatorName = RequireText(operatorName, "operator", 100).Trim();
        if (!schoolCode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new StationInputException($"The school code '{schoolCode}' may hold only letters, digits, '-', '_' and '.'. Use the code the programme gave the school.");
        }

        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        var row = new SessionRow { SchoolCode = schoolCode, ClassName = className, OperatorName = operatorName, OpenedAt = _time.GetUtcNow() };
        await WriteAsync(
            async db =>
            {
                db.Sessions.Add(row);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Audit.Add(Audit("session_opened", FormattableString.Invariant($"session {row.Id}, school {schoolCode}")));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return ToInfo(row);
    }

    public async Task<ScreeningSessionInfo?> GetCurrentSessionAsync(CancellationToken cancellationToken)
    {
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        await using var db = _store.CreateContext();
        var row = await db.Sessions.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToInfo(row);
    }

    public async Task<RosterImportResult> ImportRosterAsync(long sessionId, Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxRosterBytes)
            {
                return new RosterImportResult(0, [new RosterRowError(1, "file", "The roster file is larger than 5 MB. Import one class at a time.")]);
            }

            buffer.Write(chunk, 0, read);
        }

        await using var db = _store.CreateContext();
        if (!await db.Sessions.AnyAsync(s => s.Id == sessionId, cancellationToken).ConfigureAwait(false))
        {
            throw new StationInputException("There is no such session. Open a session before importing its roster.");
        }

        var existing = await db.Pupils.Where(p => p.SessionId == sessionId).Select(p => p.PupilNumber).ToListAsync(cancellationToken).ConfigureAwait(false);
        var parsed = RosterCsvParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), existing, DateOnly.FromDateTime(_time.GetLocalNow().DateTime));
        if (!parsed.Succeeded)
        {
            return new RosterImportResult(0, parsed.Errors);
        }

        var order = await db.Pupils.Where(p => p.SessionId == sessionId).MaxAsync(p => (int?)p.RosterOrder, cancellationToken).ConfigureAwait(false) ?? 0;
        await WriteAsync(
            async write =>
            {
                await using var transaction = await write.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                foreach (var pupil in parsed.Pupils)
                {
                    write.Pupils.Add(new PupilRow
                    {
                        SessionId = sessionId,
                        RosterOrder = ++order,
                        PupilNumber = pupil.PupilNumber,
                        Name = pupil.Name,
                        Sex = (int)pupil.Sex,
                        DateOfBirth = pupil.DateOfBirth,
                        ClassName = pupil.ClassName,
                    });
                }

                write.Audit.Add(Audit("roster_imported", FormattableString.Invariant($"session {sessionId}, {parsed.Pupils.Count} pupils")));
                await write.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new RosterImportResult(parsed.Pupils.Count, []);
    }

    public async Task<IReadOnlyList<PupilEntry>> FindPupilsAsync(long sessionId, string? search, CancellationToken cancellationToken)
    {
        var pupils = await LoadPupilsAsync(sessionId, null, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(search))
        {
            return pupils;
        }

        var term = search.Trim();
        return [.. pupils.Where(p => p.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || p.PupilNumber.Contains(term, StringComparison.OrdinalIgnoreCase))];
    }

    public async Task<PupilEntry?> FindByCodeAsync(long sessionId, string code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var normalized = PupilPseudonym.Normalize(code);
        var pupils = await LoadPupilsAsync(sessionId, null, cancellationToken).ConfigureAwait(false);
        return pupils.FirstOrDefault(p => string.Equals(PupilPseudonym.Normalize(p.PupilNumber), normalized, StringComparison.Ordinal));
    }

    public async Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken)
    {
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        var pupil = await FindPupilRowAsync(pupilId, cancellationToken).ConfigureAwait(false);
        await WriteAsync(
            async db =>
            {
                db.Consents.Add(new ConsentRow { PupilId = pupilId, State = (int)(consentGiven ? ConsentState.Given : ConsentState.Refused), RecordedAt = _time.GetUtcNow() });
                db.Audit.Add(Audit("consent_recorded", FormattableString.Invariant($"pupil {pupilId}: {(consentGiven ? "given" : "refused")}")));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (!consentGiven)
        {
            DropPending(pupilId);
        }

        return (await LoadPupilsAsync(pupil.SessionId, pupilId, cancellationToken).ConfigureAwait(false))[0];
    }

    public async IAsyncEnumerable<PositioningFrame> WatchPositioningAsync(CapturePose pose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (channel, info) = await _camera.StartAsync(cancellationToken).ConfigureAwait(false);
        _camera.SetPose(pose);
        using var picture = new PositioningPicture();
        while (true)
        {
            DepthFrame frame;
            try
            {
                frame = await channel.Preview.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                yield break;
            }

            PositioningFrame result;
            using (frame)
            {
                result = LiveFrame(frame, info.Intrinsics, pose, _guide, picture);
            }

            yield return result;
        }
    }

    /// <summary>One frame of the live positioning view: the guide's assessment and the picture (PositioningBenchmarks times it).</summary>
    internal static PositioningFrame LiveFrame(DepthFrame frame, CameraIntrinsics intrinsics, CapturePose pose, PositioningGuide guide, PositioningPicture picture)
    {
        // Half resolution for the live view: the guide and the picture need the outline, not the detail.
        var (small, smallIntrinsics) = PositioningGuide.Downsample(frame, intrinsics, PreviewDownsample);
        using (small)
        {
            var assessment = guide.Assess(small, smallIntrinsics, pose);
            var jpeg = picture.Render(small, assessment);
            return new PositioningFrame(jpeg, [.. assessment.Cues.Select(c => new PositioningHint(c.Code, c.Message))], assessment.Ready, assessment.DistanceMm);
        }
    }

    public async Task<CaptureStepResult> CaptureAsync(long pupilId, CapturePose pose, CancellationToken cancellationToken)
    {
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        var pupil = await FindPupilRowAsync(pupilId, cancellationToken).ConfigureAwait(false);
        await using (var db = _store.CreateContext())
        {
            var consent = await db.Consents.Where(c => c.PupilId == pupilId).OrderByDescending(c => c.Id).Select(c => (int?)c.State)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (consent != (int)ConsentState.Given)
            {
                throw new StationInputException(consent == (int)ConsentState.Refused
                    ? "Consent for this pupil was refused: no capture. Move on to the next pupil."
                    : "No consent is recorded for this pupil. Confirm the consent slip, record consent, then capture.");
            }
        }

        await _captureLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (pose == CapturePose.ForwardBend && PendingFor(pupilId) is null)
            {
                throw new StationInputException("Capture the standing pose of this pupil first; the forward bend completes the screening.");
            }

            _store.EnsureFreeSpace(_options.MinFreeDiskMb);
            var (channel, info) = await _camera.StartAsync(cancellationToken).ConfigureAwait(false);
            await PutChildInFrontAsync(pupilId, pose, cancellationToken).ConfigureAwait(false);
            _camera.SetPose(pose);
            IReadOnlyList<DepthFrame> frames;

            // The forward bend completes the screening, and its raw depth must be on disk before the screening's
            // transaction commits: each frame is PNG-encoded as it arrives, so only the last one is left to encode
            // after the burst.
            var encoding = pose == CapturePose.ForwardBend ? new Task<byte[]>[FramesPerCapture] : null;
            Action<DepthFrame, int>? onFrame = encoding is null ? null : (frame, index) => encoding[index] = Task.Run(() => ReplayCaptureWriter.EncodePng(frame), CancellationToken.None);
            try
            {
                frames = await channel.CaptureAsync(FramesPerCapture, onFrame, cancellationToken).ConfigureAwait(false);
            }
            catch (Core.Ports.DepthCameraUnavailableException ex)
            {
                throw new StationInputException(ex.Message + " Check the camera's cable, then capture again.", ex);
            }

            var lastFrame = _time.GetTimestamp();
            var capturedAt = _time.GetLocalNow();
            var capture = new DepthCapture(pose, info.Intrinsics, info.Device, null, frames);
            return pose == CapturePose.Standing
                ? AcceptStanding(pupil, capture)
                : await CompleteAsync(pupil, capture, encoding!, lastFrame, capturedAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _captureLock.Release();
        }
    }

    public async Task<ScreeningOutcome?> GetScreeningAsync(long screeningId, CancellationToken cancellationToken)
    {
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        await using var db = _store.CreateContext();
        var row = await db.Screenings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == screeningId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var result = await db.Results.AsNoTracking().SingleAsync(r => r.ScreeningId == screeningId, cancellationToken).ConfigureAwait(false);
        return ToOutcome(row, JsonSerializer.Deserialize(result.AnalysisJson, SpineScanJsonContext.Default.AnalysisResult)!);
    }

    public async Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken)
    {
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        await using var db = _store.CreateContext();
        var row = await db.Screenings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == screeningId, cancellationToken).ConfigureAwait(false)
            ?? throw new StationInputException("There is no such screening.");
        var result = await db.Results.AsNoTracking().SingleAsync(r => r.ScreeningId == screeningId, cancellationToken).ConfigureAwait(false);
        var name = await db.Pupils.Where(p => p.Id == row.PupilId).Select(p => p.Name).SingleAsync(cancellationToken).ConfigureAwait(false);
        var analysis = JsonSerializer.Deserialize(result.AnalysisJson, SpineScanJsonContext.Default.AnalysisResult)!;
        var map = result.DepthMapJson is null ? null : JsonSerializer.Deserialize(result.DepthMapJson, SpineScanJsonContext.Default.ReviewDepthMap);
        var report = new ScreeningReport(analysis, row.CapturedAt, language, null, map, name, ParentLink(row));
        return await Task.Run(() => _renderer.Render(report), cancellationToken).ConfigureAwait(false);
    }

    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken) => _outbox.StatusAsync(cancellationToken);

    public Task<OutboxStatus> SyncNowAsync(CancellationToken cancellationToken) => _outbox.SyncAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _camera.DisposeAsync().ConfigureAwait(false);
        lock (_pendingLock)
        {
            foreach (var pending in _pending.Values)
            {
                pending.Standing.Dispose();
            }

            _pending.Clear();
        }

        _captureLock.Dispose();
    }

    private Task OpenStoreAsync(CancellationToken cancellationToken) => _store.OpenAsync(sweepOrphans: true, cancellationToken);

    // The phantom shows a new child for each pupil, and a new rendering after a refused capture (the same frames
    // would fail the same way). A real camera needs nothing: the next child steps in front of it.
    private async Task PutChildInFrontAsync(long pupilId, CapturePose pose, CancellationToken cancellationToken)
    {
        if (_camera.Phantom is not { } phantom || pose != CapturePose.Standing)
        {
            return;
        }

        if (_phantomChildFor is { } shownFor && (shownFor != pupilId || _phantomNeedsNewChild))
        {
            await phantom.NextChildAsync(cancellationToken).ConfigureAwait(false);
        }

        _phantomChildFor = pupilId;
        _phantomNeedsNewChild = false;
    }

    private CaptureStepResult AcceptStanding(PupilRow pupil, DepthCapture capture)
    {
        var check = _analyzer.Analyze(capture, null);
        if (check.Issues.Count > 0)
        {
            capture.Dispose();
            _phantomNeedsNewChild = true;
            var codes = string.Join(",", check.Issues.Select(i => i.Code));
            LogRetake(_logger, pupil.Id, "standing", codes);
            return new CaptureStepResult(false, [.. check.Issues.Select(i => new PositioningHint(i.Code, i.Message))], null);
        }

        var reportId = PendingFor(pupil.Id)?.ReportId ?? Guid.CreateVersion7();
        string folder;
        try
        {
            folder = _store.WriteRawDepth(reportId, capture);
        }
        catch
        {
            capture.Dispose();
            throw;
        }

        lock (_pendingLock)
        {
            if (_pending.Remove(pupil.Id, out var old))
            {
                old.Standing.Dispose();
            }

            _pending[pupil.Id] = new PendingScreening(reportId, capture, folder);
        }

        return new CaptureStepResult(true, [], null);
    }

    private async Task<CaptureStepResult> CompleteAsync(PupilRow pupil, DepthCapture bend, Task<byte[]>[] encoding, long lastFrame, DateTimeOffset capturedAt, CancellationToken cancellationToken)
    {
        using var bendCapture = bend;
        FaultInjection.At(FaultInjection.KillAfterCapture);
        var pending = PendingFor(pupil.Id)!;

        // The raw depth is written while the analysis runs (its frames were encoded as they arrived).
        var writeBend = Task.Run(async () => _store.WriteRawDepth(pending.ReportId, bend, await Task.WhenAll(encoding).ConfigureAwait(false)), CancellationToken.None);
        var analyse = Task.Run(() => _analyzer.Analyze(pending.Standing, bend), CancellationToken.None);
        await Task.WhenAll(writeBend, analyse).ConfigureAwait(false);
        var result = await analyse.ConfigureAwait(false);
        var bendFolder = await writeBend.ConfigureAwait(false);
        if (result.Category == WireCategory.Retake)
        {
            var codes = string.Join(",", result.Issues.Select(i => i.Code));
            LogRetake(_logger, pupil.Id, "forward_bend", codes);
            List<PositioningHint> reasons = [.. result.Issues.Select(i => new PositioningHint(i.Code, i.Message))];
            if (_camera.Phantom is not null)
            {
                // The phantom's retake is a new rendering: its standing capture must be taken again to match.
                _phantomNeedsNewChild = true;
                DropPending(pupil.Id);
                reasons.Add(new PositioningHint(StandingAgainCode, "The phantom shows a new child for the retake: capture the standing pose again, then the forward bend."));
            }

            return new CaptureStepResult(false, reasons, null);
        }

        var analysis = ContractMapper.ToContract(result);
        var session = await FindSessionAsync(pupil.SessionId, cancellationToken).ConfigureAwait(false);
        var depthMap = ReviewDepthMapBuilder.Build(pending.Standing, analysis);
        string? token = null;
        ParentLinkRequest? link = null;
        if (_options.ServerConfigured)
        {
            token = ParentLinkToken.Create();
            link = new ParentLinkRequest(ParentLinkToken.Hash(token), _time.GetUtcNow().AddDays(_options.ParentLinkDays));
        }

        var report = new SyncReport(
            SyncReport.SchemaV1,
            pending.ReportId,
            _options.EffectiveDeviceId,
            session.SchoolCode,
            PupilPseudonym.Compute(ProgrammeKey(), pupil.PupilNumber),
            AgeMonths(pupil.DateOfBirth, DateOnly.FromDateTime(capturedAt.DateTime)),
            (Sex)pupil.Sex,
            pupil.ClassName,
            capturedAt,
            analysis,
            depthMap,
            link);
        if (SyncReportValidator.Validate(report) is { Count: > 0 } errors)
        {
            throw new StationInputException("The report breaks the sync contract: " + string.Join("; ", errors.Select(e => e.Field + " " + e.Message)));
        }

        var screening = new ScreeningRow
        {
            PupilId = pupil.Id,
            SessionId = pupil.SessionId,
            ReportId = pending.ReportId,
            CapturedAt = capturedAt,
            Category = Wire(analysis.Category),
            ParentLinkToken = token,
            ParentLinkExpiresAt = link?.ExpiresAt,
        };
        await WriteAsync(
            async db =>
            {
                // One transaction: the screening, both raw-depth rows, the result, the outbox row and the audit line, or nothing.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                db.Screenings.Add(screening);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Captures.Add(new CaptureRow { ScreeningId = screening.Id, Pose = "standing", ArchiveFile = pending.StandingFolder, ArchiveBytes = FolderBytes(pending.StandingFolder), FrameCount = pending.Standing.Frames.Count });
                db.Captures.Add(new CaptureRow { ScreeningId = screening.Id, Pose = "forward_bend", ArchiveFile = bendFolder, ArchiveBytes = FolderBytes(bendFolder), FrameCount = bend.Frames.Count });
                db.Results.Add(new ResultRow
                {
                    ScreeningId = screening.Id,
                    AnalysisJson = JsonSerializer.Serialize(analysis, SpineScanJsonContext.Default.AnalysisResult),
                    DepthMapJson = depthMap is null ? null : JsonSerializer.Serialize(depthMap, SpineScanJsonContext.Default.ReviewDepthMap),
                });
                db.Outbox.Add(new OutboxRow
                {
                    ScreeningId = screening.Id,
                    ReportId = pending.ReportId,
                    PayloadJson = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport),
                    State = OutboxState.Waiting,
                    CreatedAt = _time.GetUtcNow(),
                });
                db.Audit.Add(Audit("screening_stored", FormattableString.Invariant($"screening {screening.Id}, report {pending.ReportId}, {screening.Category}")));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                FaultInjection.At(FaultInjection.KillInDbWrite);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        var ms = _time.GetElapsedTime(lastFrame).TotalMilliseconds;
        try
        {
            await using var db = _store.CreateContext();
            await db.Screenings.Where(s => s.Id == screening.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CaptureToResultMs, ms), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (StationStore.IsStorageFailure(ex))
        {
            // The screening is stored; only its timing is not.
        }

        screening.CaptureToResultMs = ms;
        DropPending(pupil.Id, keepFolder: true);
        LogStored(_logger, screening.Id, pending.ReportId, screening.Category, ms);
        return new CaptureStepResult(true, [], ToOutcome(screening, analysis));
    }

    private async Task WriteAsync(Func<StationDbContext, Task> write, CancellationToken cancellationToken)
    {
        await using var db = _store.CreateContext();
        try
        {
            await write(db).ConfigureAwait(false);
        }
        catch (Exception ex) when (StationStore.IsStorageFailure(ex))
        {
            throw new StationStorageException(
                $"The local store could not take the write ({ex.GetBaseException().Message.TrimEnd('.')}): the disk may be full or the folder unwritable. Nothing already stored was lost; free space and try again.",
                ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<List<PupilEntry>> LoadPupilsAsync(long sessionId, long? onlyPupil, CancellationToken cancellationToken)
    {
        await OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        await using var db = _store.CreateContext();
        var pupils = await db.Pupils.AsNoTracking().Where(p => p.SessionId == sessionId && (onlyPupil == null || p.Id == onlyPupil))
            .OrderBy(p => p.RosterOrder).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = pupils.Select(p => p.Id).ToList();
        var consents = (await db.Consents.AsNoTracking().Where(c => ids.Contains(c.PupilId)).OrderBy(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(c => c.PupilId).ToDictionary(g => g.Key, g => (ConsentState)g.Last().State);
        var screenings = (await db.Screenings.AsNoTracking().Where(s => ids.Contains(s.PupilId)).OrderBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.PupilId).ToDictionary(g => g.Key, g => g.Last());
        return [.. pupils.Select(p =>
        {
            var screening = screenings.GetValueOrDefault(p.Id);
            var progress = screening is not null ? PupilProgress.Screened : PendingFor(p.Id) is not null ? PupilProgress.StandingCaptured : PupilProgress.Waiting;
            return new PupilEntry(p.Id, p.PupilNumber, p.Name, (Sex)p.Sex, p.DateOfBirth, p.ClassName, consents.GetValueOrDefault(p.Id), progress, screening?.Id, screening?.Category);
        })];
    }

    private async Task<PupilRow> FindPupilRowAsync(long pupilId, CancellationToken cancellationToken)
    {
        await using var db = _store.CreateContext();
        return await db.Pupils.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pupilId, cancellationToken).ConfigureAwait(false)
            ?? throw new StationInputException("There is no such pupil on the roster. Pick the pupil from the session's list.");
    }

    private async Task<SessionRow> FindSessionAsync(long sessionId, CancellationToken cancellationToken)
    {
        await using var db = _store.CreateContext();
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken).ConfigureAwait(false)
            ?? throw new StationInputException("The pupil's session no longer exists. Open a session first.");
    }

    private PendingScreening? PendingFor(long pupilId)
    {
        lock (_pendingLock)
        {
            return _pending.GetValueOrDefault(pupilId);
        }
    }

    private void DropPending(long pupilId, bool keepFolder = false)
    {
        PendingScreening? pending;
        lock (_pendingLock)
        {
            _pending.Remove(pupilId, out pending);
        }

        if (pending is not null)
        {
            pending.Standing.Dispose();
            if (!keepFolder)
            {
                _store.DeleteRawDepth(pending.ReportId);
            }
        }
    }

    private byte[] ProgrammeKey() => _programmeKey ??= _store.ProgrammeKey(_options.ProgrammeKey);

    private long FolderBytes(string relative)
    {
        var folder = new DirectoryInfo(Path.Combine(_store.DataDirectory, relative));
        return folder.Exists ? folder.EnumerateFiles().Sum(f => f.Length) : 0;
    }

    private ScreeningOutcome ToOutcome(ScreeningRow row, AnalysisResult analysis) =>
        new(row.Id, row.ReportId, row.PupilId, analysis, row.CapturedAt, row.CaptureToResultMs ?? double.NaN, ParentLink(row));

    private Uri? ParentLink(ScreeningRow row) =>
        row.ParentLinkToken is { } token && !string.IsNullOrWhiteSpace(_options.ServerUrl)
            ? new Uri(_options.ServerUrl.TrimEnd('/') + "/r/" + token)
            : null;

    private AuditRow Audit(string action, string detail) => new() { At = _time.GetUtcNow(), Action = action, Detail = detail };

    private static ScreeningSessionInfo ToInfo(SessionRow row) => new(row.Id, row.SchoolCode, row.ClassName, row.OperatorName, row.OpenedAt);

    private static string RequireText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            throw new StationInputException(FormattableString.Invariant($"The {field} is empty or longer than {maxLength} characters. Fill it in."));
        }

        return value;
    }

    /// <summary>Whole months from birth to the capture date.</summary>
    internal static int AgeMonths(DateOnly birth, DateOnly on)
    {
        var months = ((on.Year - birth.Year) * 12) + on.Month - birth.Month;
        return Math.Max(0, on.Day < birth.Day ? months - 1 : months);
    }

    private static string Wire(WireCategory category) => category switch
    {
        WireCategory.Normal => "normal",
        WireCategory.Rescreen => "rescreen",
        WireCategory.Refer => "refer",
        _ => "retake",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Screening {ScreeningId} stored: report {ReportId}, {Category}, {Milliseconds:0} ms from the last frame.")]
    private static partial void LogStored(ILogger logger, long screeningId, Guid reportId, string category, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture of local pupil {PupilId} ({Pose}) refused: {Codes}.")]
    private static partial void LogRetake(ILogger logger, long pupilId, string pose, string codes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera unavailable: {Reason}")]
    private static partial void LogCameraUnavailable(ILogger logger, string reason);

    private sealed record PendingScreening(Guid ReportId, DepthCapture Standing, string StandingFolder);
}
