using System.Diagnostics;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>Expected camera pose of the kiosk stand for one capture pose (from calibration when available).</summary>
/// <param name="PitchDeg">Expected downward pitch (standing: 0, level; forward bend: the stand's head tilted 60 degrees down).</param>
/// <param name="RollDeg">Expected roll (0 unless calibrated otherwise).</param>
public sealed record ExpectedCameraPose(double PitchDeg, double RollDeg)
{
    public static ExpectedCameraPose Standing { get; } = new(0, 0);

    public static ExpectedCameraPose ForwardBend { get; } = new(60, 0);
}

/// <summary>The measurable part of one pose: the fused depth, the child's pixels, the body frame and the back surface.</summary>
public sealed class PoseCapture : IDisposable
{
    private DepthFrame? _fused;

    internal PoseCapture(PoseReport report, DepthFrame? fused, SceneSegmentation? scene, SceneObject? body, BodyFrame? frame, BackSurface? surface)
    {
        Report = report;
        _fused = fused;
        Scene = scene;
        Body = body;
        Frame = frame;
        Surface = surface;
    }

    public PoseReport Report { get; }

    public DepthFrame? Fused => _fused;

    public SceneSegmentation? Scene { get; }

    public SceneObject? Body { get; }

    public BodyFrame? Frame { get; }

    public BackSurface? Surface { get; }

    /// <summary>Hands the fused frame to the caller (who disposes it); the capture no longer owns it.</summary>
    internal DepthFrame? TakeFused()
    {
        var fused = _fused;
        _fused = null;
        return fused;
    }

    public void Dispose()
    {
        _fused?.Dispose();
        Scene?.Dispose();
        Surface?.Dispose();
    }
}

/// <summary>
/// The pose-independent stages: fusion, segmentation, the gates that need no landmarks (nobody, two
/// people, distance, centring, camera tilt, motion, wrong pose, too few pixels), and the back surface.
/// </summary>
public static class PoseCaptureAnalyzer
{
    /// <summary>Gaussian smoothing of the back surface (mm): sensor noise at 1.6 m is about 4 mm per pixel.</summary>
    public const double SurfaceSmoothingMm = 8;

    public static PoseCapture Analyze(
        DepthCapture capture,
        CapturePose expectedPose,
        CaptureSettings settings,
        ExpectedCameraPose expectedCamera,
        IDictionary<string, double> timings,
        CameraPoseCalibration? calibrated = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(expectedCamera);
        ArgumentNullException.ThrowIfNull(timings);
        var prefix = expectedPose == CapturePose.Standing ? "standing." : "forwardBend.";
        var issues = new List<CaptureFinding>();
        if (capture.Frames.Count == 0)
        {
            issues.Add(CaptureFinding.NoFrames);
            return Refused(expectedPose, issues, 0);
        }

        var intrinsics = capture.Intrinsics;
        foreach (var frame in capture.Frames)
        {
            if (frame.Width != intrinsics.Width || frame.Height != intrinsics.Height)
            {
                issues.Add(CaptureFinding.FrameSize(frame.Width, frame.Height, intrinsics.Width, intrinsics.Height));
                return Refused(expectedPose, issues, capture.Frames.Count);
            }
        }

        var start = Stopwatch.GetTimestamp();
        var fused = DepthFrame.Create(intrinsics.Width, intrinsics.Height, capture.Frames[0].DepthScaleM);
        SceneSegmentation? scene = null;
        BackSurface? surface = null;
        try
        {
            DepthFusion.Fuse(capture.Frames, fused);
            timings[prefix + "fusion"] = Elapsed(ref start);

            scene = SceneSegmenter.Segment(fused, intrinsics);
            timings[prefix + "segmentation"] = Elapsed(ref start);
            var report = new PoseReport { Pose = expectedPose, Issues = issues, FramesUsed = capture.Frames.Count };
            if (scene.People.Count == 0)
            {
                issues.Add(CaptureFinding.Nobody);
                return new PoseCapture(report, fused, scene, null, null, null);
            }

            var body = scene.People[0];
            if (scene.SecondPerson(settings.SecondPersonMinAreaM2) is not null)
            {
                issues.Add(CaptureFinding.TwoPeople);
            }

            // The body frame: gravity from the calibration when the device has one for this head position, else from the
            // floor this capture sees (or a level camera when it sees none). The camera-tilt gate always reads the floor seen.
            var floorSeen = BodyFrame.FromFloor(scene.Floor);
            var frame = calibrated?.Frame ?? floorSeen;
            var motion = BurstMotion.Measure(capture.Frames, fused, intrinsics, scene, body);
            var distance = body.MedianDepthMm;
            var offCentre = (body.CentroidU - intrinsics.Cx) / intrinsics.Fx * distance;
            report = report with
            {
                DistanceMm = distance,
                MotionMm = motion.ShiftMm,
                MotionTurnDeg = motion.TurnDeg,
                MovedAreaM2 = motion.MovedAreaM2,
                DepthNoiseMm = motion.DepthNoiseMm,
                CameraPitchDeg = scene.Floor is null ? null : floorSeen.CameraPitchDeg,
                CameraRollDeg = scene.Floor is null ? null : floorSeen.CameraRollDeg,
            };

            if (distance < settings.NearestMm)
            {
                issues.Add(CaptureFinding.TooNear(distance, settings.NearestMm));
            }
            else if (distance > settings.FarthestMm)
            {
                issues.Add(CaptureFinding.TooFar(distance, settings.FarthestMm));
            }

            if (Math.Abs(offCentre) > settings.MaxOffCentreMm)
            {
                issues.Add(CaptureFinding.OffCentre(offCentre));
            }

            if (body.MinU == 0 || body.MaxU == intrinsics.Width - 1)
            {
                issues.Add(CaptureFinding.CutOff(left: body.MinU == 0));
            }

            if (scene.Floor is not null
                && (Math.Abs(floorSeen.CameraPitchDeg - expectedCamera.PitchDeg) > settings.MaxTiltDeg
                    || Math.Abs(floorSeen.CameraRollDeg - expectedCamera.RollDeg) > settings.MaxTiltDeg))
            {
                issues.Add(CaptureFinding.CameraTilted(floorSeen.CameraPitchDeg, floorSeen.CameraRollDeg, settings.MaxTiltDeg));
            }

            if (motion.ShiftMm > settings.MaxBodyShiftMm || motion.TurnDeg > settings.MaxBodyTurnDeg || motion.MovedAreaM2 > settings.MaxMovedAreaM2)
            {
                issues.Add(CaptureFinding.Moved);
            }

            var pose = PoseClassifier.Classify(fused, intrinsics, scene, body, frame);
            if (pose is { } seen && seen != expectedPose)
            {
                issues.Add(expectedPose == CapturePose.Standing ? CaptureFinding.NotStanding : CaptureFinding.NotBending);
            }

            timings[prefix + "gates"] = Elapsed(ref start);
            var view = expectedPose == CapturePose.Standing ? SurfaceView.Standing : SurfaceView.ForwardBend;
            surface = BackSurface.Build(fused, intrinsics, scene, body.Label, frame, view, smoothingMm: SurfaceSmoothingMm);
            timings[prefix + "surface"] = Elapsed(ref start);
            report = report with { Issues = issues };
            return new PoseCapture(report, fused, scene, body, frame, surface);
        }
        catch
        {
            fused.Dispose();
            scene?.Dispose();
            surface?.Dispose();
            throw;
        }
    }

    private static PoseCapture Refused(CapturePose pose, List<CaptureFinding> issues, int frames) =>
        new(new PoseReport { Pose = pose, Issues = issues, FramesUsed = frames }, null, null, null, null, null);

    private static double Elapsed(ref long start)
    {
        var now = Stopwatch.GetTimestamp();
        var ms = Stopwatch.GetElapsedTime(start, now).TotalMilliseconds;
        start = now;
        return ms;
    }
}
