using System.Text.Json.Serialization;

namespace SpineScan.Contracts;

/// <summary>
/// The anonymized report a device syncs to the server (<c>POST /api/v1/reports</c>, schema <see cref="SchemaV1"/>).
/// Never carries a name, date of birth, pupil number or roster row.
/// </summary>
/// <param name="Schema">Always <see cref="SchemaV1"/> for this version.</param>
/// <param name="ReportId">A UUIDv7 made on the device: the idempotency key.</param>
/// <param name="DeviceId">The registered device's id; must match the credential.</param>
/// <param name="SchoolCode">The school's code within the programme.</param>
/// <param name="PupilPseudonym">Lowercase hex HMAC-SHA256 of the pupil number (see <see cref="PupilPseudonym"/>).</param>
/// <param name="AgeMonths">Age at capture in whole months.</param>
/// <param name="Sex">Sex as recorded on the roster.</param>
/// <param name="Grade">School grade or class year (e.g. <c>P5</c>, <c>S1</c>).</param>
/// <param name="CapturedAt">When the capture was taken, with its UTC offset.</param>
/// <param name="Analysis">The device's analysis result.</param>
/// <param name="DepthMap">A downsampled back-surface depth map for review, or null when none was kept.</param>
/// <param name="ParentLink">A parent link to register with the report, or null.</param>
/// <param name="Supersedes">
/// The report id of the same pupil's earlier screening in this session that this one replaces ("screen again" on the
/// device), or null. The earlier report stays stored; this one is the pupil's current screening.
/// </param>
/// <param name="ForwardBendDepthMap">The forward-bend (Adam's test) capture's review depth map, or null when none was kept; optional, so devices that send only the standing map stay valid.</param>
public sealed record SyncReport(
    string Schema,
    Guid ReportId,
    string DeviceId,
    string SchoolCode,
    string PupilPseudonym,
    int AgeMonths,
    Sex Sex,
    string Grade,
    DateTimeOffset CapturedAt,
    AnalysisResult Analysis,
    ReviewDepthMap? DepthMap = null,
    ParentLinkRequest? ParentLink = null,
    Guid? Supersedes = null,
    ReviewDepthMap? ForwardBendDepthMap = null)
{
    /// <summary>The schema name of this version of the sync report.</summary>
    public const string SchemaV1 = "spinescan.report/1";

    /// <summary>The largest request body the server accepts for one report, in bytes.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}

/// <summary>Sex as recorded on the roster.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Sex>))]
public enum Sex
{
    /// <summary>Not recorded.</summary>
    [JsonStringEnumMemberName("unknown")] Unknown = 0,

    /// <summary>Female.</summary>
    [JsonStringEnumMemberName("female")] Female = 1,

    /// <summary>Male.</summary>
    [JsonStringEnumMemberName("male")] Male = 2,
}

/// <summary>
/// A parent link to register: the device keeps the token (on the slip's QR code) and sends only its hash.
/// </summary>
/// <param name="TokenSha256">Lowercase hex SHA-256 of the token (see <see cref="ParentLinkToken.Hash"/>).</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ParentLinkRequest(string TokenSha256, DateTimeOffset ExpiresAt);

/// <summary>A parent link registered on its own (<c>POST /api/v1/parent-links</c>) for a report already synced.</summary>
/// <param name="ReportId">The report the link opens.</param>
/// <param name="TokenSha256">Lowercase hex SHA-256 of the token.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ParentLinkRegistration(Guid ReportId, string TokenSha256, DateTimeOffset ExpiresAt);

/// <summary>What the server answers to an accepted report; a repeat gets the stored answer.</summary>
/// <param name="ReportId">The report id.</param>
/// <param name="ReceivedAt">When the server first stored it.</param>
/// <param name="Duplicate">True when the report had already been stored and nothing changed.</param>
public sealed record ReportAccepted(Guid ReportId, DateTimeOffset ReceivedAt, bool Duplicate);

/// <summary>What the server answers to a registered parent link.</summary>
/// <param name="ReportId">The report the link opens.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ParentLinkRegistered(Guid ReportId, DateTimeOffset ExpiresAt);

/// <summary>
/// What the server tells a registered device about itself (<c>GET /api/v1/devices/me</c>): its programme, the
/// programme's pupil-pseudonym key (so every device of a programme makes the same pseudonym for a child), and the
/// address parents reach the server at (the parent slip's QR code).
/// </summary>
/// <param name="DeviceId">The device id the credential names.</param>
/// <param name="ProgrammeCode">The programme the device belongs to.</param>
/// <param name="PseudonymKey">The programme's HMAC key for pupil pseudonyms, base64 (at least 32 bytes), or null when the programme issues none.</param>
/// <param name="PublicBaseUrl">The base address of the parent pages (<c>{PublicBaseUrl}/r/{token}</c>), or null when the server does not know it.</param>
public sealed record DeviceRegistrationInfo(string DeviceId, string ProgrammeCode, string? PseudonymKey = null, string? PublicBaseUrl = null);
