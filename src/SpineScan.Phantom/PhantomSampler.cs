using SpineScan.Core.Capture;
using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

/// <summary>
/// Draws a child's parameters from the screening population. Every value is always drawn, in a fixed order,
/// and overrides are applied afterwards, so forcing one value leaves the others as they were for that seed.
/// </summary>
internal static class PhantomSampler
{
    // 50th-percentile stature (mm) at ages 10..16 (CDC 2000 charts, rounded).
    private static readonly double[] GirlHeightMm = [1380, 1440, 1510, 1570, 1600, 1620, 1625];
    private static readonly double[] BoyHeightMm = [1380, 1430, 1490, 1560, 1640, 1700, 1730];

    /// <summary>Nominal downward look of the camera at the bent back (the mast raises the head and tilts it down).</summary>
    public const double BendElevationDeg = 60;

    public static PhantomParameters Draw(PhantomOptions options)
    {
        var random = new Random(options.Seed);

        // Body.
        var sex = random.NextDouble() < 0.5 ? PhantomSex.Female : PhantomSex.Male;
        var age = random.NextUniform(10, 16);
        var heightZ = random.NextGaussian();
        var buildZ = random.NextGaussian(0.15, 1.0, -2.0, 2.8);
        sex = options.Sex ?? sex;
        var table = sex == PhantomSex.Female ? GirlHeightMm : BoyHeightMm;
        var ageIndex = Math.Clamp(age - 10, 0, 5.999);
        var i0 = (int)ageIndex;
        var medianHeight = table[i0] + ((ageIndex - i0) * (table[i0 + 1] - table[i0]));
        var height = options.HeightMm ?? Math.Clamp(medianHeight + (65 * heightZ), 1300, 1850);
        var bmi = (16.6 + (0.65 * (age - 10))) * Math.Exp(0.13 * buildZ);

        // Frontal curves.
        var cobb = DrawTargetCobb(random);
        var sCurve = random.NextDouble() < (cobb >= 10 ? 0.3 : 0.15);
        var regionDraw = random.NextDouble();
        var apexDraw = random.NextDouble();
        var convexDraw = random.NextDouble();
        var upperSpan = 3 + random.Next(3);
        var lowerSpan = 3 + random.Next(3);
        var lumbarApexDraw = random.Next(12, 16);
        var lumbarUpperSpan = 3 + random.Next(2);
        var lumbarLowerSpan = 2 + random.Next(3);
        var secondaryRatio = random.NextUniform(0.55, 1.05);
        var lumbarMajor = random.NextDouble() < 0.3;
        var rotationPerCobb = random.NextGaussian(0.40, 0.08, 0.2, 0.6);
        var rotationScatterMain = random.NextGaussian(1.0, 0.25, 0.5, 1.6);
        var rotationScatterSecond = random.NextGaussian(1.0, 0.25, 0.5, 1.6);
        var surfaceThoracic = random.NextGaussian(0.85, 0.12, 0.55, 1.15);
        var surfaceLumbar = random.NextGaussian(0.6, 0.1, 0.35, 0.85);
        var standingRatio = random.NextGaussian(0.6, 0.08, 0.4, 0.8);
        var physiological = random.NextGaussian(0, 1.0, -3, 3);

        // Sagittal and posture.
        var kyphosis = random.NextGaussian(40, 9, 20, 60);
        var lordosis = random.NextGaussian(45, 9, 25, 65);
        var balance = random.NextGaussian(0, 15, -40, 40);
        var bendKyphosis = random.NextGaussian(10, 4, 0, 20);
        var bendLumbar = random.NextGaussian(45, 8, 25, 65);
        var bendTrunk = random.NextGaussian(0, 5, -12, 12);
        var trunkShiftNoise = random.NextGaussian(0, 7, -25, 25);
        var shoulderNoise = random.NextGaussian(0, 4, -15, 15);
        var pelvic = random.NextGaussian(0, 3.5, -15, 15);
        var armLeft = random.NextGaussian(8, 3, 2, 18);
        var armRight = random.NextGaussian(8, 3, 2, 18);
        var ponytail = random.NextDouble() < (sex == PhantomSex.Female ? 0.6 : 0.05);

        // Camera.
        var sensor = random.NextDouble() < 0.7 ? PhantomSensor.RealSenseD435 : PhantomSensor.AzureKinectNfov;
        var distance = random.NextUniform(900, 1600);
        var lateral = random.NextGaussian(0, 20, -50, 50);
        var pitch = random.NextGaussian(0, 2.5, -5, 5);
        var roll = random.NextGaussian(0, 2.5, -5, 5);
        var bendPitch = random.NextGaussian(0, 2.5, -5, 5);
        var bendRoll = random.NextGaussian(0, 2.5, -5, 5);
        var wallGap = random.NextUniform(400, 1500);

        // The world's draws come from their own stream, so the base phantom's draws above stay what they were for a seed.
        var world = options.World;
        var w = new Random(PhantomSeeds.Derive(options.Seed, 17));
        var worldAge = w.NextUniform(8, 17);
        var worldHeight = DrawPopulation(world.Body.HeightMm, w, MedianHeight(sex, worldAge), 85, additive: true);
        var worldBmi = DrawPopulation(world.Body.Bmi, w, MedianBmi(worldAge), 0.22, additive: false);
        var worldArmLeft = world.Body.ArmAbductionDeg?.Draw(w);
        var worldArmRight = world.Body.ArmAbductionDeg?.Draw(w);
        var looseHair = w.NextDouble() < world.Body.LooseHairShare;
        var hairClearance = world.Body.HairClearanceMm.Draw(w);
        var breast = world.Body.BreastScale.Draw(w);
        var coupling = new CouplingDraw(
            world.Coupling.RotationGain.Draw(w),
            world.Coupling.SpinousLengthScale.Draw(w),
            world.Coupling.SoftTissueScale.Draw(w),
            world.Coupling.ParaspinalAsymmetry.Draw(w),
            world.Coupling.SurfaceRotationGain.Draw(w),
            world.Coupling.TrunkShiftExtraMm.Draw(w),
            world.Coupling.TiltScatterScale.Draw(w));
        var c = world.Clothes;
        var band = w.NextDouble() < c.BandShare;
        var clothes = new ClothesDraw(band, c.BandProudMm.Draw(w), c.BandWidthMm.Draw(w), c.BandLevel.Draw(w), w.NextDouble() < c.StrapShare, c.WaistbandAboveDimplesMm?.Draw(w), c.WaistbandProudMm.Draw(w));
        var worldSensor = DrawSensor(world.Camera.Sensors, w);
        var worldDistance = world.Camera.DistanceMm?.Draw(w);
        var worldPitch = world.Camera.TiltDeg?.Draw(w);
        var worldRoll = world.Camera.TiltDeg?.Draw(w);
        var worldBendPitch = world.Camera.TiltDeg?.Draw(w);
        var worldBendRoll = world.Camera.TiltDeg?.Draw(w);
        var worldLateral = world.Camera.LateralOffsetMm?.Draw(w);
        var k1 = world.Camera.RadialK1.Draw(w);
        var effects = new SensorEffectsDraw(
            k1,
            k1 * w.NextUniform(-0.3, 0.3),
            world.Camera.TangentialP.Draw(w),
            world.Camera.TangentialP.Draw(w),
            world.Camera.NoiseScale.Draw(w),
            world.Camera.DepthBiasMm.Draw(w),
            w.Next(),
            world.Camera.StereoCorrelationPx.Draw(w),
            world.Camera.ToFMultipathGain.Draw(w),
            world.Camera.ToFRowNoiseMm.Draw(w));
        var m = world.Motion;
        var motion = new MotionDraw(
            m.BreathingMm.Draw(w), m.BreathingPeriodS.Draw(w), w.NextUniform(0, 2 * Math.PI), m.SwayMm?.Draw(w), m.SwayPeriodS.Draw(w), w.NextUniform(0, 2 * Math.PI), w.NextUniform(0, 180));

        if (world.Body.HeightMm is not null)
        {
            age = worldAge;
        }

        var girl = sex == PhantomSex.Female;
        clothes = clothes with { Band = clothes.Band && girl && age >= 10 };
        breast = girl ? breast * Math.Clamp((age - 11) / 4, 0, 1) : 0;
        looseHair = looseHair && ponytail;
        height = options.HeightMm ?? worldHeight ?? height;
        if (worldBmi is { } drawnBmi)
        {
            bmi = drawnBmi;
            buildZ = Math.Log(bmi / MedianBmi(age)) / 0.13;
        }

        armLeft = worldArmLeft ?? armLeft;
        armRight = worldArmRight ?? armRight;
        sensor = worldSensor ?? sensor;
        distance = worldDistance ?? distance;
        pitch = worldPitch ?? pitch;
        roll = worldRoll ?? roll;
        bendPitch = worldBendPitch ?? bendPitch;
        bendRoll = worldBendRoll ?? bendRoll;
        lateral = worldLateral ?? lateral;
        if (world.Coupling.SurfaceExpressionLimits is { } limits)
        {
            coupling = coupling with { SurfaceRotationGain = Math.Clamp(coupling.SurfaceRotationGain, limits.Min / coupling.RotationGain, limits.Max / coupling.RotationGain) };
        }

        rotationPerCobb *= coupling.RotationGain;
        surfaceThoracic *= coupling.SurfaceRotationGain;
        surfaceLumbar *= coupling.SurfaceRotationGain;

        // Overrides.
        var curves = BuildCurves(options, cobb, sCurve, regionDraw, apexDraw, convexDraw, upperSpan, lowerSpan, lumbarApexDraw,
            lumbarUpperSpan, lumbarLowerSpan, secondaryRatio, lumbarMajor, rotationPerCobb, rotationScatterMain, rotationScatterSecond);
        var curveType = curves.Length switch { 0 => CurveType.None, 1 => CurveType.C, _ => CurveType.S };
        var main = curves.Length > 0 ? curves[0] : null;
        var thoracic = Array.Find(curves, c => c.Region == "thoracic");
        var trunkShift = Math.Clamp(trunkShiftNoise + (main is null ? 0 : 0.25 * main.TargetCobbDeg * (main.ConvexRight ? 1 : -1)), -40, 40) + coupling.TrunkShiftExtraMm;
        var shoulder = Math.Clamp(shoulderNoise + (thoracic is null ? 0 : 0.2 * thoracic.TargetCobbDeg * (thoracic.ConvexRight ? 1 : -1)), -25, 25);
        sensor = options.Sensor ?? sensor;
        distance = options.CameraDistanceMm ?? distance;
        wallGap = options.WallGapMm ?? wallGap;
        pitch = options.CameraPitchDeg ?? pitch;
        roll = options.CameraRollDeg ?? roll;
        bendPitch = options.CameraPitchDeg ?? bendPitch;
        bendRoll = options.CameraRollDeg ?? bendRoll;
        if (options.Symmetric)
        {
            curves = [];
            curveType = CurveType.None;
            physiological = 0;
            trunkShift = 0;
            shoulder = 0;
            pelvic = 0;
            armLeft = armRight = 8;
            lateral = 0;
            roll = bendRoll = 0;
            coupling = coupling with { ParaspinalAsymmetry = 0, TrunkShiftExtraMm = 0 };
            effects = effects with { P1 = 0, P2 = 0 };
        }

        var noiseSeed = options.NoiseSeed ?? PhantomSeeds.Derive(options.Seed, 1);
        var jitter = options.StanceJitter;
        if (jitter > 0)
        {
            var j = new Random(PhantomSeeds.Derive(noiseSeed, 7));
            distance += j.NextGaussian() * 15 * jitter;
            lateral += options.Symmetric ? 0 : j.NextGaussian() * 10 * jitter;
            pitch += j.NextGaussian() * 0.7 * jitter;
            roll += options.Symmetric ? 0 : j.NextGaussian() * 0.7 * jitter;
            bendPitch += j.NextGaussian() * 0.7 * jitter;
            bendRoll += options.Symmetric ? 0 : j.NextGaussian() * 0.7 * jitter;
            bendTrunk = Math.Clamp(bendTrunk + (j.NextGaussian() * 3 * jitter), -15, 15);
            var armJitter = j.NextGaussian() * 2 * jitter;
            armLeft = Math.Clamp(armLeft + armJitter, 1, 20);
            armRight = Math.Clamp(armRight + (options.Symmetric ? armJitter : j.NextGaussian() * 2 * jitter), 1, 20);
            if (!options.Symmetric)
            {
                shoulder += j.NextGaussian() * 1.5 * jitter;
            }
        }

        var camera = new CameraParameters(
            sensor,
            DeviceModel(sensor),
            distance,
            lateral,
            pitch,
            roll,
            BendElevationDeg,
            bendPitch,
            bendRoll,
            wallGap);

        return new PhantomParameters
        {
            Seed = options.Seed,
            World = world.Name,
            Coupling = coupling,
            Clothes = clothes,
            LooseHair = looseHair,
            HairClearanceMm = hairClearance,
            BreastScale = breast,
            SensorEffects = effects,
            Motion = motion,
            NoiseSeed = noiseSeed,
            StanceJitter = jitter,
            Scene = options.Scene,
            DepthScaleError = options.DepthScaleError,
            BoardDistanceMm = options.BoardDistanceMm,
            BoardBowMm = options.BoardBowMm,
            Sex = sex,
            AgeYears = age,
            HeightMm = height,
            Bmi = bmi,
            BuildZ = buildZ,
            CurveType = curveType,
            Curves = curves,
            TargetCobbDeg = curves.Length == 0 ? 0 : curves[0].TargetCobbDeg,
            RotationPerCobbDeg = rotationPerCobb,
            SurfaceRotationFactorThoracic = surfaceThoracic,
            SurfaceRotationFactorLumbar = surfaceLumbar,
            StandingSurfaceRotationRatio = standingRatio,
            PhysiologicalRotationDeg = physiological,
            KyphosisDeg = kyphosis,
            LordosisDeg = lordosis,
            SacralSlopeDeg = double.NaN, // filled in by the spine model after sagittal balancing
            SagittalBalanceMm = options.Symmetric ? 0 : balance,
            BendKyphosisIncreaseDeg = bendKyphosis,
            BendLumbarFlexionDeg = bendLumbar,
            BendTrunkAngleDeg = bendTrunk,
            TrunkShiftMm = trunkShift,
            ShoulderHeightDifferenceMm = shoulder,
            PelvicObliquityMm = pelvic,
            ArmAbductionLeftDeg = armLeft,
            ArmAbductionRightDeg = armRight,
            Ponytail = ponytail && !looseHair,
            FrameCount = options.FrameCount ?? CaptureBurst.FramesFor(new CaptureDevice(DeviceModel(sensor), string.Empty)),
            NoiseFree = options.NoiseFree,
            Camera = camera,
            Noise = NoiseFor(sensor, options.NoiseScale * effects.NoiseScale),
        };
    }

    /// <summary>
    /// The drawn (target) Cobb angle: a mixture that puts more children near the 10- and 20-degree thresholds than
    /// a uniform draw: 25% half-normal (sigma 4, the many straight children), 20% N(10, 3), 20% N(20, 3), 35% uniform 0-60.
    /// </summary>
    internal static double DrawTargetCobb(Random random)
    {
        var component = random.NextDouble();
        var g = random.NextGaussian();
        var u = random.NextDouble();
        var value = component switch
        {
            < 0.25 => Math.Abs(4 * g),
            < 0.45 => 10 + (3 * g),
            < 0.65 => 20 + (3 * g),
            _ => 60 * u,
        };
        return Math.Clamp(value, 0, 60);
    }

    /// <summary>The model string a capture of <paramref name="sensor"/> carries in capture.json.</summary>
    public static string DeviceModel(PhantomSensor sensor) => sensor switch
    {
        PhantomSensor.RealSenseD435 => "Intel RealSense D435 (phantom)",
        PhantomSensor.RealSenseD455 => "Intel RealSense D455 (phantom)",
        PhantomSensor.AzureKinectWfov => "Azure Kinect WFOV 2x2 binned (phantom)",
        _ => "Azure Kinect NFOV unbinned (phantom)",
    };

    /// <summary>Whether <paramref name="sensor"/> is an active stereo camera (else time of flight).</summary>
    public static bool IsStereo(PhantomSensor sensor) => sensor is PhantomSensor.RealSenseD435 or PhantomSensor.RealSenseD455;

    // Median stature (mm) of the CDC 2000 charts at a fractional age, extrapolated flat beyond the table.
    private static double MedianHeight(PhantomSex sex, double age)
    {
        var table = sex == PhantomSex.Female ? GirlHeightMm : BoyHeightMm;
        var ageIndex = Math.Clamp(age - 10, 0, 5.999);
        var i0 = (int)ageIndex;
        var median = table[i0] + ((ageIndex - i0) * (table[i0 + 1] - table[i0]));

        // Below 10 years children grow about 55 mm a year; above 16, about 5 (girls) or 15 (boys).
        return age < 10 ? median - (55 * (10 - age)) : age > 16 ? median + ((sex == PhantomSex.Female ? 5 : 15) * (age - 16)) : median;
    }

    private static double MedianBmi(double age) => 16.6 + (0.65 * (age - 10));

    // A population draw (the median plus spread, clamped to a training range), or uniform over a shifted range's two
    // sides; null when the world keeps the base draw.
    private static double? DrawPopulation(DrawRange? range, Random random, double median, double spread, bool additive)
    {
        var z = random.NextGaussian();
        var uniform = range?.Draw(random);
        if (range is null)
        {
            return null;
        }

        if (range.AlsoMin is not null)
        {
            return uniform;
        }

        var value = additive ? median + (spread * z) : median * Math.Exp(spread * z);
        return Math.Clamp(value, range.Min, range.Max);
    }

    private static PhantomSensor? DrawSensor(IReadOnlyList<(PhantomSensor Sensor, double Weight)> sensors, Random random)
    {
        var u = random.NextDouble() * sensors.Sum(s => s.Weight);
        foreach (var (sensor, weight) in sensors)
        {
            if ((u -= weight) < 0)
            {
                return sensor;
            }
        }

        return sensors.Count > 0 ? sensors[^1].Sensor : null;
    }

    internal static NoiseParameters NoiseFor(PhantomSensor sensor, double noiseScale) => sensor switch
    {
        // Active stereo: RMS = z^2 x subpixel / (f x baseline); 1.5 mm at 1 m is subpixel 0.032 at f 425 px and a 50 mm
        // baseline (the emitter's pattern on skin); grows with z^2. Holes at grazing angles and beside silhouettes.
        PhantomSensor.RealSenseD435 => new NoiseParameters(
            1.5 * noiseScale, 2.0, 65, 82, 0.003, 40, 0.35, 0.25, 280, 6000, 0.001, 0.4, 1.2, 1000.0 / 30),

        // The D455's 95 mm baseline halves the stereo noise at a given distance.
        PhantomSensor.RealSenseD455 => new NoiseParameters(
            0.8 * noiseScale, 2.0, 65, 82, 0.003, 40, 0.35, 0.25, 400, 6000, 0.001, 0.4, 1.2, 1000.0 / 30),

        // Wide-field binned time of flight: larger pixels, about 1.5 mm at 1 m, 0.25-2.88 m range.
        PhantomSensor.AzureKinectWfov => new NoiseParameters(
            1.5 * noiseScale, 2.0, 70, 85, 0.003, 40, 0.6, 0.2, 250, 2880, 0.001, 0.4, 1.2, 1000.0 / 30),

        // Time of flight: about 1 mm at 1 m on skin, more mixed (flying) pixels at edges, 0.5-3.86 m range.
        _ => new NoiseParameters(
            1.0 * noiseScale, 2.0, 70, 85, 0.002, 40, 0.6, 0.15, 500, 3860, 0.001, 0.4, 1.2, 1000.0 / 30),
    };

    private static CurveParameters[] BuildCurves(
        PhantomOptions options,
        double cobb,
        bool sCurve,
        double regionDraw,
        double apexDraw,
        double convexDraw,
        int upperSpan,
        int lowerSpan,
        int lumbarApexDraw,
        int lumbarUpperSpan,
        int lumbarLowerSpan,
        double secondaryRatio,
        bool lumbarMajor,
        double rotationPerCobb,
        double rotationScatterMain,
        double rotationScatterSecond)
    {
        var type = sCurve ? CurveType.S : CurveType.C;
        VertebralLevel? forcedApex = null;
        bool? forcedConvex = null;
        double? forcedSecondary = null;
        if (options.Curve is { } forced)
        {
            type = forced.Type;
            cobb = forced.CobbDeg;
            forcedApex = forced.Apex;
            forcedConvex = forced.ConvexRight;
            forcedSecondary = forced.SecondaryCobbDeg;
            lumbarMajor = false;
        }

        if (type == CurveType.None || options.Symmetric)
        {
            return [];
        }

        if (type == CurveType.C)
        {
            int apex;
            if (forcedApex is { } a)
            {
                apex = Math.Clamp((int)a, (int)VertebralLevel.T3, (int)VertebralLevel.L4);
            }
            else
            {
                apex = regionDraw switch
                {
                    < 0.10 => 4 + (int)(apexDraw * 2),   // T4-T5
                    < 0.55 => 6 + (int)(apexDraw * 5),   // T6-T10
                    < 0.80 => 11 + (int)(apexDraw * 3),  // T11-L1
                    _ => 14 + (int)(apexDraw * 2),       // L2-L3
                };
            }

            var region = RegionOf(apex);
            var rightProbability = region switch { "thoracic" => 0.85, "thoracolumbar" => 0.5, _ => 0.3 };
            var convexRight = forcedConvex ?? convexDraw < rightProbability;
            var upper = Math.Max((int)VertebralLevel.T1, apex - upperSpan);
            var lower = Math.Min((int)VertebralLevel.L5, apex + lowerSpan);
            var rate = region == "thoracic" ? rotationPerCobb : rotationPerCobb * 0.875;
            return [new CurveParameters(region, (VertebralLevel)apex, (VertebralLevel)upper, (VertebralLevel)lower, cobb, convexRight, rate * cobb * rotationScatterMain)];
        }

        // Double curve: thoracic apex T6-T10 and lumbar apex T12-L3 sharing one end vertebra.
        var thoracicApex = forcedApex is { } fa ? Math.Clamp((int)fa, (int)VertebralLevel.T5, (int)VertebralLevel.T10) : 6 + (int)(apexDraw * 5);
        var lumbarApex = Math.Max(lumbarApexDraw, thoracicApex + 5);
        lumbarApex = Math.Min(lumbarApex, (int)VertebralLevel.L4);
        var shared = (thoracicApex + lumbarApex + 1) / 2;
        var thoracicUpper = Math.Max((int)VertebralLevel.T1, thoracicApex - upperSpan);
        var lumbarLower = Math.Min((int)VertebralLevel.L5, lumbarApex + lumbarLowerSpan);
        _ = lumbarUpperSpan;
        var thoracicRight = forcedConvex ?? convexDraw < 0.85;
        var secondary = forcedSecondary ?? Math.Min(60, cobb * secondaryRatio);
        double thoracicCobb = cobb, lumbarCobb = secondary;
        if (lumbarMajor)
        {
            (thoracicCobb, lumbarCobb) = (secondary, cobb);
        }

        var thoracicCurve = new CurveParameters("thoracic", (VertebralLevel)thoracicApex, (VertebralLevel)thoracicUpper, (VertebralLevel)shared,
            thoracicCobb, thoracicRight, rotationPerCobb * thoracicCobb * rotationScatterMain);
        var lumbarCurve = new CurveParameters(RegionOf(lumbarApex), (VertebralLevel)lumbarApex, (VertebralLevel)shared, (VertebralLevel)lumbarLower,
            lumbarCobb, !thoracicRight, rotationPerCobb * 0.875 * lumbarCobb * rotationScatterSecond);
        return lumbarCobb > thoracicCobb ? [lumbarCurve, thoracicCurve] : [thoracicCurve, lumbarCurve];
    }

    private static string RegionOf(int apex) => apex switch
    {
        <= (int)VertebralLevel.T10 => "thoracic",
        <= (int)VertebralLevel.L1 => "thoracolumbar",
        _ => "lumbar",
    };
}
