using System.Text.Json.Serialization;

namespace SpineScan.Contracts;

/// <summary>
/// The versioned result of one screening analysis on the device (schema <see cref="SchemaV1"/>).
/// Lengths are millimetres, angles degrees; every metric carries its unit and a confidence in [0, 1].
/// </summary>
/// <param name="Schema">Always <see cref="SchemaV1"/> for this version.</param>
/// <param name="Category">The screening category; <see cref="ScreeningCategory.Retake"/> when the quality gate failed.</param>
/// <param name="Metrics">Every clinical metric; a metric that could not be measured is null.</param>
/// <param name="Quality">Whether the capture passed the quality gates, and why not.</param>
/// <param name="Landmarks">Surface landmarks in camera and body coordinates.</param>
/// <param name="SpinalLine">The estimated spinal line as a polyline from C7 downwards.</param>
/// <param name="Model">The landmark model that ran.</param>
/// <param name="CalibrationId">The per-device calibration in force, or null when uncalibrated.</param>
/// <param name="AlgorithmVersion">The version of the analysis pipeline (semantic version).</param>
/// <param name="TimingsMs">Wall time of each stage in milliseconds, keyed by stage name.</param>
/// <param name="Thresholds">The programme thresholds the category was decided with.</param>
public sealed record AnalysisResult(
    string Schema,
    ScreeningCategory Category,
    AnalysisMetrics Metrics,
    CaptureQuality Quality,
    IReadOnlyList<Landmark> Landmarks,
    SpinalLine SpinalLine,
    ModelInfo Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CalibrationId, // required on reading, so written even when null
    string AlgorithmVersion,
    IReadOnlyDictionary<string, double> TimingsMs,
    CategoryThresholds? Thresholds = null)
{
    /// <summary>The schema name of this version of the analysis result.</summary>
    public const string SchemaV1 = "spinescan.analysis/1";

    /// <summary>The largest Cobb-angle estimate in degrees, or null when no curve was measured.</summary>
    [JsonIgnore]
    public double? LargestCobbDeg => Metrics.CobbDeg.Count > 0 ? Metrics.CobbDeg[0].Value : null;
}

/// <summary>The screening outcome the device reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScreeningCategory>))]
public enum ScreeningCategory
{
    /// <summary>Below every threshold.</summary>
    [JsonStringEnumMemberName("normal")] Normal = 0,

    /// <summary>Re-screen in 6 to 12 months (Cobb 10-19 degrees or ATR 5-6 degrees by default).</summary>
    [JsonStringEnumMemberName("rescreen")] Rescreen = 1,

    /// <summary>Refer for X-ray (Cobb at least 20 degrees or ATR at least 7 degrees by default).</summary>
    [JsonStringEnumMemberName("refer")] Refer = 2,

    /// <summary>The capture failed a quality gate: no category, only a retake and the reasons.</summary>
    [JsonStringEnumMemberName("retake")] Retake = 3,
}

/// <summary>One scalar measurement.</summary>
/// <param name="Value">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit: <c>deg</c>, <c>mm</c> or <c>%</c>.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
public sealed record Metric(double Value, string Unit, double Confidence)
{
    /// <summary>Degrees.</summary>
    public const string Degrees = "deg";

    /// <summary>Millimetres.</summary>
    public const string Millimetres = "mm";

    /// <summary>Percent.</summary>
    public const string Percent = "%";
}

/// <summary>Which part of the spine a curve lies in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CurveRegion>))]
public enum CurveRegion
{
    /// <summary>Proximal thoracic.</summary>
    [JsonStringEnumMemberName("proximal_thoracic")] ProximalThoracic = 0,

    /// <summary>Main thoracic.</summary>
    [JsonStringEnumMemberName("main_thoracic")] MainThoracic = 1,

    /// <summary>Thoracolumbar or lumbar.</summary>
    [JsonStringEnumMemberName("thoracolumbar_lumbar")] ThoracolumbarLumbar = 2,
}

/// <summary>The overall curve pattern in the frontal plane.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CurvePattern>))]
public enum CurvePattern
{
    /// <summary>No curve above the noise floor.</summary>
    [JsonStringEnumMemberName("none")] None = 0,

    /// <summary>One curve.</summary>
    [JsonStringEnumMemberName("c")] C = 1,

    /// <summary>Two or more curves.</summary>
    [JsonStringEnumMemberName("s")] S = 2,
}

/// <summary>One frontal-plane curve of the Cobb-angle estimate.</summary>
/// <param name="Value">The Cobb-angle estimate in degrees.</param>
/// <param name="Unit">Always <c>deg</c>.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
/// <param name="Region">Which part of the spine the curve lies in.</param>
/// <param name="ApexLevel">The estimated apex vertebra (e.g. <c>T8</c>), or null.</param>
/// <param name="UpperEndLevel">The estimated upper end vertebra, or null.</param>
/// <param name="LowerEndLevel">The estimated lower end vertebra, or null.</param>
public sealed record CobbCurve(
    double Value,
    string Unit,
    double Confidence,
    CurveRegion Region,
    string? ApexLevel = null,
    string? UpperEndLevel = null,
    string? LowerEndLevel = null);

/// <summary>Every clinical metric of one screening. Null means not measured.</summary>
/// <param name="CobbDeg">Up to three curves, largest first; empty when none was found.</param>
/// <param name="CurvePattern">C or S pattern.</param>
/// <param name="AtrDeg">Angle of trunk rotation from the forward-bend capture (what a scoliometer gives).</param>
/// <param name="SurfaceRotationDeg">Largest surface rotation along the symmetry line, standing.</param>
/// <param name="KyphosisDeg">Thoracic kyphosis angle.</param>
/// <param name="LordosisDeg">Lumbar lordosis angle.</param>
/// <param name="TrunkInclinationDeg">Sagittal trunk inclination.</param>
/// <param name="ShoulderHeightDifferenceMm">Shoulder height difference.</param>
/// <param name="ScapulaAsymmetryMm">Scapula asymmetry.</param>
/// <param name="WaistTriangleAsymmetryPct">Waist-triangle area asymmetry.</param>
/// <param name="PelvicObliquityDeg">Pelvic obliquity from the lumbar dimples.</param>
/// <param name="TrunkImbalanceMm">C7 plumb line to the dimples' midpoint.</param>
public sealed record AnalysisMetrics(
    IReadOnlyList<CobbCurve> CobbDeg,
    CurvePattern CurvePattern,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Metric? AtrDeg, // required on reading, so written even when null
    Metric? SurfaceRotationDeg = null,
    Metric? KyphosisDeg = null,
    Metric? LordosisDeg = null,
    Metric? TrunkInclinationDeg = null,
    Metric? ShoulderHeightDifferenceMm = null,
    Metric? ScapulaAsymmetryMm = null,
    Metric? WaistTriangleAsymmetryPct = null,
    Metric? PelvicObliquityDeg = null,
    Metric? TrunkImbalanceMm = null);

/// <summary>The quality gate's verdict on a capture.</summary>
/// <param name="Accepted">True when the capture passed every gate.</param>
/// <param name="Reasons">Why the capture was rejected or is doubtful; empty when clean.</param>
/// <param name="ValidPixelFraction">Fraction of the back region with a depth measurement, in [0, 1].</param>
/// <param name="DistanceMm">Camera to back distance.</param>
/// <param name="FramesUsed">How many frames were fused.</param>
public sealed record CaptureQuality(
    bool Accepted,
    IReadOnlyList<QualityReason> Reasons,
    double? ValidPixelFraction = null,
    double? DistanceMm = null,
    int? FramesUsed = null);

/// <summary>One quality flag.</summary>
/// <param name="Code">A stable machine code (e.g. <c>hair_covers_c7</c>, <c>too_far</c>, <c>motion</c>).</param>
/// <param name="Message">A plain-language explanation for the screener.</param>
/// <param name="Blocking">True when this flag alone rejects the capture.</param>
public sealed record QualityReason(string Code, string Message, bool Blocking = true);

/// <summary>A point in millimetres.</summary>
/// <param name="X">x in mm.</param>
/// <param name="Y">y in mm.</param>
/// <param name="Z">z in mm.</param>
public sealed record Point3Mm(double X, double Y, double Z);

/// <summary>
/// A surface landmark. Camera coordinates: RealSense convention (+x right in the image, +y down,
/// +z away from the camera). Body coordinates: origin at the lumbar dimples' midpoint, +x to the
/// child's right, +y up, +z backwards (out of the back, towards the camera).
/// </summary>
/// <param name="Name">A stable name: <c>c7</c>, <c>left_dimple</c>, <c>right_dimple</c>, <c>left_shoulder</c>,
/// <c>right_shoulder</c>, <c>left_scapula</c>, <c>right_scapula</c>, <c>left_waist</c>, <c>right_waist</c>, ...</param>
/// <param name="CameraMm">Position in camera coordinates.</param>
/// <param name="BodyMm">Position in body coordinates.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
public sealed record Landmark(string Name, Point3Mm CameraMm, Point3Mm BodyMm, double Confidence);

/// <summary>The estimated spinal line from C7 down to the dimples' midpoint, the same points in both frames.</summary>
/// <param name="CameraMm">The polyline in camera coordinates.</param>
/// <param name="BodyMm">The polyline in body coordinates.</param>
public sealed record SpinalLine(IReadOnlyList<Point3Mm> CameraMm, IReadOnlyList<Point3Mm> BodyMm);

/// <summary>The landmark model that ran.</summary>
/// <param name="Id">The model's id (name and version).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the model file.</param>
public sealed record ModelInfo(string Id, string Sha256);

/// <summary>The programme thresholds a category is decided with (defaults from DESIGN.md).</summary>
/// <param name="ReferCobbDeg">Refer at or above this Cobb estimate.</param>
/// <param name="ReferAtrDeg">Refer at or above this ATR.</param>
/// <param name="RescreenCobbDeg">Re-screen at or above this Cobb estimate.</param>
/// <param name="RescreenAtrDeg">Re-screen at or above this ATR.</param>
public sealed record CategoryThresholds(
    double ReferCobbDeg = 20,
    double ReferAtrDeg = 7,
    double RescreenCobbDeg = 10,
    double RescreenAtrDeg = 5)
{
    /// <summary>The defaults of DESIGN.md.</summary>
    public static CategoryThresholds Default { get; } = new();

    /// <summary>The category these thresholds give for a largest Cobb estimate and an ATR (either may be missing).</summary>
    /// <param name="largestCobbDeg">The largest Cobb estimate, or null.</param>
    /// <param name="atrDeg">The angle of trunk rotation, or null.</param>
    /// <returns>Normal, re-screen or refer.</returns>
    public ScreeningCategory Categorize(double? largestCobbDeg, double? atrDeg)
    {
        var cobb = largestCobbDeg ?? 0;
        var atr = atrDeg ?? 0;
        if (cobb >= ReferCobbDeg || atr >= ReferAtrDeg)
        {
            return ScreeningCategory.Refer;
        }

        return cobb >= RescreenCobbDeg || atr >= RescreenAtrDeg ? ScreeningCategory.Rescreen : ScreeningCategory.Normal;
    }
}
