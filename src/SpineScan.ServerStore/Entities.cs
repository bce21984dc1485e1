using Microsoft.AspNetCore.Identity;

namespace SpineScan.ServerStore;

/// <summary>A screening programme: its schools, devices and clinicians, and its category thresholds.</summary>
public sealed class Programme
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public double ReferCobbDeg { get; set; } = 20;
    public double ReferAtrDeg { get; set; } = 7;
    public double RescreenCobbDeg { get; set; } = 10;
    public double RescreenAtrDeg { get; set; } = 5;
}

/// <summary>A school in a programme, known to devices by its code.</summary>
public sealed class School
{
    public int Id { get; set; }
    public int ProgrammeId { get; set; }
    public Programme? Programme { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
}

/// <summary>A registered kiosk. Its credential's secret is kept only as a SHA-256 hash.</summary>
public sealed class Device
{
    public required string Id { get; set; }
    public int ProgrammeId { get; set; }
    public required string SecretSha256 { get; set; }
    public string? Label { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
}

/// <summary>A clinician account (ASP.NET Core Identity) bound to one programme.</summary>
public sealed class Clinician : IdentityUser
{
    public int ProgrammeId { get; set; }
    public string? DisplayName { get; set; }
}

/// <summary>
/// One synced screening: the columns the review queue filters and sorts on; the analysis and the depth
/// map live in <see cref="ScreeningPayload"/>.
/// </summary>
public sealed class Screening
{
    public long Id { get; set; }
    public Guid ReportId { get; set; }
    public int ProgrammeId { get; set; }
    public int SchoolId { get; set; }
    public School? School { get; set; }
    public required string DeviceId { get; set; }
    public required string PupilPseudonym { get; set; }
    public int AgeMonths { get; set; }
    public int Sex { get; set; }
    public required string Grade { get; set; }
    public DateTime CapturedAtUtc { get; set; }
    public int CapturedOffsetMinutes { get; set; }
    public DateTime ReceivedAtUtc { get; set; }

    /// <summary>What the device said (<see cref="Contracts.ScreeningCategory"/>).</summary>
    public int DeviceCategory { get; set; }

    /// <summary>The category in force: the device's until a clinician confirms or overrides it.</summary>
    public int Category { get; set; }

    /// <summary>Queue order: refer 0, rescreen 1, retake 2, normal 3.</summary>
    public int Priority { get; set; }

    public double? LargestCobbDeg { get; set; }
    public double? AtrDeg { get; set; }
    public bool QualityAccepted { get; set; }
    public bool Reviewed { get; set; }
    public DateTime? ReviewedAtUtc { get; set; }
    public string? ReviewedBy { get; set; }
    public string? ReviewNote { get; set; }
    public double? XrayCobbDeg { get; set; }
    public DateOnly? XrayDate { get; set; }

    /// <summary>Lowercase hex SHA-256 of the request body, to tell a true repeat from a reused id.</summary>
    public required string BodySha256 { get; set; }

    public ScreeningPayload? Payload { get; set; }
}

/// <summary>The large parts of a screening, kept apart from the queue's rows.</summary>
public sealed class ScreeningPayload
{
    public long ScreeningId { get; set; }
    public required string AnalysisJson { get; set; }
    public string? DepthMapJson { get; set; }
}

/// <summary>A parent link: only the token's SHA-256 is stored.</summary>
public sealed class ParentLink
{
    public long Id { get; set; }
    public long ScreeningId { get; set; }
    public Screening? Screening { get; set; }
    public required string TokenSha256 { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
}

/// <summary>One view or change of a screening by a clinician (or a parent-link open).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public long? ScreeningId { get; set; }
    public int ProgrammeId { get; set; }
    public string? Detail { get; set; }
}
