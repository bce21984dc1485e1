namespace SpineScan.Device.Store;

/// <summary>A screening session at one school class.</summary>
internal sealed class SessionRow
{
    public long Id { get; set; }

    public required string SchoolCode { get; set; }

    public required string ClassName { get; set; }

    public required string OperatorName { get; set; }

    public DateTimeOffset OpenedAt { get; set; }
}

/// <summary>A roster row (local only: names and dates of birth never leave the device).</summary>
internal sealed class PupilRow
{
    public long Id { get; set; }

    public long SessionId { get; set; }

    /// <summary>Position in the imported roster (1-based), the order the kiosk lists pupils in.</summary>
    public int RosterOrder { get; set; }

    public required string PupilNumber { get; set; }

    public required string Name { get; set; }

    public int Sex { get; set; }

    public DateOnly DateOfBirth { get; set; }

    public required string ClassName { get; set; }
}

/// <summary>A consent decision as recorded at the kiosk; the newest row of a pupil is in force.</summary>
internal sealed class ConsentRow
{
    public long Id { get; set; }

    public long PupilId { get; set; }

    public int State { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A completed screening of one pupil.</summary>
internal sealed class ScreeningRow
{
    public long Id { get; set; }

    public long PupilId { get; set; }

    public long SessionId { get; set; }

    public Guid ReportId { get; set; }

    public DateTimeOffset CapturedAt { get; set; }

    /// <summary>Last captured frame to committed result (set just after the commit).</summary>
    public double? CaptureToResultMs { get; set; }

    public required string Category { get; set; }

    /// <summary>The parent-link token printed on the slip (never sent: the server gets its hash).</summary>
    public string? ParentLinkToken { get; set; }

    public DateTimeOffset? ParentLinkExpiresAt { get; set; }
}

/// <summary>The raw depth of one pose: a zip of the capture in the replay format, in a file beside the database.</summary>
internal sealed class CaptureRow
{
    public long Id { get; set; }

    public long ScreeningId { get; set; }

    public required string Pose { get; set; }

    /// <summary>The archive's file name under the data folder's <c>captures/</c>; null once purged.</summary>
    public string? ArchiveFile { get; set; }

    public long ArchiveBytes { get; set; }

    public int FrameCount { get; set; }

    public DateTimeOffset? PurgedAt { get; set; }
}

/// <summary>The analysis of a screening as JSON (the wire contract), with the review depth map the slip draws.</summary>
internal sealed class ResultRow
{
    public long Id { get; set; }

    public long ScreeningId { get; set; }

    public required string AnalysisJson { get; set; }

    public string? DepthMapJson { get; set; }
}

/// <summary>Where an outbox row stands.</summary>
internal enum OutboxState
{
    Waiting = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>An anonymized report waiting for (or done with) the server: the SyncReport JSON only.</summary>
internal sealed class OutboxRow
{
    public long Id { get; set; }

    public long ScreeningId { get; set; }

    public Guid ReportId { get; set; }

    public required string PayloadJson { get; set; }

    public OutboxState State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>What happened on the station, by id only (never a name or pupil number).</summary>
internal sealed class AuditRow
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Action { get; set; }

    public required string Detail { get; set; }
}
