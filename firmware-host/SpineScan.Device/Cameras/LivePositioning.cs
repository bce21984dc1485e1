using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Positioning;

namespace SpineScan.Device.Cameras;

/// <summary>One frame of the live positioning view: the guide's findings and the picture (PositioningBenchmarks times it).</summary>
public static class LivePositioning
{
    // The live view's pixels per preview pixel along each axis.
    private const int PreviewDownsample = 2;

    /// <summary>
    /// The frame halved, assessed for the pose, and drawn as a turbo depth picture with the target outline (JPEG). Without
    /// a picture (OpenCV's native library is absent) the guidance alone, with an empty JPEG the kiosk shows a line for.
    /// </summary>
    public static PositioningFrame Frame(DepthFrame frame, CameraIntrinsics intrinsics, CapturePose pose, PositioningGuide guide, PositioningPicture? picture)
    {
        ArgumentNullException.ThrowIfNull(guide);

        // Half resolution for the live view: the guide and the picture need the outline, not the detail.
        var (small, smallIntrinsics) = PositioningGuide.Downsample(frame, intrinsics, PreviewDownsample);
        using (small)
        {
            var assessment = guide.Assess(small, smallIntrinsics, pose);
            var jpeg = picture?.Render(small, assessment) ?? [];
            return new PositioningFrame(jpeg, assessment.Findings, assessment.Ready, assessment.DistanceMm);
        }
    }
}
