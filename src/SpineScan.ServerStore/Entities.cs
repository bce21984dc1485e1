using Microsoft.AspNetCore.Identity;
using SpineScan.Contracts;

namespace SpineScan.ServerStore;

/// <summary>A screening programme: its schools, devices and clinicians, and its category thresholds.</summary>
public sealed class Programme
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public double ReferCobbDeg { get; set; } = CategoryThresholds.Default.ReferCobbDeg;
    public double ReferAtrDeg { get; set; } = CategoryThresholds.Default.ReferAtrDeg;
    public double RescreenCobbDeg { get; set; } = CategoryThresholds.Default.RescreenCobbDeg;
    public double RescreenAtrDeg { get; set; } = CategoryThresholds.Default.RescreenAtrDeg;

    /// <summary>Refer when the capture's evidence gives P(Cobb at least <see cref="ReferCobbDeg"/>) at least this.</summary>
    public double ReferProbability { get; set; } = CategoryThresholds.DefaultReferProbability;

    /// <summary>Re-screen when P(Cobb at least <see cref="RescreenCobbDeg"/>) is at least this.</summary>
    public double RescreenProbability { get; set; } = CategoryThresholds.DefaultRescreenProbability;

    /// <summary>
    /// The programme's pupil-pseudonym key (the HMAC key every device of the programme uses, so one child has one
    /// pseudonym), encrypted with the server's Data Protection key ring; null for a programme made before keys were
    /// issued until <c>admin issue-pseudonym-key</c>. Given only to the programme's devices (<c>GET /api/v1/devices/me</c>).
    /// </summary>
    public string? PseudonymKeyProtected { get; set; }

    /// <summary>The programme's thresholds as the wire type that decides a category.</summary>
    public CategoryThresholds Thresholds() => new(ReferCobbDeg, ReferAtrDeg, RescreenCobbDeg, RescreenAtrDeg, ReferProbability, RescreenProbability);
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

/// <summary>
/// An EHR's client credential for the export API (<c>/api/v1/ehr</c>): like a device's, the secret is kept only as a
/// SHA-256 hash, and it sees one programme.
/// </summary>
public sealed class EhrClient
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

    /// <summary>What the device said (<see cref="Contracts.ScreeningCategory"/>): kept to show and flag a disagreement.</summary>
    public int DeviceCategory { get; set; }

    /// <summary>The category the server decided at ingest from the metrics and the programme's thresholds.</summary>
    public int AssessedCategory { get; set; }

    /// <summary>The clinician's category once reviewed (confirmed or overridden); null until then.</summary>
    public int? ReviewedCategory { get; set; }

    /// <summary>
    /// Queue order of the category in force (reviewed, else assessed): refer 0, rescreen 1, retake 2, normal 3. A stored
    /// column the database computes (<see cref="ScreeningCategories.PrioritySql"/>), so the queue's indexes can hold it.
    /// </summary>
    public int Priority { get; private set; }

    /// <summary>True once a clinician reviewed it; computed by the database from <see cref="ReviewedCategory"/>.</summary>
    public bool Reviewed { get; private set; }

    public double? LargestCobbDeg { get; set; }

    /// <summary>The largest curve's 90 % interval, lower end (from the stored body; shown beside the estimate in lists).</summary>
    public double? LargestCobbLower90Deg { get; set; }

    /// <summary>The largest curve's 90 % interval, upper end.</summary>
    public double? LargestCobbUpper90Deg { get; set; }

    public double? AtrDeg { get; set; }
    public bool QualityAccepted { get; set; }
    public DateTime? ReviewedAtUtc { get; set; }
    public string? ReviewedBy { get; set; }
    public string? ReviewNote { get; set; }
    public double? XrayCobbDeg { get; set; }
    public DateOnly? XrayDate { get; set; }

    /// <summary>The report id of the same child's earlier screening this one replaces ("screen again" on the device), or null.</summary>
    public Guid? SupersedesReportId { get; set; }

    /// <summary>
    /// True once a later screening of the same child replaces this one: it stays stored and reachable (linked from the
    /// current one) but leaves the review queue, the statistics and the child's history.
    /// </summary>
    public bool Superseded { get; set; }

    /// <summary>Lowercase hex SHA-256 of the request body, to tell a true repeat from a reused id.</summary>
    public required string BodySha256 { get; set; }

    public ScreeningPayload? Payload { get; set; }
}

/// <summary>
/// The report as it arrived: exactly the request body's bytes, whose SHA-256 is <see cref="Screening.BodySha256"/>. The
/// analysis and the depth map are read from it (<see cref="StoredReport"/>); nothing is re-serialised.
/// </summary>
public sealed class ScreeningPayload
{
    public long ScreeningId { get; set; }
    public required byte[] Body { get; set; }
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
