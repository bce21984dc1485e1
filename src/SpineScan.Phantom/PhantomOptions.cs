using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

public enum PhantomSex
{
    Female,
    Male,
}

/// <summary>Frontal curve pattern: none (straight), single (C) or double (S).</summary>
public enum CurveType
{
    None,
    C,
    S,
}

/// <summary>Which depth camera the phantom is rendered for.</summary>
public enum PhantomSensor
{
    /// <summary>Intel RealSense D435 active stereo at 848x480.</summary>
    RealSenseD435,

    /// <summary>Azure-Kinect-class time-of-flight, NFOV unbinned 640x576.</summary>
    AzureKinectNfov,

    /// <summary>Intel RealSense D455 active stereo at 848x480: a 95 mm baseline, half the D435's noise (never trained on).</summary>
    RealSenseD455,

    /// <summary>Azure-Kinect-class time-of-flight, WFOV 2x2 binned 512x512 (never trained on).</summary>
    AzureKinectWfov,
}

/// <summary>What stands in front of the camera.</summary>
public enum PhantomScene
{
    /// <summary>One child, back to the camera (the normal case).</summary>
    Child,

    /// <summary>Nobody: wall and floor only (for the "no person in view" gate).</summary>
    Empty,

    /// <summary>The child and a second person beside it (for the "one person" gate).</summary>
    TwoPeople,

    /// <summary>
    /// Nobody, and a flat calibration board (<see cref="PhantomOptions.BoardDistanceMm"/> along the optical axis, square to it)
    /// in front of the wall: the calibration's depth bias and noise capture.
    /// </summary>
    Board,
}

/// <summary>
/// A movement during the burst, for tests and benches of the movement gate: what a child does that should make the
/// capture be taken again (breathing and sway are not movements; they come with the world's motion draw).
/// </summary>
public enum PhantomMovement
{
    /// <summary>The child stands still (breathing and sway only).</summary>
    None,

    /// <summary>A step forward or back, 80-150 mm, part way through the burst.</summary>
    Step,

    /// <summary>A turn of 10-15 degrees about the vertical, part way through the burst.</summary>
    Turn,

    /// <summary>One arm raised 60-90 degrees out to the side, part way through the burst.</summary>
    RaisedArm,
}

/// <summary>Forces the frontal curve instead of drawing it.</summary>
/// <param name="Type">None (straight), C or S.</param>
/// <param name="CobbDeg">Target Cobb angle of the main curve (for S: the thoracic curve), degrees.</param>
/// <param name="Apex">Apex level of the main curve (for S: the thoracic apex); drawn when null.</param>
/// <param name="ConvexRight">Side of the main curve's convexity (the child's right); drawn when null.</param>
/// <param name="SecondaryCobbDeg">For S: target Cobb of the lumbar curve; drawn when null.</param>
public sealed record CurveOverride(CurveType Type, double CobbDeg = 0, VertebralLevel? Apex = null, bool? ConvexRight = null, double? SecondaryCobbDeg = null);

/// <summary>
/// How to generate one phantom child. Everything not forced here is drawn from the population from
/// <see cref="Seed"/>; forcing a value never changes the other draws (every value is always drawn, then overridden).
/// </summary>
public sealed record PhantomOptions
{
    public int Seed { get; init; }

    /// <summary>Frames per capture (0 = truth only, no rendering); null: the burst the device takes with the child's camera (<see cref="SpineScan.Core.Capture.CaptureBurst"/>).</summary>
    public int? FrameCount { get; init; }

    /// <summary>
    /// The world the child is drawn from: the ranges of the coupling of skin and spine, body, clothes, camera and motion
    /// (<see cref="PhantomWorld.Base"/>, the phantom before randomization, by default). Forced values below win over it.
    /// </summary>
    public PhantomWorld World { get; init; } = PhantomWorld.Base;

    /// <summary>The camera; drawn from the world's sensors when null.</summary>
    public PhantomSensor? Sensor { get; init; }

    /// <summary>Forces the frontal curve.</summary>
    public CurveOverride? Curve { get; init; }

    /// <summary>
    /// A straight, left/right symmetric child seen square-on: no curve, no rotation, no trunk shift,
    /// shoulder or pelvic asymmetry, camera centred with zero roll, vertebrae exactly perpendicular to the line.
    /// </summary>
    public bool Symmetric { get; init; }

    /// <summary>Bypasses the tilt model's per-vertebra scatter (endplates perpendicular to the centre line).</summary>
    public bool PerpendicularVertebrae { get; init; }

    /// <summary>Camera-to-back distance along the optical axis, mm (drawn 900-1600).</summary>
    public double? CameraDistanceMm { get; init; }

    /// <summary>Camera pitch error, degrees, positive = looking further down (drawn within +/-5).</summary>
    public double? CameraPitchDeg { get; init; }

    /// <summary>Camera roll error, degrees (drawn within +/-5).</summary>
    public double? CameraRollDeg { get; init; }

    /// <summary>Child's stature, mm (drawn 1300-1850 from sex and age).</summary>
    public double? HeightMm { get; init; }

    public PhantomSex? Sex { get; init; }

    /// <summary>No noise, flying pixels, dropouts or sway: the clean z-buffer quantised to the depth unit.</summary>
    public bool NoiseFree { get; init; }

    /// <summary>Multiplies the sensor's depth noise sigma.</summary>
    public double NoiseScale { get; init; } = 1.0;

    public PhantomScene Scene { get; init; } = PhantomScene.Child;

    /// <summary>Seed of the sensor noise and sway; derived from <see cref="Seed"/> when null.</summary>
    public int? NoiseSeed { get; init; }

    /// <summary>0 = the drawn stance; larger values perturb stance and camera as a re-take would (1 = a typical re-take).</summary>
    public double StanceJitter { get; init; }

    /// <summary>A movement during both bursts (none by default); its size, side and onset are drawn from the noise seed.</summary>
    public PhantomMovement Movement { get; init; }

    /// <summary>Forces the camera's optics and depth effects instead of the world's draw (for twins that differ in one effect).</summary>
    public SensorEffectsDraw? SensorEffects { get; init; }

    /// <summary>Forces the breathing and sway instead of the world's draw.</summary>
    public MotionDraw? Motion { get; init; }

    /// <summary>Forces what the child wears instead of the world's draw (for twins that differ only in a band or waistband).</summary>
    public ClothesDraw? Clothes { get; init; }

    /// <summary>Forces the active-stereo artefacts; null: none in a world whose camera family is the base phantom's, all otherwise.</summary>
    public StereoArtefacts? StereoArtefacts { get; init; }

    /// <summary>
    /// The camera's depth scale error as a fraction (0.01: every depth reads 1 % long): what a calibration's board captures
    /// measure and correct. 0 leaves the rendering exactly as before.
    /// </summary>
    public double DepthScaleError { get; init; }

    /// <summary>Forces the distance from the child's front to the wall it faces (mm; drawn 400-1500 when null).</summary>
    public double? WallGapMm { get; init; }

    /// <summary>For <see cref="PhantomScene.Board"/>: the board's centre on the optical axis, mm from the camera.</summary>
    public double BoardDistanceMm { get; init; } = 1200;

    /// <summary>For <see cref="PhantomScene.Board"/>: how far the board's centre bows toward the camera (mm; 0 = flat, for the "not flat" refusal).</summary>
    public double BoardBowMm { get; init; }

    /// <summary>Lists what is wrong with these options; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (FrameCount is < 0 or > 120)
        {
            problems.Add(FormattableString.Invariant($"frame count {FrameCount} must be 0..120"));
        }

        if (Curve is { } curve && (curve.CobbDeg < 0 || curve.CobbDeg > 90 || curve.SecondaryCobbDeg is < 0 or > 90))
        {
            problems.Add("forced Cobb angles must be 0..90 degrees");
        }

        if (CameraDistanceMm is < 300 or > 4000)
        {
            problems.Add(FormattableString.Invariant($"camera distance {CameraDistanceMm} mm must be 300..4000"));
        }

        if (CameraPitchDeg is < -30 or > 30 || CameraRollDeg is < -30 or > 30)
        {
            problems.Add("camera pitch and roll must be within +/-30 degrees");
        }

        if (HeightMm is < 1000 or > 2100)
        {
            problems.Add(FormattableString.Invariant($"height {HeightMm} mm must be 1000..2100"));
        }

        if (!double.IsFinite(NoiseScale) || NoiseScale < 0 || !double.IsFinite(StanceJitter) || StanceJitter < 0 || StanceJitter > 5)
        {
            problems.Add("noise scale must be >= 0 and stance jitter 0..5");
        }

        if (WallGapMm is < 100 or > 10000)
        {
            problems.Add(FormattableString.Invariant($"wall gap {WallGapMm} mm must be 100..10000"));
        }

        if (!double.IsFinite(DepthScaleError) || Math.Abs(DepthScaleError) > 0.1)
        {
            problems.Add(FormattableString.Invariant($"depth scale error {DepthScaleError} must be within +/-0.1 (10 %)"));
        }

        if (BoardDistanceMm is < 300 or > 4000 || !double.IsFinite(BoardBowMm) || Math.Abs(BoardBowMm) > 200)
        {
            problems.Add("board distance must be 300..4000 mm and its bow within +/-200 mm");
        }

        if (!Enum.IsDefined(Movement))
        {
            problems.Add(FormattableString.Invariant($"movement {(int)Movement} is not one of none, step, turn, raised arm"));
        }

        if (SensorEffects is { } effects)
        {
            problems.AddRange(SensorEffectsModel.Problems(effects));
        }

        if (Motion is { } motion)
        {
            problems.AddRange(PhantomMotion.Problems(motion));
        }

        return problems;
    }
}
