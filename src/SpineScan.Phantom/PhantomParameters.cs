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

/// <summary>The coupling of skin and spine drawn for one child (see <see cref="CouplingRanges"/>; 1 and 0 = the base phantom).</summary>
public sealed record CouplingDraw(
    double RotationGain,
    double SpinousLengthScale,
    double SoftTissueScale,
    double ParaspinalAsymmetry,
    double SurfaceRotationGain,
    double TrunkShiftExtraMm,
    double TiltScatterScale);

/// <summary>What the child wears (see <see cref="ClothesRanges"/>).</summary>
/// <param name="Band">A sports-bra or bikini band across the mid back.</param>
/// <param name="BandProudMm">How far it stands off the skin.</param>
/// <param name="BandWidthMm">Its height.</param>
/// <param name="BandLevel">Its middle between C7 (0) and the dimples (1).</param>
/// <param name="Straps">Shoulder straps.</param>
/// <param name="WaistbandAboveDimplesMm">Top of the waistband above the lumbar dimples (negative: below); null = the base phantom's shorts.</param>
/// <param name="WaistbandProudMm">How far the waistband stands off the skin.</param>
public sealed record ClothesDraw(
    bool Band,
    double BandProudMm,
    double BandWidthMm,
    double BandLevel,
    bool Straps,
    double? WaistbandAboveDimplesMm,
    double WaistbandProudMm);

/// <summary>The camera's optics and depth effects drawn for one child (see <see cref="CameraRanges"/>).</summary>
/// <param name="K1">Brown-Conrady k1.</param>
/// <param name="K2">Brown-Conrady k2.</param>
/// <param name="P1">Brown-Conrady p1.</param>
/// <param name="P2">Brown-Conrady p2.</param>
/// <param name="NoiseScale">Multiplies the sensor's noise.</param>
/// <param name="DepthBiasMm">Amplitude of the static smooth depth bias.</param>
/// <param name="DepthBiasSeed">Seed of the bias field's shape.</param>
/// <param name="StereoCorrelationPx">Correlation length of active stereo's per-frame noise (0: per pixel).</param>
/// <param name="ToFMultipathGain">Share of a concavity's depth added by multipath (time of flight).</param>
/// <param name="ToFRowNoiseMm">SD of per-row offsets (time of flight).</param>
public sealed record SensorEffectsDraw(
    double K1,
    double K2,
    double P1,
    double P2,
    double NoiseScale,
    double DepthBiasMm,
    int DepthBiasSeed,
    double StereoCorrelationPx,
    double ToFMultipathGain,
    double ToFRowNoiseMm)
{
    /// <summary>No distortion and none of the effects beyond the base sensor model.</summary>
    public static SensorEffectsDraw None { get; } = new(0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
}

/// <summary>How the child moves during a burst (see <see cref="MotionRanges"/>).</summary>
/// <param name="BreathingMm">Front-to-back amplitude at mid-thorax.</param>
/// <param name="BreathingPeriodS">Period.</param>
/// <param name="BreathingPhase">Phase at the first frame, radians.</param>
/// <param name="SwayMm">Amplitude of the slow sway; null = the base phantom's per-frame jitter.</param>
/// <param name="SwayPeriodS">Period of the sway.</param>
/// <param name="SwayPhase">Phase at the first frame, radians.</param>
/// <param name="SwayDirectionDeg">Direction of the sway in the floor plane (0 = left-right, 90 = front-back).</param>
public sealed record MotionDraw(
    double BreathingMm,
    double BreathingPeriodS,
    double BreathingPhase,
    double? SwayMm,
    double SwayPeriodS,
    double SwayPhase,
    double SwayDirectionDeg)
{
    /// <summary>The base phantom: no breathing, per-frame jitter.</summary>
    public static MotionDraw None { get; } = new(0, 4, 0, null, 2, 0, 0);
}

/// <summary>Every value the generator drew or was forced to: with the code version, enough to rebuild the child.</summary>
public sealed record PhantomParameters
{
    public required int Seed { get; init; }

    /// <summary>The world the child was drawn from (<see cref="PhantomWorld.Name"/>).</summary>
    public string World { get; init; } = PhantomWorld.Base.Name;

    /// <summary>The coupling of skin and spine.</summary>
    public CouplingDraw Coupling { get; init; } = new(1, 1, 1, 0, 1, 0, PhantomTiltModel.ScatterScale);

    /// <summary>What the child wears.</summary>
    public ClothesDraw Clothes { get; init; } = new(false, 0, 0, 0.4, false, null, 2);

    /// <summary>Long hair hanging loose over the neck (instead of tied up or short).</summary>
    public bool LooseHair { get; init; }

    /// <summary>Where loose hair ends above C7's skin point (negative: it covers C7).</summary>
    public double HairClearanceMm { get; init; } = 100;

    /// <summary>Breast development (girls; widens the chest's outline), 0 none.</summary>
    public double BreastScale { get; init; }

    /// <summary>The camera's optics and depth effects.</summary>
    public SensorEffectsDraw SensorEffects { get; init; } = SensorEffectsDraw.None;

    /// <summary>Breathing and sway during the burst.</summary>
    public MotionDraw Motion { get; init; } = MotionDraw.None;

    /// <summary>The active-stereo artefacts the renderer makes (none in the base world).</summary>
    public StereoArtefacts StereoArtefacts { get; init; }

    /// <summary>A movement during the burst (tests and benches of the movement gate; none by default).</summary>
    public MovementDraw Movement { get; init; } = MovementDraw.None;

    public required int NoiseSeed { get; init; }

    public required double StanceJitter { get; init; }

    public required PhantomScene Scene { get; init; }

    /// <summary>The depth scale error (fraction; 0 none).</summary>
    public double DepthScaleError { get; init; }

    /// <summary>The calibration board's distance and bow (mm), for <see cref="PhantomScene.Board"/>.</summary>
    public double BoardDistanceMm { get; init; } = 1200;

    public double BoardBowMm { get; init; }

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
