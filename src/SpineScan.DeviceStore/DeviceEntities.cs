namespace SpineScan.DeviceStore;

/// <summary>A screening session at one school class.</summary>
public sealed class SessionRow
{
    public long Id { get; set; }

    public required string SchoolCode { get; set; }

    public required string ClassName { get; set; }

    public required string OperatorName { get; set; }

    public DateTimeOffset OpenedAt { get; set; }
}

/// <summary>A roster row (local only: names and dates of birth never leave the device; the identifiers are encrypted at rest).</summary>
public sealed class PupilRow
{
    public long Id { get; set; }

    public long SessionId { get; set; }

    /// <summary>Position in the imported roster (1-based), the order the kiosk lists pupils in.</summary>
    public int RosterOrder { get; set; }

    /// <summary>The pupil number as on the roster (encrypted in the database).</summary>
    public required string PupilNumber { get; set; }

    /// <summary>The blind index of the normalized pupil number (<see cref="FieldProtector.Index"/>): unique per session.</summary>
    public string? PupilNumberKey { get; set; }

    /// <summary>The name (encrypted in the database).</summary>
    public required string Name { get; set; }

    public int Sex { get; set; }

    /// <summary>The date of birth (encrypted in the database).</summary>
    public DateOnly DateOfBirth { get; set; }

    public required string ClassName { get; set; }
}

/// <summary>
/// A consent decision as recorded at the kiosk; the newest row of a pupil is in force. The first row is the decision;
/// any later row is an explicit change (<see cref="IsChange"/>), audited with the operator's reason.
/// </summary>
public sealed class ConsentRow
{
    public long Id { get; set; }

    public long PupilId { get; set; }

    public int State { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>True when this row changed an earlier decision.</summary>
    public bool IsChange { get; set; }
}

/// <summary>A completed screening of one pupil.</summary>
public sealed class ScreeningRow
{
    public long Id { get; set; }

    public long PupilId { get; set; }

    public long SessionId { get; set; }

    public Guid ReportId { get; set; }

    public DateTimeOffset CapturedAt { get; set; }

    /// <summary>Last captured frame to committed result (set just after the commit).</summary>
    public double? CaptureToResultMs { get; set; }

    public required string Category { get; set; }

    /// <summary>The parent-link token printed on the slip (encrypted; never sent: the server gets its hash).</summary>
    public string? ParentLinkToken { get; set; }

    public DateTimeOffset? ParentLinkExpiresAt { get; set; }

    /// <summary>When a later screening of the same pupil replaced this one ("screen again"); null while it is current.</summary>
    public DateTimeOffset? SupersededAt { get; set; }

    /// <summary>The report id of the earlier screening this one replaces, when it was a screen-again.</summary>
    public Guid? SupersedesReportId { get; set; }
}

/// <summary>The raw depth of one pose: a capture folder in the replay format beside the database.</summary>
public sealed class CaptureRow
{
    public long Id { get; set; }

    public long ScreeningId { get; set; }

    public required string Pose { get; set; }

    /// <summary>The folder relative to the data folder (<c>captures/{reportId}/{pose}</c>); null once purged.</summary>
    public string? ArchiveFile { get; set; }

    public long ArchiveBytes { get; set; }

    public int FrameCount { get; set; }

    public DateTimeOffset? PurgedAt { get; set; }
}

/// <summary>The analysis of a screening as JSON (the wire contract), with the review depth map the slip draws.</summary>
public sealed class ResultRow
{
    public long Id { get; set; }

    public long ScreeningId { get; set; }

    public required string AnalysisJson { get; set; }

    public string? DepthMapJson { get; set; }
}

/// <summary>Where an outbox row stands.</summary>
public enum OutboxState
{
    Waiting = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// An anonymized report waiting for (or done with) the server: the SyncReport JSON exactly as it is sent, stamped with
/// the device id and the pseudonym key when it was queued (and stamped again, before any send, if either changed).
/// </summary>
public sealed class OutboxRow
{
    public long Id { get; set; }

    public long ScreeningId { get; set; }

    public Guid ReportId { get; set; }

    public required string PayloadJson { get; set; }

    /// <summary>Which pseudonym key made the report's pseudonym (<c>self:...</c> or <c>programme:...</c>, a key's short hash).</summary>
    public string? PseudonymKeyId { get; set; }

    public OutboxState State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>What happened on the station, by id only (never a name or pupil number).</summary>
public sealed class AuditRow
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Action { get; set; }

    public required string Detail { get; set; }
}

/// <summary>
/// The device's registration with its server (one row): where it syncs, the credential, the programme's pseudonym
/// key and the public address parents open. The credential and the key are encrypted at rest.
/// </summary>
public sealed class RegistrationRow
{
    public long Id { get; set; }

    public required string ServerUrl { get; set; }

    public required string DeviceId { get; set; }

    /// <summary>The whole credential <c>deviceId.secret</c> (encrypted).</summary>
    public required string Credential { get; set; }

    public string? ProgrammeCode { get; set; }

    /// <summary>The programme's pseudonym key, base64 (encrypted); null when the programme issues none.</summary>
    public string? ProgrammeKey { get; set; }

    /// <summary>The address parents reach the server at (the slip's QR code), as the server gave it.</summary>
    public string? PublicBaseUrl { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }
}
