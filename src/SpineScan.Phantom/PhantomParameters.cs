using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

/// <summary>One frontal curve as drawn (the target) before the tilt model and the Cobb procedure measure it.</summary>
/// <param name="Region">"thoracic", "thoracolumbar" or "lumbar" (by apex).</param>
/// <param name="Apex">Apex vertebra.</param>
/// <param name="UpperEnd">Upper end vertebra (where the tangent is the curve's upper extreme).</param>
/// <param name="LowerEnd">Lower end vertebra.</param>
/// <param name="TargetCobbDeg">Drawn Cobb angle: the tangent difference between the end vertebrae.</param>
/// <param name="ConvexRight">Convex toward the child's right (image right, seen from behind).</param>
/// <param name="ApexRotationDeg">Axial rotation of the apical vertebra, degrees, body turned toward the convexity.</param>
public sealed record CurveParameters(
    string Region,
    VertebralLevel Apex,
    VertebralLevel UpperEnd,
    VertebralLevel LowerEnd,
    double TargetCobbDeg,
    bool ConvexRight,
    double ApexRotationDeg);

/// <summary>Camera placement for both poses.</summary>
/// <param name="Sensor">The camera model.</param>
/// <param name="DeviceModel">The model string written into capture.json.</param>
/// <param name="DistanceMm">Camera centre to the aimed back point along the nominal optical axis.</param>
/// <param name="LateralOffsetMm">Centring error: the camera sits this far to the child's right.</param>
/// <param name="StandingPitchDeg">Pitch error in the standing capture (positive looks down); nominal 0.</param>
/// <param name="StandingRollDeg">Roll in the standing capture.</param>
/// <param name="BendElevationDeg">Forward bend: the camera looks down at the bent back from this elevation (nominal pitch).</param>
/// <param name="BendPitchDeg">Pitch error added to the elevation in the forward-bend capture.</param>
/// <param name="BendRollDeg">Roll in the forward-bend capture.</param>
/// <param name="WallGapMm">Distance from the child's front to the wall it faces.</param>
public sealed record CameraParameters(
    PhantomSensor Sensor,
    string DeviceModel,
    double DistanceMm,
    double LateralOffsetMm,
    double StandingPitchDeg,
    double StandingRollDeg,
    double BendElevationDeg,
    double BendPitchDeg,
    double BendRollDeg,
    double WallGapMm);

/// <summary>The sensor model: noise, dropouts, flying pixels, range, quantisation, sway.</summary>
/// <param name="SigmaAt1mMm">Depth noise standard deviation at 1 m.</param>
/// <param name="SigmaDistanceExponent">sigma(z) = SigmaAt1mMm x (z / 1 m)^exponent.</param>
/// <param name="DropoutStartDeg">Incidence angle (view ray to surface normal) where dropouts begin.</param>
/// <param name="DropoutFullDeg">Incidence angle beyond which nothing is measured.</param>
/// <param name="RandomDropoutProbability">Isolated missing pixels anywhere.</param>
/// <param name="EdgeJumpMm">Depth step between neighbours that counts as a silhouette edge.</param>
/// <param name="FlyingPixelProbability">Chance that a foreground edge pixel reports a mix of fore- and background depth.</param>
/// <param name="EdgeDropoutProbability">Chance that a foreground edge pixel reports nothing.</param>
/// <param name="MinRangeMm">Nearest measurable depth.</param>
/// <param name="MaxRangeMm">Farthest measurable depth.</param>
/// <param name="DepthScaleM">Metres per depth unit (quantisation step).</param>
/// <param name="SwaySigmaMm">Per-axis standard deviation of the child's sway between frames.</param>
/// <param name="SwayMaxMm">Sway clamp per axis.</param>
/// <param name="FrameIntervalMs">Time between frames.</param>
public sealed record NoiseParameters(
    double SigmaAt1mMm,
    double SigmaDistanceExponent,
    double DropoutStartDeg,
    double DropoutFullDeg,
    double RandomDropoutProbability,
    double EdgeJumpMm,
    double FlyingPixelProbability,
    double EdgeDropoutProbability,
    double MinRangeMm,
    double MaxRangeMm,
    double DepthScaleM,
    double SwaySigmaMm,
    double SwayMaxMm,
    double FrameIntervalMs);

/// <summary>Every value the generator drew or was forced to: with the code version, enough to rebuild the child.</summary>
public sealed record PhantomParameters
{
    public required int Seed { get; init; }

    public required int NoiseSeed { get; init; }

    public required double StanceJitter { get; init; }

    public required PhantomScene Scene { get; init; }

    public required PhantomSex Sex { get; init; }

    public required double AgeYears { get; init; }

    public required double HeightMm { get; init; }

    /// <summary>Body-mass index, kg/m^2.</summary>
    public required double Bmi { get; init; }

    /// <summary>Build as a BMI z-score-like number: about -2 slim, 0 typical, +2.5 heavy.</summary>
    public required double BuildZ { get; init; }

    public required CurveType CurveType { get; init; }

    /// <summary>Drawn curves, main (largest target) first.</summary>
    public required CurveParameters[] Curves { get; init; }

    /// <summary>Largest drawn Cobb angle (0 for a straight spine).</summary>
    public required double TargetCobbDeg { get; init; }

    /// <summary>Rotation per degree of Cobb at the apex (thoracic; lumbar curves use their own in <see cref="CurveParameters"/>).</summary>
    public required double RotationPerCobbDeg { get; init; }

    /// <summary>Surface rotation over vertebral rotation in the forward bend, thoracic and lumbar.</summary>
    public required double SurfaceRotationFactorThoracic { get; init; }

    public required double SurfaceRotationFactorLumbar { get; init; }

    /// <summary>Standing surface rotation as a fraction of the forward-bend one.</summary>
    public required double StandingSurfaceRotationRatio { get; init; }

    /// <summary>Curve-independent rib-cage asymmetry of a normal child: surface rotation in degrees (bend) at mid-thorax.</summary>
    public required double PhysiologicalRotationDeg { get; init; }

    public required double KyphosisDeg { get; init; }

    public required double LordosisDeg { get; init; }

    /// <summary>Sacral slope (tilt of the S1 tangent from vertical) after sagittal balancing.</summary>
    public required double SacralSlopeDeg { get; init; }

    /// <summary>C7 body centre ahead (negative) or behind (positive) of S1's, mm.</summary>
    public required double SagittalBalanceMm { get; init; }

    /// <summary>Forward bend: thoracic flexion added to the kyphosis and lumbar flexion taken off the lordosis.</summary>
    public required double BendKyphosisIncreaseDeg { get; init; }

    public required double BendLumbarFlexionDeg { get; init; }

    /// <summary>Forward bend: trunk (S1 to T1) angle below the horizontal, degrees.</summary>
    public required double BendTrunkAngleDeg { get; init; }

    /// <summary>C7 body centre right (positive) of the sacrum's, mm.</summary>
    public required double TrunkShiftMm { get; init; }

    /// <summary>Right acromion higher (positive) than the left, mm.</summary>
    public required double ShoulderHeightDifferenceMm { get; init; }

    /// <summary>Right lumbar dimple (PSIS) higher (positive) than the left, mm.</summary>
    public required double PelvicObliquityMm { get; init; }

    /// <summary>Arm abduction from vertical, degrees, left and right.</summary>
    public required double ArmAbductionLeftDeg { get; init; }

    public required double ArmAbductionRightDeg { get; init; }

    /// <summary>Long hair tied in a ponytail (girls mostly).</summary>
    public required bool Ponytail { get; init; }

    public required int FrameCount { get; init; }

    public required bool NoiseFree { get; init; }

    public required CameraParameters Camera { get; init; }

    public required NoiseParameters Noise { get; init; }
}
