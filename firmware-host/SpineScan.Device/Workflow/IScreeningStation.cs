using SpineScan.Contracts;
using SpineScan.Core.Capture;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device.Workflow;

/// <summary>
/// The kiosk's screening workflow, one station per device: what the kiosk UI and the headless
/// <c>spinescan screen</c> verb both drive. Names and roster fields stay in the local store; only
/// anonymized reports reach the outbox.
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

    /// <summary>Records whether the pupil's consent is given; no consent, no capture.</summary>
    Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken);

    /// <summary>Live positioning for a pose: depth colour frames with guidance, at 10 fps or more, until cancelled.</summary>
    IAsyncEnumerable<PositioningFrame> WatchPositioningAsync(CapturePose pose, CancellationToken cancellationToken);

    /// <summary>
    /// Captures one pose for a pupil with consent. The standing capture is checked at once (retake with the
    /// reason when a gate fails); the forward bend completes the screening: analysis, store, slip, outbox.
    /// </summary>
    /// <exception cref="StationInputException">No consent, no session, or the pupil is unknown.</exception>
    /// <exception cref="StationStorageException">The disk is full or the data folder unwritable; nothing stored is lost.</exception>
    Task<CaptureStepResult> CaptureAsync(long pupilId, CapturePose pose, CancellationToken cancellationToken);

    /// <summary>A stored screening as the kiosk's result screen shows it.</summary>
    Task<ScreeningOutcome?> GetScreeningAsync(long screeningId, CancellationToken cancellationToken);

    /// <summary>The parent slip of a screening as PDF bytes (child's name printed, QR code of the parent link).</summary>
    Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken);

    /// <summary>What waits in the outbox and how the last sync went.</summary>
    Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken);

    /// <summary>Sends what waits in the outbox now (when a server is configured); returns the status after.</summary>
    Task<OutboxStatus> SyncNowAsync(CancellationToken cancellationToken);
}

/// <summary>Which camera source the station uses and its state.</summary>
/// <param name="Source">phantom, replay or realsense.</param>
/// <param name="Description">Model and serial, or why the preferred source is unavailable.</param>
/// <param name="Ready">True when frames are flowing.</param>
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
    string? LatestCategory);

/// <summary>One live positioning frame: a depth colour map with the target outline drawn in, and guidance.</summary>
/// <param name="Jpeg">The picture, JPEG-encoded.</param>
/// <param name="Guidance">What the screener should say now (plain English messages with stable codes); empty when ready.</param>
/// <param name="Ready">True when nothing stops a capture.</param>
/// <param name="DistanceMm">The child's distance from the camera, when a child is seen.</param>
public sealed record PositioningFrame(byte[] Jpeg, IReadOnlyList<PositioningHint> Guidance, bool Ready, double? DistanceMm);

/// <summary>A positioning hint: a stable code (closer, step_left, arms_down, hair_up, camera_tilted, ...) and its message.</summary>
public sealed record PositioningHint(string Code, string Message);

/// <summary>What one capture step led to.</summary>
/// <param name="Accepted">False: retake this pose for the reasons given.</param>
/// <param name="Reasons">Quality reasons (code and plain message) when not accepted.</param>
/// <param name="Screening">The completed screening after an accepted forward bend; null otherwise.</param>
public sealed record CaptureStepResult(bool Accepted, IReadOnlyList<PositioningHint> Reasons, ScreeningOutcome? Screening);

/// <summary>A stored screening as the kiosk shows it.</summary>
/// <param name="ScreeningId">Local id.</param>
/// <param name="ReportId">The sync report id (UUIDv7).</param>
/// <param name="PupilId">The pupil screened.</param>
/// <param name="Analysis">The analysis result (the wire contract).</param>
/// <param name="CapturedAt">When the last frame was taken.</param>
/// <param name="CaptureToResultMs">Milliseconds from the last captured frame to the stored result.</param>
/// <param name="ParentLink">The parent link printed on the slip, when a server is configured.</param>
public sealed record ScreeningOutcome(long ScreeningId, Guid ReportId, long PupilId, AnalysisResult Analysis, DateTimeOffset CapturedAt, double CaptureToResultMs, Uri? ParentLink);

/// <summary>The outbox at a glance.</summary>
/// <param name="Failed">Reports the server refused (a 4xx with its problem detail in <paramref name="LastError"/>); never retried.</param>
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
