using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

/// <summary>A generated child: its two captures and its ground truth. Owns the captures.</summary>
public sealed class PhantomChild : IDisposable
{
    internal PhantomChild(PhantomOptions options, DepthCapture standing, DepthCapture forwardBend, PhantomTruth truth)
    {
        Options = options;
        Standing = standing;
        ForwardBend = forwardBend;
        Truth = truth;
    }

    public PhantomOptions Options { get; }

    public DepthCapture Standing { get; }

    public DepthCapture ForwardBend { get; }

    public PhantomTruth Truth { get; }

    /// <summary>
    /// The same child (same anatomy and curve) captured again: new sensor noise and sway from <paramref name="noiseSeed"/>,
    /// and a re-taken stance (camera distance, centring, pitch, roll, arm position, bend depth) perturbed by
    /// <paramref name="stanceJitter"/> (0 = identical stance, 1 = a typical re-take).
    /// </summary>
    public PhantomChild Rerender(int noiseSeed, double stanceJitter) =>
        PhantomGenerator.Generate(Options with { NoiseSeed = noiseSeed, StanceJitter = stanceJitter });

    public void Dispose()
    {
        Standing.Dispose();
        ForwardBend.Dispose();
    }
}

/// <summary>
/// The digital back phantom: synthetic children (anatomy, spine, posture) and their depth captures standing and in
/// the forward bend, with the ground truth every accuracy figure is measured against. Deterministic per seed.
/// See docs/phantom.md for the model.
/// </summary>
public static class PhantomGenerator
{

    /// <summary>Generates one child from <paramref name="options"/>.</summary>
    public static PhantomChild Generate(PhantomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid phantom options: " + string.Join("; ", problems), nameof(options));
        }

        var drawn = WithForcedEffectsAndMotion(PhantomSampler.Draw(options), options);
        var spine = new SpineModel(drawn);
        var parameters = drawn with { SacralSlopeDeg = spine.SacralSlopeDeg };
        var body = new PhantomBody(parameters, spine);
        var intrinsics = IntrinsicsFor(parameters.Camera.Sensor, parameters.SensorEffects);
        var device = new CaptureDevice(parameters.Camera.DeviceModel, FormattableString.Invariant($"PHANTOM-{parameters.Seed}"));

        // Frontal vertebrae, tilts and the truth Cobb.
        var tangents = new double[17];
        Array.Copy(spine.TangentsImageDeg, 1, tangents, 0, 17);
        var tilts = options.PerpendicularVertebrae || options.Symmetric
            ? tangents
            : VertebralTiltModel.EndplateTiltsDeg(tangents, VertebralLevel.T1, PhantomTiltModel.Scaled(parameters.Coupling.TiltScatterScale), new Random(PhantomSeeds.Derive(options.Seed, 3)));
        var corners = spine.FrontalVertebrae(tilts);
        var cobb = ChallengeCobb.Compute(corners, 2 * SpineModel.FilmHalfHeightMm);

        var (atr, atrY, atrThoracic, atrLumbar) = body.ForwardBendAtr();
        var vertebrae = new VertebraTruth[SpineModel.LevelCount];
        for (var k = 0; k < SpineModel.LevelCount; k++)
        {
            var inFilm = k is >= 1 and <= 17;
            var c = inFilm ? corners[k - 1] : default;
            vertebrae[k] = new VertebraTruth(
                (VertebralLevel)k,
                spine.TangentsImageDeg[k],
                inFilm ? tilts[k - 1] : null,
                spine.AxialRotationDeg[k],
                body.SurfaceRotationDeg(spine.LevelY[k], CapturePose.Standing),
                body.SurfaceRotationDeg(spine.LevelY[k], CapturePose.ForwardBend),
                spine.BodyWidthMm[k],
                spine.BodyHeightMm[k],
                inFilm ? [c.TopLeft, c.TopRight, c.BottomLeft, c.BottomRight] : null);
        }

        var atrLevel = 1;
        for (var k = 1; k <= 17; k++)
        {
            if (Math.Abs(spine.SpinousTips[k].Y - atrY) < Math.Abs(spine.SpinousTips[atrLevel].Y - atrY))
            {
                atrLevel = k;
            }
        }

        var standingCamera = StandingCamera(parameters, body);
        var bendCamera = BendCamera(parameters, body);
        var wallZ = -((0.62 * parameters.HeightMm) + parameters.Camera.WallGapMm);
        var truth = new PhantomTruth
        {
            Parameters = parameters,
            CobbDeg = cobb.AnglesDeg,
            CobbIsSShaped = cobb.IsSShaped,
            CobbUpperEnd = (VertebralLevel)(cobb.MainUpper + 1),
            CobbLowerEnd = (VertebralLevel)(cobb.MainLower + 1),
            CobbFilmHeightMm = 2 * SpineModel.FilmHalfHeightMm,
            AtrDeg = Math.Abs(atr),
            AtrSide = Math.Abs(atr) < 1e-9 ? "none" : atr > 0 ? "right" : "left",
            AtrLevel = (VertebralLevel)atrLevel,
            AtrThoracicDeg = atrThoracic,
            AtrLumbarDeg = atrLumbar,
            ScoliometerHalfSpanMm = PhantomBody.ScoliometerHalfSpanMm,
            Vertebrae = vertebrae,
            Standing = PoseTruthOf(CapturePose.Standing, standingCamera, spine, body, intrinsics),
            ForwardBend = PoseTruthOf(CapturePose.ForwardBend, bendCamera, spine, body, intrinsics),
        };

        var scene = new CaptureScene(parameters, body, spine, intrinsics, device, wallZ);
        var standing = Capture(CapturePose.Standing, scene, standingCamera.Pose);
        var bend = Capture(CapturePose.ForwardBend, scene, bendCamera.Pose);
        return new PhantomChild(options, standing, bend, truth);
    }

    /// <summary>The intrinsics a capture of <paramref name="sensor"/> carries, with the lens distortion drawn for the child.</summary>
    public static CameraIntrinsics IntrinsicsFor(PhantomSensor sensor, SensorEffectsDraw effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        var nominal = sensor switch
        {
            PhantomSensor.RealSenseD435 => CameraIntrinsics.RealSenseD435,
            PhantomSensor.RealSenseD455 => new CameraIntrinsics(848, 480, 431.0, 431.0, 421.5, 238.9, DistortionModel.BrownConrady),
            PhantomSensor.AzureKinectWfov => new CameraIntrinsics(512, 512, 251.6, 251.6, 256.0, 256.0, DistortionModel.BrownConrady),
            _ => CameraIntrinsics.AzureKinectNfov,
        };
        return effects.K1 == 0 && effects.K2 == 0 && effects.P1 == 0 && effects.P2 == 0
            ? nominal
            : nominal with { K1 = effects.K1, K2 = effects.K2, P1 = effects.P1, P2 = effects.P2 };
    }

    private sealed record PlacedCamera(PhantomCameraPose Pose, Vector3d Aim, double Distance, double PitchDeg, double RollDeg);

    // Standing: the stand's camera at the height of the mid-back (halfway between C7 and the dimples), looking
    // horizontally at the back from behind (pitch and roll are errors of the stand).
    private static PlacedCamera StandingCamera(PhantomParameters p, PhantomBody body)
    {
        var h = p.HeightMm;
        var y = ((0.825 + 0.555) / 2) * h;
        var aim = body.SurfacePoint(body.CentreX(y), y, CapturePose.Standing);
        var c = p.Camera;
        var position = aim + new Vector3d(c.LateralOffsetMm, 0, c.DistanceMm);
        var pose = PhantomCameraPose.Looking(position, new Vector3d(0, 0, -1), c.StandingPitchDeg, c.StandingRollDeg);
        return new PlacedCamera(pose, aim, c.DistanceMm, c.StandingPitchDeg, c.StandingRollDeg);
    }

    // Forward bend: the same stand behind the child, its head raised on the mast and tilted down to the bend
    // elevation (45 degrees), aimed at the skin over T10 of the bent back from the drawn distance.
    private static PlacedCamera BendCamera(PhantomParameters p, PhantomBody body)
    {
        var aim = body.SkinOverTip((int)VertebralLevel.T10, CapturePose.ForwardBend);
        var c = p.Camera;
        var e = c.BendElevationDeg * Math.PI / 180;
        var back = new Vector3d(0, Math.Sin(e), Math.Cos(e));
        var position = aim + (back * c.DistanceMm) + new Vector3d(c.LateralOffsetMm, 0, 0);
        var pose = PhantomCameraPose.Looking(position, -back, c.BendPitchDeg, c.BendRollDeg);
        return new PlacedCamera(pose, aim, c.DistanceMm, c.BendElevationDeg + c.BendPitchDeg, c.BendRollDeg);
    }

    private static PoseTruth PoseTruthOf(CapturePose pose, PlacedCamera camera, SpineModel spine, PhantomBody body, CameraIntrinsics intrinsics)
    {
        var cam = camera.Pose;
        var points = new SpinalPointTruth[SpineModel.LevelCount];
        for (var k = 0; k < SpineModel.LevelCount; k++)
        {
            var centre = body.SpinePoint(spine.Centres[k], k, pose);
            var tip = body.SpinePoint(spine.SpinousTips[k], k, pose);
            var skin = body.SkinOverTip(k, pose);
            var skinCamera = cam.ToCamera(skin);
            points[k] = new SpinalPointTruth((VertebralLevel)k, centre, cam.ToCamera(centre), tip, cam.ToCamera(tip), skin, skinCamera, intrinsics.Project(skinCamera));
        }

        var landmarks = new List<LandmarkTruth>();
        foreach (var (name, point) in body.Landmarks(pose))
        {
            var inCamera = cam.ToCamera(point);
            landmarks.Add(new LandmarkTruth(name, point, inCamera, intrinsics.Project(inCamera)));
        }

        var truthCamera = new CameraPoseTruth(cam.Position, cam.Right, cam.Down, cam.Forward, camera.Aim, camera.Distance, camera.PitchDeg, camera.RollDeg);
        return new PoseTruth(pose, truthCamera, points, [.. landmarks]);
    }

    // The forced camera effects, motion and clothes replace the world's draws (the noise follows a forced noise scale), the stereo
    // artefacts follow the world's camera family unless forced, and a movement scenario gets its size, side and onset.
    private static PhantomParameters WithForcedEffectsAndMotion(PhantomParameters drawn, PhantomOptions options)
    {
        var effects = options.SensorEffects ?? drawn.SensorEffects;
        var baseCamera = ReferenceEquals(options.World.Camera, PhantomWorld.Base.Camera);
        return drawn with
        {
            SensorEffects = effects,
            Noise = options.SensorEffects is null ? drawn.Noise : PhantomSampler.NoiseFor(drawn.Camera.Sensor, options.NoiseScale * effects.NoiseScale),
            Motion = options.Motion ?? drawn.Motion,
            Clothes = options.Clothes ?? drawn.Clothes,
            StereoArtefacts = options.StereoArtefacts ?? (baseCamera ? StereoArtefacts.None : StereoArtefacts.All),
            Movement = MovementDraw.Draw(options.Movement, drawn.NoiseSeed),
        };
    }

    // What both captures of a child share: the body's meshes in both poses (built once, when frames are rendered) and the
    // camera's static depth bias.
    private sealed class CaptureScene(PhantomParameters parameters, PhantomBody body, SpineModel spine, CameraIntrinsics intrinsics, CaptureDevice device, double wallZ)
    {
        private BodyMeshes? _meshes;
        private float[]? _bias;

        public PhantomParameters Parameters { get; } = parameters;

        public SpineModel Spine { get; } = spine;

        public CameraIntrinsics Intrinsics { get; } = intrinsics;

        public CaptureDevice Device { get; } = device;

        public double WallZ { get; } = wallZ;

        public BodyMeshes Meshes => _meshes ??= BodyMeshes.Build(body);

        public float[]? Bias
        {
            get
            {
                var e = Parameters.SensorEffects;
                if (Parameters.NoiseFree || e.DepthBiasMm <= 0)
                {
                    return null;
                }

                return _bias ??= SensorEffectsModel.DepthBiasField(e.DepthBiasSeed, e.DepthBiasMm, Intrinsics.Width, Intrinsics.Height);
            }
        }
    }

    /// <summary>Width and height (mm) of the calibration board: a rigid foam board the procedure names.</summary>
    public const double BoardWidthMm = 800;

    public const double BoardHeightMm = 600;

    // The calibration board: a rectangle square to the optical axis, its centre on the axis at the given distance, bowed
    // toward the camera by a parabolic sag (0: flat), wound to face the camera.
    private static GridMesh Board(PhantomCameraPose camera, double distanceMm, double bowMm)
    {
        const double step = 20;
        var columns = (int)(BoardWidthMm / step) + 1;
        var rows = (int)(BoardHeightMm / step) + 1;
        var mesh = new GridMesh(rows, columns);
        var centre = camera.Position + (camera.Forward * distanceMm);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var x = (c * step) - (BoardWidthMm / 2);
                var y = (BoardHeightMm / 2) - (r * step); // rows run up the image, so its triangles face the camera
                var sag = bowMm * (1 - ((x * x) / (BoardWidthMm * BoardWidthMm / 4)));
                mesh.Set(r, c, centre + (camera.Right * x) + (camera.Down * y) - (camera.Forward * sag));
            }
        }

        return mesh;
    }

    private static DepthCapture Capture(CapturePose pose, CaptureScene scene, PhantomCameraPose camera)
    {
        var p = scene.Parameters;
        var intrinsics = scene.Intrinsics;
        var frames = new List<DepthFrame>(p.FrameCount);
        if (p.FrameCount == 0)
        {
            return new DepthCapture(pose, intrinsics, scene.Device, null, frames);
        }

        var secondPerson = p.Scene == PhantomScene.TwoPeople ? new Vector3d(560, 0, -200) : (Vector3d?)null;
        var meshes = new List<GridMesh>();
        PhantomMotion? motion = null;
        if (p.Scene == PhantomScene.Board)
        {
            meshes.Add(Board(camera, p.BoardDistanceMm, p.BoardBowMm));
        }
        else if (p.Scene != PhantomScene.Empty)
        {
            var body = scene.Meshes;
            meshes.AddRange(body.For(pose));
            motion = new PhantomMotion(p, pose, body, scene.Spine, secondPerson);
        }

        if (secondPerson is { } beside)
        {
            var count = meshes.Count;
            for (var i = 0; i < count; i++)
            {
                meshes.Add(meshes[i].Translated(beside));
            }
        }

        using var renderer = new PhantomRenderer(intrinsics, camera, p.Noise, p.NoiseFree, scene.WallZ, SensorEffectsModel.For(p, intrinsics, scene.Bias), p.DepthScaleError);
        var poseStream = pose == CapturePose.Standing ? 11 : 13;
        var sway = new Random(PhantomSeeds.Derive(p.NoiseSeed, poseStream));
        var jitter = p.Motion.SwayMm is null;
        try
        {
            for (var f = 0; f < p.FrameCount; f++)
            {
                // The base phantom's per-frame jitter (kept exactly when no slow sway is drawn); slow sway moves the meshes.
                var offset = p.NoiseFree || !jitter
                    ? Vector3d.Zero
                    : new Vector3d(
                        sway.NextGaussian(0, p.Noise.SwaySigmaMm, -p.Noise.SwayMaxMm, p.Noise.SwayMaxMm),
                        sway.NextGaussian(0, p.Noise.SwaySigmaMm, -p.Noise.SwayMaxMm, p.Noise.SwayMaxMm),
                        sway.NextGaussian(0, p.Noise.SwaySigmaMm, -p.Noise.SwayMaxMm, p.Noise.SwayMaxMm));
                var seed = PhantomSeeds.Mix(((ulong)(uint)p.NoiseSeed << 20) ^ ((ulong)poseStream << 12) ^ (ulong)f);
                var posed = motion is null || motion.IsStill ? meshes : motion.Frame(f);
                frames.Add(renderer.Render(posed, offset, seed, f * p.Noise.FrameIntervalMs));
            }
        }
        catch
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }

            throw;
        }

        return new DepthCapture(pose, intrinsics, scene.Device, null, frames);
    }
}
