using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>Where the child should stand, in image pixels (drawn over the live picture).</summary>
public readonly record struct TargetOutline(int MinU, int MinV, int MaxU, int MaxV);

/// <summary>What one live frame says about the child's position.</summary>
/// <param name="Findings">What to tell the child, most important first (the codes the capture gates use); empty when ready.</param>
/// <param name="DistanceMm">The child's median distance, when a child is seen.</param>
/// <param name="OffCentreMm">Lateral offset from the camera's axis (+ = right in the picture), when a child is seen.</param>
/// <param name="Target">The target outline for this camera.</param>
public sealed record PositioningAssessment(IReadOnlyList<CaptureFinding> Findings, double? DistanceMm, double? OffCentreMm, TargetOutline Target)
{
    public bool Ready => Findings.Count == 0;
}

/// <summary>
/// Live guidance while the screener positions a child: one frame is segmented (wall, floor, people) and its child is
/// compared with the same limits the capture's quality gates use, aimed at the middle of the allowed distance so a
/// capture started on "ready" passes with room to spare. Pure: no I/O; the segmentation's label buffer is pooled and
/// the checks below read only the segmentation's summaries, so nothing is allocated per pixel.
/// </summary>
public sealed class PositioningGuide(CaptureSettings? capture = null, SegmentationSettings? segmentation = null)
{
    /// <summary>Typical trunk width (mm) of a screened child with arms hanging: the target outline's width.</summary>
    public const double TargetTrunkWidthMm = 420;

    /// <summary>Height (mm) of the target outline: neck to knees of a screened child.</summary>
    public const double TargetTrunkHeightMm = 1000;

    // How far inside the gates' distance limits the guide already asks the child to move.
    private const double DistanceMarginMm = 50;

    // The child's bounding box is wider than this share of its height when the arms are held out from the body.
    private const double ArmsOutWidthToHeight = 0.95;

    private readonly CaptureSettings _capture = capture ?? CaptureSettings.Default;
    private readonly SegmentationSettings _segmentation = segmentation ?? LiveSegmentation;

    /// <summary>
    /// The segmentation the live guide uses by default: 60 RANSAC draws instead of 150. The wall holds about half of a
    /// frame's samples and the floor about half of the rest, so 60 draws still find each with a probability above
    /// 99.9 %; the plane search is most of a live frame's cost.
    /// </summary>
    public static SegmentationSettings LiveSegmentation { get; } = SegmentationSettings.Default with { RansacIterations = 60 };

    /// <summary>The distance the guide steers toward: the middle of the gates' allowed range.</summary>
    public double TargetDistanceMm => (_capture.NearestMm + _capture.FarthestMm) / 2;

    /// <summary>The target outline for a camera: centred on the optical axis, a trunk's size at the target distance.</summary>
    public TargetOutline Target(CameraIntrinsics intrinsics)
    {
        ArgumentNullException.ThrowIfNull(intrinsics);
        var halfWidth = intrinsics.Fx * TargetTrunkWidthMm / 2 / TargetDistanceMm;
        var halfHeight = intrinsics.Fy * TargetTrunkHeightMm / 2 / TargetDistanceMm;
        return new TargetOutline(
            Math.Max(0, (int)(intrinsics.Cx - halfWidth)),
            Math.Max(0, (int)(intrinsics.Cy - halfHeight)),
            Math.Min(intrinsics.Width - 1, (int)(intrinsics.Cx + halfWidth)),
            Math.Min(intrinsics.Height - 1, (int)(intrinsics.Cy + halfHeight)));
    }

    /// <summary>
    /// A frame shrunk by <paramref name="factor"/> (every factor-th pixel, no averaging across edges) on a pooled buffer,
    /// with the matching intrinsics: live guidance needs the child's outline, not millimetre detail, and a quarter of
    /// the pixels keeps the segmentation well inside a 10 fps budget on two cores.
    /// </summary>
    public static (DepthFrame Frame, CameraIntrinsics Intrinsics) Downsample(DepthFrame frame, CameraIntrinsics intrinsics, int factor)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(intrinsics);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        var width = frame.Width / factor;
        var height = frame.Height / factor;
        var small = DepthFrame.Create(width, height, frame.DepthScaleM, frame.TimestampMs);
        for (var v = 0; v < height; v++)
        {
            var from = frame.Row(v * factor);
            var to = small.Row(v);
            for (var u = 0; u < width; u++)
            {
                to[u] = from[u * factor];
            }
        }

        var scaled = intrinsics with
        {
            Width = width,
            Height = height,
            Fx = intrinsics.Fx / factor,
            Fy = intrinsics.Fy / factor,
            Cx = intrinsics.Cx / factor,
            Cy = intrinsics.Cy / factor,
        };
        return (small, scaled);
    }

    /// <summary>Assesses one live frame for the given pose.</summary>
    public PositioningAssessment Assess(DepthFrame frame, CameraIntrinsics intrinsics, CapturePose pose)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(intrinsics);
        var target = Target(intrinsics);
        using var scene = SceneSegmenter.Segment(frame, intrinsics, _segmentation);
        var cues = new List<CaptureFinding>(4);
        if (scene.Floor is { } floor)
        {
            var expected = pose == CapturePose.Standing ? ExpectedCameraPose.Standing : ExpectedCameraPose.ForwardBend;
            var body = BodyFrame.FromFloor(floor);
            if (Math.Abs(body.CameraPitchDeg - expected.PitchDeg) > _capture.MaxTiltDeg
                || Math.Abs(body.CameraRollDeg - expected.RollDeg) > _capture.MaxTiltDeg)
            {
                cues.Add(CaptureFinding.CameraTilted(body.CameraPitchDeg, body.CameraRollDeg, _capture.MaxTiltDeg));
            }
        }

        if (scene.People.Count == 0)
        {
            cues.Insert(0, CaptureFinding.Nobody);
            return new PositioningAssessment(cues, null, null, target);
        }

        var child = scene.People[0];
        if (scene.SecondPerson(_capture.SecondPersonMinAreaM2) is not null)
        {
            cues.Insert(0, CaptureFinding.TwoPeople);
        }

        var distance = child.MedianDepthMm;
        var offCentre = (child.CentroidU - intrinsics.Cx) / intrinsics.Fx * distance;

        // Steer toward the middle of the range, but complain only within a margin of the gates' limits (sway moves a child a few cm).
        if (distance < _capture.NearestMm + DistanceMarginMm)
        {
            cues.Add(CaptureFinding.TooNear(distance, TargetDistanceMm));
        }
        else if (distance > _capture.FarthestMm - DistanceMarginMm)
        {
            cues.Add(CaptureFinding.TooFar(distance, TargetDistanceMm));
        }

        if (Math.Abs(offCentre) > _capture.MaxOffCentreMm * 0.75)
        {
            cues.Add(CaptureFinding.OffCentre(offCentre));
        }

        if (child.MinU == 0 || child.MaxU == intrinsics.Width - 1)
        {
            cues.Add(CaptureFinding.CutOff(left: child.MinU == 0));
        }

        if (pose == CapturePose.Standing)
        {
            // Width and height of the child in millimetres at its distance: arms held out widen the silhouette.
            var widthMm = (child.MaxU - child.MinU) * distance / intrinsics.Fx;
            var heightMm = (child.MaxV - child.MinV) * distance / intrinsics.Fy;
            if (heightMm > 0 && widthMm / heightMm > ArmsOutWidthToHeight)
            {
                cues.Add(CaptureFinding.ArmsOut);
            }
        }

        return new PositioningAssessment(cues, distance, offCentre, target);
    }
}
