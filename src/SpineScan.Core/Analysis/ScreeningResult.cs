using SpineScan.Contracts;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Core.Analysis;

/// <summary>A measured value with a confidence in [0, 1].</summary>
public readonly record struct Measured(double Value, double Confidence);

/// <summary>A surface landmark found on the back, in camera and body millimetres.</summary>
public sealed record SurfaceLandmark(string Name, Vector3d CameraMm, Vector3d BodyMm, double Confidence);

/// <summary>Frontal and sagittal posture metrics of the standing capture; null where not measurable.</summary>
public sealed record PostureMetrics
{
    public Measured? SurfaceRotationDeg { get; init; }

    public Measured? KyphosisDeg { get; init; }

    public Measured? LordosisDeg { get; init; }

    public Measured? TrunkInclinationDeg { get; init; }

    public Measured? ShoulderHeightDifferenceMm { get; init; }

    public Measured? ScapulaAsymmetryMm { get; init; }

    public Measured? WaistTriangleAsymmetryPct { get; init; }

    public Measured? PelvicObliquityDeg { get; init; }

    public Measured? TrunkImbalanceMm { get; init; }
}

/// <summary>What one pose's capture gave.</summary>
public sealed record PoseReport
{
    public required Capture.CapturePose Pose { get; init; }

    public required IReadOnlyList<CaptureFinding> Issues { get; init; }

    public bool Accepted => Issues.Count == 0;

    public double? DistanceMm { get; init; }

    public double? ValidShare { get; init; }

    /// <summary>Largest change of the body's depth between two frames of the burst, mm (<see cref="BurstMotion.ShiftMm"/>).</summary>
    public double? MotionMm { get; init; }

    /// <summary>Largest change of the body's orientation between two frames, degrees (<see cref="BurstMotion.TurnDeg"/>).</summary>
    public double? MotionTurnDeg { get; init; }

    /// <summary>Largest area of a frame that moved by more than 40 mm, m² (<see cref="BurstMotion.MovedAreaM2"/>).</summary>
    public double? MovedAreaM2 { get; init; }

    /// <summary>Temporal depth noise of one frame on the body, mm (<see cref="BurstMotion.DepthNoiseMm"/>): what the Cobb interval rests on.</summary>
    public double? DepthNoiseMm { get; init; }

    public int FramesUsed { get; init; }

    public double? CameraPitchDeg { get; init; }

    public double? CameraRollDeg { get; init; }
}

/// <summary>The result of analysing one screening (standing, and forward bend when given).</summary>
public sealed record ScreeningResult
{
    /// <summary>
    /// The analysis pipeline's version. It changes whenever the outputs on the fixed capture set change (the golden test
    /// <c>GoldenAnalysisTests</c> holds the version the goldens were made with); the model files have their own ids.
    /// </summary>
    public const string AlgorithmVersion = "0.2.4";

    public required ScreeningCategory Category { get; init; }

    /// <summary>The programme's decision settings <see cref="Category"/> was decided with.</summary>
    public CategoryThresholds Thresholds { get; init; } = CategoryThresholds.Default;

    public required PoseReport Standing { get; init; }

    public PoseReport? ForwardBend { get; init; }

    /// <summary>Every blocking quality issue of both poses (empty when accepted).</summary>
    public IReadOnlyList<CaptureFinding> Issues => [.. Standing.Issues, .. ForwardBend?.Issues ?? []];

    public CentreLineCobbResult? Cobb { get; init; }

    /// <summary>The largest curve's 90 % interval (<see cref="SpinalCurve.Interval90"/>), or null.</summary>
    public CobbInterval? CobbInterval90 => Cobb?.Largest.Interval90;

    /// <summary>Confidence of the Cobb estimate in [0, 1].</summary>
    public double CobbConfidence { get; init; }

    /// <summary>Angle of trunk rotation (magnitude) from the forward bend.</summary>
    public Measured? AtrDeg { get; init; }

    /// <summary>Whether the hump is on the child's right (null when not measured).</summary>
    public bool? AtrRightSideHigher { get; init; }

    public string LandmarkModelId { get; init; } = "none";

    /// <summary>The model files the analysis ran (besides the landmark detector).</summary>
    public IReadOnlyList<ModelInfo> Models { get; init; } = [];

    /// <summary>
    /// True when the vertebral-body centres (and so the Cobb reading) came from the learned centre model; false when
    /// they came from the classical reconstruction (no model, or the model was not sure enough for this capture).
    /// </summary>
    public bool CentresFromModel { get; init; }

    public PostureMetrics Posture { get; init; } = new();

    public IReadOnlyList<SurfaceLandmark> Landmarks { get; init; } = [];

    /// <summary>Estimated vertebral-body centres C7..L5 (camera millimetres).</summary>
    public IReadOnlyList<Vector3d> SpinalLineCameraMm { get; init; } = [];

    /// <summary>The same points in body millimetres (x right, y up from the floor, z posterior).</summary>
    public IReadOnlyList<Vector3d> SpinalLineBodyMm { get; init; } = [];

    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();

    public string? CalibrationId { get; init; }

    /// <summary>Angles and lengths as the result reports them: to the hundredth.</summary>
    public static double Rounded(double value) => Math.Round(value, 2);
}
