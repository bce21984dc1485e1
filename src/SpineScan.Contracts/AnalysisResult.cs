using System.Text.Json.Serialization;

namespace SpineScan.Contracts;

/// <summary>
/// The versioned result of one screening analysis on the device (schema <see cref="SchemaV2"/>).
/// Lengths are millimetres, angles degrees; every metric carries its unit and a confidence in [0, 1].
/// </summary>
/// <param name="Schema">Always <see cref="SchemaV2"/> for this version.</param>
/// <param name="Category">The screening category; <see cref="ScreeningCategory.Retake"/> when the quality gate failed.</param>
/// <param name="Metrics">Every clinical metric; a metric that could not be measured is null.</param>
/// <param name="Quality">Whether the capture passed the quality gates, and why not.</param>
/// <param name="Landmarks">Surface landmarks in camera and body coordinates.</param>
/// <param name="SpinalLine">The estimated spinal line as a polyline from C7 downwards.</param>
/// <param name="Models">Every model file the analysis ran (landmarks, spinal line, ...), each by id and SHA-256.</param>
/// <param name="CalibrationId">The per-device calibration in force, or null when uncalibrated.</param>
/// <param name="AlgorithmVersion">The version of the analysis pipeline (semantic version); it changes whenever the outputs on a fixed set of captures change.</param>
/// <param name="TimingsMs">Wall time of each stage in milliseconds, keyed by stage name.</param>
/// <param name="Thresholds">The programme thresholds the category was decided with.</param>
public sealed record AnalysisResult(
    string Schema,
    ScreeningCategory Category,
    AnalysisMetrics Metrics,
    CaptureQuality Quality,
    IReadOnlyList<Landmark> Landmarks,
    SpinalLine SpinalLine,
    IReadOnlyList<ModelInfo> Models,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CalibrationId, // required on reading, so written even when null
    string AlgorithmVersion,
    IReadOnlyDictionary<string, double> TimingsMs,
    CategoryThresholds? Thresholds = null)
{
    /// <summary>The schema name of this version of the analysis result: v1 plus each curve's 90 % interval and the list of models.</summary>
    public const string SchemaV2 = "spinescan.analysis/2";

    /// <summary>The first version (no intervals, one model), which this release no longer accepts.</summary>
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
/// <param name="Interval90">
/// Where the true (radiographic) angle lies with 90 % probability, from the capture's own evidence; null when the
/// analysis gave none (the value is then taken as exact by <see cref="CategoryThresholds.Categorize(CobbCurve?, double?)"/>).
/// </param>
public sealed record CobbCurve(
    double Value,
    string Unit,
    double Confidence,
    CurveRegion Region,
    string? ApexLevel = null,
    string? UpperEndLevel = null,
    string? LowerEndLevel = null,
    CobbInterval? Interval90 = null);

/// <summary>A 90 % interval of a Cobb angle, degrees: 5 % of the probability lies below <paramref name="Lower"/>, 5 % above <paramref name="Upper"/>.</summary>
/// <param name="Lower">The 5th percentile.</param>
/// <param name="Upper">The 95th percentile.</param>
public sealed record CobbInterval(double Lower, double Upper);

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

/// <summary>
/// The programme's decision settings (defaults from DESIGN.md): refer when ATR &gt;= <paramref name="ReferAtrDeg"/> or the
/// evidence gives P(Cobb &gt;= <paramref name="ReferCobbDeg"/>) &gt;= <paramref name="ReferProbability"/>; re-screen when
/// ATR &gt;= <paramref name="RescreenAtrDeg"/> or P(Cobb &gt;= <paramref name="RescreenCobbDeg"/>) &gt;= <paramref name="RescreenProbability"/>;
/// else normal. The device and the server decide with this one rule.
/// </summary>
/// <param name="ReferCobbDeg">The Cobb angle whose probability decides a referral.</param>
/// <param name="ReferAtrDeg">Refer at or above this ATR.</param>
/// <param name="RescreenCobbDeg">The Cobb angle whose probability decides a re-screen.</param>
/// <param name="RescreenAtrDeg">Re-screen at or above this ATR.</param>
/// <param name="ReferProbability">Refer when P(Cobb &gt;= <paramref name="ReferCobbDeg"/>) reaches this (p_refer).</param>
/// <param name="RescreenProbability">Re-screen when P(Cobb &gt;= <paramref name="RescreenCobbDeg"/>) reaches this (p_rescreen).</param>
public sealed record CategoryThresholds(
    double ReferCobbDeg = 20,
    double ReferAtrDeg = 7,
    double RescreenCobbDeg = 10,
    double RescreenAtrDeg = 5,
    double ReferProbability = CategoryThresholds.DefaultReferProbability,
    double RescreenProbability = CategoryThresholds.DefaultRescreenProbability)
{
    /// <summary>Default p_refer: at 0.5 a curve is referred when its median estimate reaches the threshold.</summary>
    public const double DefaultReferProbability = 0.5;

    /// <summary>Default p_rescreen.</summary>
    public const double DefaultRescreenProbability = 0.5;

    /// <summary>The defaults of DESIGN.md.</summary>
    public static CategoryThresholds Default { get; } = new();

    /// <summary>The category for the largest curve (with its interval, when it has one) and an ATR; either may be missing.</summary>
    /// <param name="largest">The largest curve, or null when none was measured.</param>
    /// <param name="atrDeg">The angle of trunk rotation, or null.</param>
    /// <returns>Normal, re-screen or refer.</returns>
    public ScreeningCategory Categorize(CobbCurve? largest, double? atrDeg) =>
        Categorize(largest?.Value, largest?.Interval90, atrDeg);

    /// <summary>The category for a largest Cobb estimate and its interval (exact when null) and an ATR.</summary>
    /// <param name="largestCobbDeg">The largest Cobb estimate, or null.</param>
    /// <param name="interval90">Its 90 % interval, or null to take the estimate as exact.</param>
    /// <param name="atrDeg">The angle of trunk rotation, or null.</param>
    /// <returns>Normal, re-screen or refer.</returns>
    public ScreeningCategory Categorize(double? largestCobbDeg, CobbInterval? interval90, double? atrDeg)
    {
        var atr = atrDeg ?? 0;
        double Probability(double threshold) =>
            largestCobbDeg is { } cobb ? CobbEvidence.ProbabilityAtLeast(cobb, interval90, threshold) : 0;

        if (atr >= ReferAtrDeg || Probability(ReferCobbDeg) >= ReferProbability)
        {
            return ScreeningCategory.Refer;
        }

        return atr >= RescreenAtrDeg || Probability(RescreenCobbDeg) >= RescreenProbability ? ScreeningCategory.Rescreen : ScreeningCategory.Normal;
    }

    /// <summary>The category for a largest Cobb estimate taken as exact and an ATR (either may be missing).</summary>
    /// <param name="largestCobbDeg">The largest Cobb estimate, or null.</param>
    /// <param name="atrDeg">The angle of trunk rotation, or null.</param>
    /// <returns>Normal, re-screen or refer.</returns>
    public ScreeningCategory Categorize(double? largestCobbDeg, double? atrDeg) => Categorize(largestCobbDeg, null, atrDeg);
}

/// <summary>
/// What a Cobb estimate and its 90 % interval say about the true angle. The distribution is a split normal: its
/// median is the estimate, and each side is a half normal scaled so that the interval's ends are its 5th and 95th
/// percentiles. An interval need not be symmetric (large curves read low more often than high).
/// </summary>
public static class CobbEvidence
{
    /// <summary>The standard normal's 95th percentile.</summary>
    public const double Z95 = 1.6448536269514722;

    /// <summary>P(true Cobb &gt;= <paramref name="thresholdDeg"/>) given the estimate and its interval (a step at the estimate when the interval is null or empty).</summary>
    /// <param name="estimateDeg">The Cobb estimate (the median).</param>
    /// <param name="interval90">Its 90 % interval, or null.</param>
    /// <param name="thresholdDeg">The angle asked about.</param>
    /// <returns>A probability in [0, 1].</returns>
    public static double ProbabilityAtLeast(double estimateDeg, CobbInterval? interval90, double thresholdDeg)
    {
        var below = interval90 is null ? 0 : Math.Max(0, estimateDeg - interval90.Lower) / Z95;
        var above = interval90 is null ? 0 : Math.Max(0, interval90.Upper - estimateDeg) / Z95;
        var sigma = thresholdDeg >= estimateDeg ? above : below;
        if (sigma <= 0)
        {
            return estimateDeg >= thresholdDeg ? 1 : 0;
        }

        return 1 - NormalCdf((thresholdDeg - estimateDeg) / sigma);
    }

    /// <summary>The standard normal cumulative distribution (Abramowitz and Stegun 7.1.26 on erf; error under 1.5e-7).</summary>
    /// <param name="z">The standard score.</param>
    /// <returns>P(Z &lt;= z).</returns>
    public static double NormalCdf(double z)
    {
        if (z == 0)
        {
            return 0.5; // exactly, so an estimate on the threshold decides as the point rule does at p = 0.5
        }

        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var polynomial = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (polynomial * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}

/// <summary>The one mapping of <see cref="ScreeningCategory"/> to its wire name (the name in JSON, URLs, exports and the stores).</summary>
public static class ScreeningCategoryNames
{
    /// <summary>The wire name: <c>normal</c>, <c>rescreen</c>, <c>refer</c> or <c>retake</c>.</summary>
    /// <param name="category">The category.</param>
    /// <returns>Its wire name.</returns>
    public static string ToWire(this ScreeningCategory category) => category switch
    {
        ScreeningCategory.Normal => "normal",
        ScreeningCategory.Rescreen => "rescreen",
        ScreeningCategory.Refer => "refer",
        ScreeningCategory.Retake => "retake",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Not a screening category."),
    };

    /// <summary>The category a wire name stands for.</summary>
    /// <param name="wire">The wire name (exact, lowercase).</param>
    /// <param name="category">The category, when the name is known.</param>
    /// <returns>Whether the name is a category's.</returns>
    public static bool TryParse(string? wire, out ScreeningCategory category)
    {
        foreach (var candidate in Enum.GetValues<ScreeningCategory>())
        {
            if (string.Equals(candidate.ToWire(), wire, StringComparison.Ordinal))
            {
                category = candidate;
                return true;
            }
        }

        category = default;
        return false;
    }
}
