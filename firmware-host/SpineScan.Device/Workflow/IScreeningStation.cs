using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device.Workflow;

/// <summary>
/// The device's application layer as the kiosk and the headless verbs use it, one station per device: sessions and
/// roster, consent, live positioning, one pupil screening flow (standing, forward bend, the retake policy), results,
/// slips and the outbox. Names and roster fields stay in the local store; only anonymized reports reach the outbox.
/// </summary>
public interface IScreeningStation
{
    /// <summary>The camera source in use and what it says about itself (shown in the kiosk's header).</summary>
    StationCameraStatus Camera { get; }

    /// <summary>Opens a screening session; the station's current session until another is opened.</summary>
    /// <exception cref="StationInputException">A field is empty or too long; the message names it.</exception>
    Task<ScreeningSessionInfo> OpenSessionAsync(string schoolCode, string className, string operatorName, CancellationToken cancellationToken);

    /// <summary>The open session, or null before one is opened.</summary>
    Task<ScreeningSessionInfo?> GetCurrentSessionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Imports a class roster from CSV (header: pupil_number,name,sex,date_of_birth,class). All or nothing:
    /// when any row is wrong, nothing is imported and every row error is returned.
    /// </summary>
    Task<RosterImportResult> ImportRosterAsync(long sessionId, Stream csv, CancellationToken cancellationToken);

    /// <summary>The session's pupils whose name or pupil number contains <paramref name="search"/> (all when null or empty), in roster order.</summary>
    Task<IReadOnlyList<PupilEntry>> FindPupilsAsync(long sessionId, string? search, CancellationToken cancellationToken);

    /// <summary>The pupil a scanned or typed code names (the pupil number, as on the consent slip's QR code), or null.</summary>
    Task<PupilEntry?> FindByCodeAsync(long sessionId, string code, CancellationToken cancellationToken);

    /// <summary>
    /// The next pupil to screen after <paramref name="afterPupilId"/> in roster order (from the top when null): not yet
    /// screened and consent not refused; null when every pupil is done.
    /// </summary>
    Task<PupilEntry?> NextPupilAsync(long sessionId, long? afterPupilId, CancellationToken cancellationToken);

    /// <summary>
    /// Records the pupil's consent decision once; recording the same decision again changes nothing. No consent, no capture.
    /// </summary>
    /// <exception cref="StationInputException">Another decision is already recorded: changing it takes <see cref="ChangeConsentAsync"/>.</exception>
    Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken);

    /// <summary>Changes a recorded consent decision: an explicit act, written to the audit log. A refusal drops the pupil's pending capture.</summary>
    /// <exception cref="StationInputException">No decision is recorded yet, or it is already this one.</exception>
    Task<PupilEntry> ChangeConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken);

    /// <summary>Live positioning for a pose: depth colour frames with guidance, at 10 fps or more, until cancelled.</summary>
    IAsyncEnumerable<PositioningFrame> WatchPositioningAsync(CapturePose pose, CancellationToken cancellationToken);

    /// <summary>
    /// Captures the pose the pupil's screening needs next (<see cref="PupilEntry.NextPose"/>): standing, checked at
    /// once; then the forward bend, which completes the screening (analysis, store, slip, outbox). A refused capture
    /// says why and which pose to take again, until the retakes are used up.
    /// </summary>
    /// <exception cref="StationInputException">No consent, no session, the pupil is unknown, or the retakes are used up.</exception>
    /// <exception cref="StationStorageException">The disk is full or the data folder unwritable; nothing stored is lost.</exception>
    Task<CaptureStepResult> CaptureNextAsync(long pupilId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the pupil's screening over: the pending capture is dropped and the retakes renewed; when the pupil has a
    /// screening already, the next one completed supersedes it (the kiosk asks first).
    /// </summary>
    Task<PupilEntry> ScreenAgainAsync(long pupilId, CancellationToken cancellationToken);

    /// <summary>A stored screening as the kiosk's result screen shows it.</summary>
    Task<ScreeningOutcome?> GetScreeningAsync(long screeningId, CancellationToken cancellationToken);

    /// <summary>The parent slip of a screening as PDF bytes (child's name printed, QR code of the parent link).</summary>
    Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken);

    /// <summary>What waits in the outbox, what was sent and what failed, and how the last sync went.</summary>
    Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken);

    /// <summary>Sends what waits in the outbox now (when a server is configured); returns the status after.</summary>
    Task<OutboxStatus> SyncNowAsync(CancellationToken cancellationToken);

    /// <summary>Puts the reports the server refused back in the queue and sends them again (once their cause is fixed).</summary>
    Task<OutboxStatus> RetryFailedAsync(CancellationToken cancellationToken);
}

/// <summary>Which camera source the station uses and its state.</summary>
/// <param name="Source">phantom, replay or realsense.</param>
/// <param name="Description">Model and serial, or why the preferred source is unavailable.</param>
/// <param name="Ready">True while frames arrive from the camera.</param>
public sealed record StationCameraStatus(string Source, string Description, bool Ready);

/// <summary>A screening session at one school class.</summary>
public sealed record ScreeningSessionInfo(long Id, string SchoolCode, string ClassName, string OperatorName, DateTimeOffset OpenedAt);

/// <summary>One wrong roster row (1-based line number in the file, the column, what is wrong and what to do).</summary>
public sealed record RosterRowError(int Line, string Column, string Message);

/// <summary>The outcome of a roster import: rows imported, or the errors and nothing imported.</summary>
public sealed record RosterImportResult(int Imported, IReadOnlyList<RosterRowError> Errors)
{
    /// <summary>True when the roster was imported.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Consent as recorded at the kiosk.</summary>
public enum ConsentState
{
    /// <summary>Not yet asked.</summary>
    NotRecorded = 0,

    /// <summary>Consent given: the pupil may be captured.</summary>
    Given = 1,

    /// <summary>Consent refused: no capture.</summary>
    Refused = 2,
}

/// <summary>Where a pupil is in today's screening.</summary>
public enum PupilProgress
{
    /// <summary>Not yet screened.</summary>
    Waiting = 0,

    /// <summary>Standing captured and accepted; forward bend next.</summary>
    StandingCaptured = 1,

    /// <summary>Screened: a result is stored.</summary>
    Screened = 2,
}

/// <summary>A roster pupil as the kiosk lists them (local only: carries the name).</summary>
public sealed record PupilEntry(
    long Id,
    string PupilNumber,
    string Name,
    Sex Sex,
    DateOnly DateOfBirth,
    string ClassName,
    ConsentState Consent,
    PupilProgress Progress,
    long? LatestScreeningId,
    string? LatestCategory)
{
    /// <summary>The pose the pupil's screening needs next.</summary>
    public CapturePose NextPose => Progress == PupilProgress.StandingCaptured ? CapturePose.ForwardBend : CapturePose.Standing;
}

/// <summary>One live positioning frame: a depth colour map with the target outline drawn in, and guidance.</summary>
/// <param name="Jpeg">The picture, JPEG-encoded; empty where OpenCV's native library is absent (guidance only).</param>
/// <param name="Guidance">What the screener should tell the child now (the capture-finding codes the gates use too); empty when ready.</param>
/// <param name="Ready">True when nothing stops a capture.</param>
/// <param name="DistanceMm">The child's distance from the camera, when a child is seen.</param>
public sealed record PositioningFrame(byte[] Jpeg, IReadOnlyList<CaptureFinding> Guidance, bool Ready, double? DistanceMm);

/// <summary>What one capture step led to.</summary>
/// <param name="Accepted">False: the capture was refused for <paramref name="Findings"/>.</param>
/// <param name="Findings">Why the capture was refused (codes and values; the kiosk words them in its language).</param>
/// <param name="NextPose">The pose to capture next; null when the screening is complete or the retakes are used up.</param>
/// <param name="Screening">The completed screening after an accepted forward bend; null otherwise.</param>
/// <param name="RetakesLeft">Refused captures the pupil may still retake in this try.</param>
public sealed record CaptureStepResult(bool Accepted, IReadOnlyList<CaptureFinding> Findings, CapturePose? NextPose, ScreeningOutcome? Screening, int RetakesLeft)
{
    /// <summary>True when the retakes are used up: the screening stops until it is started again.</summary>
    public bool RetakesUsedUp => !Accepted && NextPose is null;
}

/// <summary>A stored screening as the kiosk shows it.</summary>
/// <param name="ScreeningId">Local id.</param>
/// <param name="ReportId">The sync report id (UUIDv7).</param>
/// <param name="PupilId">The pupil screened.</param>
/// <param name="Analysis">The analysis result (the wire contract).</param>
/// <param name="CapturedAt">When the last frame was taken.</param>
/// <param name="CaptureToResultMs">Milliseconds from the last captured frame to the stored result.</param>
/// <param name="ParentLink">The parent link printed on the slip, once the device knows the server's public address.</param>
/// <param name="Superseded">True when a later screening of the pupil replaced this one.</param>
public sealed record ScreeningOutcome(long ScreeningId, Guid ReportId, long PupilId, AnalysisResult Analysis, DateTimeOffset CapturedAt, double CaptureToResultMs, Uri? ParentLink, bool Superseded = false);

/// <summary>The outbox at a glance.</summary>
/// <param name="Failed">Reports the server refused (a 4xx with its problem detail in <paramref name="LastError"/>); sent again only by a retry of the failed.</param>
public sealed record OutboxStatus(int Waiting, int Sent, DateTimeOffset? LastAttemptAt, string? LastError, bool ServerConfigured, int Failed = 0);

/// <summary>Input the station cannot act on; the message says what was wrong and what to do.</summary>
public sealed class StationInputException : Exception
{
    public StationInputException()
    {
    }

    public StationInputException(string message)
        : base(message)
    {
    }

    public StationInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The local store cannot take a write (disk full, folder unwritable); nothing already stored is lost.</summary>
public sealed class StationStorageException : Exception
{
    public StationStorageException()
    {
    }

    public StationStorageException(string message)
        : base(message)
    {
    }

    public StationStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
