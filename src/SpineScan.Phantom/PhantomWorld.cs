namespace SpineScan.Phantom;

/// <summary>
/// A range a world parameter is drawn from: uniform over [<see cref="Min"/>, <see cref="Max"/>], or, when
/// <see cref="AlsoMin"/> and <see cref="AlsoMax"/> are set, over the union of the two intervals (a shifted world lies
/// beyond the training range on both sides), each side with probability in proportion to its width.
/// </summary>
public sealed record DrawRange(double Min, double Max, double? AlsoMin = null, double? AlsoMax = null)
{
    /// <summary>One value, always.</summary>
    public static DrawRange Fixed(double value) => new(value, value);

    /// <summary>Both sides of a training range [<paramref name="innerMin"/>, <paramref name="innerMax"/>]: below it down to <paramref name="outerMin"/>, above it up to <paramref name="outerMax"/>.</summary>
    public static DrawRange Beyond(double outerMin, double innerMin, double innerMax, double outerMax) => new(outerMin, innerMin, innerMax, outerMax);

    /// <summary>Symmetric about zero: magnitude in [<paramref name="from"/>, <paramref name="to"/>], either sign.</summary>
    public static DrawRange PlusMinus(double from, double to) => from == 0 ? new(-to, to) : new(-to, -from, from, to);

    internal double Draw(Random random)
    {
        var u = random.NextDouble();
        var v = random.NextDouble();
        if (AlsoMin is not { } lo2 || AlsoMax is not { } hi2)
        {
            return Min + (v * (Max - Min));
        }

        var first = Max - Min;
        var second = hi2 - lo2;
        return u * (first + second) < first ? Min + (v * first) : lo2 + (v * second);
    }

    /// <summary>Whether <paramref name="value"/> lies in the range (either interval).</summary>
    public bool Contains(double value) =>
        (value >= Min && value <= Max) || (AlsoMin is { } lo && AlsoMax is { } hi && value >= lo && value <= hi);
}

/// <summary>
/// How the spine shows on the skin: every assumption that links the two, drawn per child. Gains multiply the base
/// phantom's own relations (1 = the base phantom).
/// </summary>
/// <param name="RotationGain">Vertebral axial rotation per degree of Cobb, as a multiple of the base phantom's (which draws 0.4 deg per deg at the apex, SD 0.08).</param>
/// <param name="SpinousLengthScale">Distance from the vertebral body's centre to the spinous tip.</param>
/// <param name="SoftTissueScale">Soft tissue over the spinous processes, on top of what the build gives (thin to obese).</param>
/// <param name="ParaspinalAsymmetry">Right paraspinal muscle bulk over the left minus one (+0.2: the right 20 % fuller).</param>
/// <param name="SurfaceRotationGain">How strongly vertebral rotation shows as a rib hump or lumbar prominence.</param>
/// <param name="TrunkShiftExtraMm">Lateral shift of C7 over the sacrum independent of the curve (stance, lean).</param>
/// <param name="TiltScatterScale">
/// Share of the AASCE-fitted residual SD of endplate tilts about the centre line behind the radiographic truth. The fitted
/// residual includes the annotators' corner error, so the full SD makes a straight spine read a median 11.7 deg; 0.35 gives
/// about 4 deg and 0.7 about 8 deg, spanning what normal spines measure on radiographs (0-5, some to 10). The AASCE
/// training spines' own scatter about the pooled SD spreads 0.5-1.5 (5-95 %, `validate aasce --fit`), of which about
/// a quarter in log terms is the sampling of 15 levels: about 0.7-1.45 remains, times the base phantom's 0.5.
/// </param>
/// <param name="SurfaceExpressionLimits">
/// Limits of the product of <paramref name="RotationGain"/> and <paramref name="SurfaceRotationGain"/> (the surface gain is
/// clamped to stay inside): the base phantom's ATR is about 0.36 deg per degree of Cobb, screening series report
/// 0.2-0.6, so the two gains may not compound to a 45 deg hump on a 40 deg curve.
/// </param>
public sealed record CouplingRanges(
    DrawRange RotationGain,
    DrawRange SpinousLengthScale,
    DrawRange SoftTissueScale,
    DrawRange ParaspinalAsymmetry,
    DrawRange SurfaceRotationGain,
    DrawRange TrunkShiftExtraMm,
    DrawRange TiltScatterScale,
    DrawRange? SurfaceExpressionLimits = null);

/// <summary>The child's body.</summary>
/// <param name="HeightMm">Stature; null keeps the base phantom's draw from sex and age (1300-1850 mm).</param>
/// <param name="Bmi">Body-mass index; null keeps the base phantom's draw from age and build.</param>
/// <param name="ArmAbductionDeg">Each arm's abduction from vertical; null keeps the base draw (N(8, 3) within 2-18).</param>
/// <param name="LooseHairShare">Share of long-haired children whose hair hangs loose over the neck instead of tied up.</param>
/// <param name="HairClearanceMm">How far above C7's skin point loose hair ends (negative: it covers C7).</param>
/// <param name="BreastScale">Breast development of girls from 11 years (0 none, 1 full), which widens the chest's outline.</param>
public sealed record BodyRanges(
    DrawRange? HeightMm,
    DrawRange? Bmi,
    DrawRange? ArmAbductionDeg,
    double LooseHairShare,
    DrawRange HairClearanceMm,
    DrawRange BreastScale);

/// <summary>What the child wears.</summary>
/// <param name="BandShare">Share of girls of 10 or more screened in a sports-bra or bikini band across the mid back.</param>
/// <param name="BandProudMm">How far the band stands off the skin (it bridges the spinous groove).</param>
/// <param name="BandWidthMm">Band height (top to bottom edge).</param>
/// <param name="BandLevel">Where the band's middle sits between C7 (0) and the lumbar dimples (1).</param>
/// <param name="StrapShare">Share of bands with shoulder straps.</param>
/// <param name="WaistbandAboveDimplesMm">Top of the shorts' or leggings' waistband above the lumbar dimples (negative: below); null keeps the base phantom's shorts.</param>
/// <param name="WaistbandProudMm">How far the waistband stands off the skin.</param>
public sealed record ClothesRanges(
    double BandShare,
    DrawRange BandProudMm,
    DrawRange BandWidthMm,
    DrawRange BandLevel,
    double StrapShare,
    DrawRange? WaistbandAboveDimplesMm,
    DrawRange WaistbandProudMm);

/// <summary>The camera and what it does to depth.</summary>
/// <param name="Sensors">The camera models and their weights; empty keeps the base draw (70 % D435, 30 % Kinect-class ToF).</param>
/// <param name="TiltDeg">Pitch and roll errors of the stand (each drawn); null keeps the base draw (N(0, 2.5) within +/-5).</param>
/// <param name="LateralOffsetMm">Centring error; null keeps the base draw (N(0, 20) within +/-50).</param>
/// <param name="RadialK1">
/// Brown-Conrady k1 of the lens, written in capture.json (k2 is drawn as -0.3..0.3 of it). Small: at these cameras' fields
/// of view (87 deg and more) a barrel k1 beyond about -0.07 folds the image corners back (no ray reaches them), which
/// no real lens does.
/// </param>
/// <param name="DistanceMm">Camera to the aimed back point (the positioning guide keeps the child inside the distance gates, 0.8-1.8 m); null keeps the base draw (900-1600).</param>
/// <param name="TangentialP">Brown-Conrady p1 and p2 (each drawn).</param>
/// <param name="NoiseScale">Multiplies the sensor's depth noise.</param>
/// <param name="DepthBiasMm">Amplitude of a static, smooth (low spatial frequency) depth bias over the image.</param>
/// <param name="StereoCorrelationPx">Active stereo: correlation length of the per-frame depth noise (block matching), pixels; 0 = per-pixel noise.</param>
/// <param name="ToFMultipathGain">Time of flight: share of a concavity's depth added as multipath bias.</param>
/// <param name="ToFRowNoiseMm">Time of flight: SD of the per-row offsets of motion noise.</param>
public sealed record CameraRanges(
    IReadOnlyList<(PhantomSensor Sensor, double Weight)> Sensors,
    DrawRange? DistanceMm,
    DrawRange? TiltDeg,
    DrawRange? LateralOffsetMm,
    DrawRange RadialK1,
    DrawRange TangentialP,
    DrawRange NoiseScale,
    DrawRange DepthBiasMm,
    DrawRange StereoCorrelationPx,
    DrawRange ToFMultipathGain,
    DrawRange ToFRowNoiseMm);

/// <summary>How the child moves during a burst.</summary>
/// <param name="BreathingMm">Front-to-back amplitude of breathing at mid-thorax (0 = none).</param>
/// <param name="BreathingPeriodS">Breathing period.</param>
/// <param name="SwayMm">Amplitude of slow postural sway; null keeps the base phantom's per-frame jitter (SD 0.4 mm within 1.2).</param>
/// <param name="SwayPeriodS">Period of the sway.</param>
public sealed record MotionRanges(
    DrawRange BreathingMm,
    DrawRange BreathingPeriodS,
    DrawRange? SwayMm,
    DrawRange SwayPeriodS);

/// <summary>
/// A world the phantom draws children from: the ranges of every assumption linking skin and spine, and of every
/// property of body, clothes, camera and motion (DESIGN.md, "Targets"). Fitting and training use <see cref="InRange"/>
/// only; the shifted worlds move one family (or all) beyond its training range, to measure what holds on worlds the
/// models were not fitted to. <see cref="Base"/> is the phantom before randomization (releases up to 0.1).
/// </summary>
public sealed record PhantomWorld(
    string Name,
    string Description,
    CouplingRanges Coupling,
    BodyRanges Body,
    ClothesRanges Clothes,
    CameraRanges Camera,
    MotionRanges Motion)
{
    private static readonly CouplingRanges BaseCoupling = new(
        DrawRange.Fixed(1), DrawRange.Fixed(1), DrawRange.Fixed(1), DrawRange.Fixed(0), DrawRange.Fixed(1), DrawRange.Fixed(0), DrawRange.Fixed(PhantomTiltModel.ScatterScale));

    private static readonly CouplingRanges TrainingCoupling = new(
        RotationGain: new(0.5, 2.0),
        SpinousLengthScale: new(0.85, 1.15),
        SoftTissueScale: new(0.6, 1.8),
        ParaspinalAsymmetry: new(-0.25, 0.25),
        SurfaceRotationGain: new(0.6, 1.5),
        TrunkShiftExtraMm: new(-20, 20),
        TiltScatterScale: new(0.35, 0.7),
        SurfaceExpressionLimits: new(0.5, 1.8));

    private static readonly BodyRanges BaseBody = new(null, null, null, 0, DrawRange.Fixed(100), DrawRange.Fixed(0));

    private static readonly BodyRanges TrainingBody = new(
        HeightMm: new(1200, 1900),
        Bmi: new(13, 35),
        ArmAbductionDeg: new(2, 25),
        LooseHairShare: 0.35,
        HairClearanceMm: new(15, 120),
        BreastScale: new(0, 1));

    private static readonly ClothesRanges BaseClothes = new(0, DrawRange.Fixed(0), DrawRange.Fixed(0), DrawRange.Fixed(0.4), 0, null, DrawRange.Fixed(2));

    private static readonly ClothesRanges TrainingClothes = new(
        BandShare: 0.7,
        BandProudMm: new(2, 6),
        BandWidthMm: new(25, 50),
        BandLevel: new(0.3, 0.5),
        StrapShare: 0.5,
        WaistbandAboveDimplesMm: new(-60, 10),
        WaistbandProudMm: new(1, 4));

    private static readonly CameraRanges BaseCamera = new(
        [], null, null, null, DrawRange.Fixed(0), DrawRange.Fixed(0), DrawRange.Fixed(1), DrawRange.Fixed(0), DrawRange.Fixed(0), DrawRange.Fixed(0), DrawRange.Fixed(0));

    private static readonly CameraRanges TrainingCamera = new(
        Sensors: [(PhantomSensor.RealSenseD435, 0.6), (PhantomSensor.AzureKinectNfov, 0.4)],
        DistanceMm: new(850, 1750),
        TiltDeg: new(-5, 5),
        LateralOffsetMm: new(-60, 60),
        RadialK1: new(-0.05, 0.05),
        TangentialP: new(-0.002, 0.002),
        NoiseScale: new(0.7, 1.6),
        DepthBiasMm: new(0, 4),
        StereoCorrelationPx: new(2, 8),
        ToFMultipathGain: new(0, 0.4),
        ToFRowNoiseMm: new(0, 1));

    private static readonly MotionRanges BaseMotion = new(DrawRange.Fixed(0), DrawRange.Fixed(4), null, DrawRange.Fixed(2));

    private static readonly MotionRanges TrainingMotion = new(
        BreathingMm: new(1, 5),
        BreathingPeriodS: new(3, 5),
        SwayMm: new(0.5, 4),
        SwayPeriodS: new(1, 3));

    /// <summary>The phantom before randomization: one coupling, no clothes, no breathing, no lens distortion.</summary>
    public static PhantomWorld Base { get; } = new(
        "base", "the single phantom world of releases up to 0.1", BaseCoupling, BaseBody, BaseClothes, BaseCamera, BaseMotion);

    /// <summary>The training world: every family drawn over its training range.</summary>
    public static PhantomWorld InRange { get; } = new(
        "in-range", "every family over its training range", TrainingCoupling, TrainingBody, TrainingClothes, TrainingCamera, TrainingMotion);

    /// <summary>Skin and spine coupled beyond the training ranges.</summary>
    public static PhantomWorld ShiftedCoupling { get; } = InRange with
    {
        Name = "shifted-coupling",
        Description = "rotation 2-3x or 0.3-0.5x the base, spinous length, soft tissue, paraspinal asymmetry, rib hump and tilt scatter beyond training",
        Coupling = new(
            RotationGain: DrawRange.Beyond(0.3, 0.5, 2.0, 3.0),
            SpinousLengthScale: DrawRange.Beyond(0.7, 0.85, 1.15, 1.3),
            SoftTissueScale: DrawRange.Beyond(0.4, 0.6, 1.8, 2.6),
            ParaspinalAsymmetry: DrawRange.PlusMinus(0.25, 0.45),
            SurfaceRotationGain: DrawRange.Beyond(0.35, 0.6, 1.5, 2.0),
            TrunkShiftExtraMm: DrawRange.PlusMinus(20, 35),
            TiltScatterScale: DrawRange.Beyond(0.2, 0.35, 0.7, 0.9),
            SurfaceExpressionLimits: new(0.25, 2.5)),
    };

    /// <summary>Bodies beyond the training ranges.</summary>
    public static PhantomWorld ShiftedBody { get; } = InRange with
    {
        Name = "shifted-body",
        Description = "BMI 35-40 or 12-13, stature 1050-1200 or 1900-2000 mm, arms 0-2 or 25-35 deg out, loose hair ending 0-15 mm above C7",
        Body = new(
            HeightMm: DrawRange.Beyond(1050, 1200, 1900, 2000),
            Bmi: DrawRange.Beyond(12, 13, 35, 40),
            ArmAbductionDeg: DrawRange.Beyond(0, 2, 25, 35),
            LooseHairShare: 0.6,
            HairClearanceMm: new(0, 15),
            BreastScale: new(0.5, 1.3)),
    };

    /// <summary>Clothes beyond the training ranges.</summary>
    public static PhantomWorld ShiftedClothes { get; } = InRange with
    {
        Name = "shifted-clothes",
        Description = "every girl in a band 6-10 mm proud and 50-80 mm wide, waistbands 10-25 mm over the dimples, 4-6 mm proud",
        Clothes = new(
            BandShare: 1,
            BandProudMm: new(6, 10),
            BandWidthMm: new(50, 80),
            BandLevel: new(0.25, 0.55),
            StrapShare: 0.8,
            WaistbandAboveDimplesMm: new(10, 25),
            WaistbandProudMm: new(4, 6)),
    };

    /// <summary>Cameras not trained on, and their effects beyond the training ranges.</summary>
    public static PhantomWorld ShiftedCamera { get; } = InRange with
    {
        Name = "shifted-camera",
        Description = "a D455-class stereo camera and a wide-field ToF camera, never trained on; tilt 5-7 deg, stronger lens distortion, noise, bias and correlation",
        Camera = new(
            Sensors: [(PhantomSensor.RealSenseD455, 0.5), (PhantomSensor.AzureKinectWfov, 0.5)],
            DistanceMm: new(900, 1800),
            TiltDeg: DrawRange.PlusMinus(5, 7),
            LateralOffsetMm: DrawRange.PlusMinus(60, 100),
            RadialK1: DrawRange.PlusMinus(0.05, 0.07),
            TangentialP: DrawRange.PlusMinus(0.002, 0.004),
            NoiseScale: new(1.6, 2.4),
            DepthBiasMm: new(4, 8),
            StereoCorrelationPx: new(8, 14),
            ToFMultipathGain: new(0.4, 0.8),
            ToFRowNoiseMm: new(1, 2)),
    };

    /// <summary>More movement than the training range.</summary>
    public static PhantomWorld ShiftedMotion { get; } = InRange with
    {
        Name = "shifted-motion",
        Description = "breathing 5-8 mm with a 2-3 s period, sway 4-7 mm",
        Motion = new(BreathingMm: new(5, 8), BreathingPeriodS: new(2, 3), SwayMm: new(4, 7), SwayPeriodS: new(1, 2)),
    };

    /// <summary>Every family shifted at once.</summary>
    public static PhantomWorld AllShifted { get; } = ShiftedCoupling with
    {
        Name = "all-shifted",
        Description = "every family beyond its training range at once",
        Body = ShiftedBody.Body,
        Clothes = ShiftedClothes.Clothes,
        Camera = ShiftedCamera.Camera,
        Motion = ShiftedMotion.Motion,
    };

    /// <summary>The held-out worlds of <c>bench worlds</c>, in table order.</summary>
    public static IReadOnlyList<PhantomWorld> Benchmarked { get; } = [InRange, ShiftedCoupling, ShiftedBody, ShiftedClothes, ShiftedCamera, ShiftedMotion, AllShifted];

    /// <summary>Every named world.</summary>
    public static IReadOnlyList<PhantomWorld> All { get; } = [Base, .. Benchmarked];

    /// <summary>The world called <paramref name="name"/>, or null.</summary>
    public static PhantomWorld? Named(string name) => All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.Ordinal));
}
