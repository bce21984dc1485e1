using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Phantom;

namespace SpineScan.Core.Tests.Analysis;

public class PositioningGuideTests
{
    private static readonly PositioningGuide Guide = new();

    private static PhantomChild Child(double? distanceMm = 1300, PhantomScene scene = PhantomScene.Child) =>
        PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 7,
            FrameCount = 1,
            Sensor = PhantomSensor.RealSenseD435,
            CameraDistanceMm = distanceMm,
            CameraPitchDeg = 0,
            CameraRollDeg = 0,
            Scene = scene,
        });

    private static PositioningAssessment Assess(DepthCapture capture, CapturePose pose = CapturePose.Standing) =>
        Guide.Assess(capture.Frames[0], capture.Intrinsics, pose);

    private static string[] Codes(PositioningAssessment assessment) => [.. assessment.Findings.Select(c => c.Code)];

    [Fact]
    public void Assess_ChildAtTargetDistance_IsReady()
    {
        using var child = Child(1300);

        var assessment = Assess(child.Standing);

        Assert.True(assessment.Ready, string.Join(", ", Codes(assessment)));
        Assert.InRange(assessment.DistanceMm!.Value, 1200, 1450);
        Assert.InRange(Math.Abs(assessment.OffCentreMm!.Value), 0, 150);
    }

    [Fact]
    public void Assess_ChildTooNear_SaysStepBack()
    {
        using var child = Child(650);

        var assessment = Assess(child.Standing);

        Assert.False(assessment.Ready);
        Assert.Contains("too_near", Codes(assessment));
        Assert.DoesNotContain("too_far", Codes(assessment));
    }

    [Fact]
    public void Assess_ChildTooFar_SaysComeCloser()
    {
        using var child = Child(2100);

        var assessment = Assess(child.Standing);

        Assert.Contains("too_far", Codes(assessment));
        Assert.DoesNotContain("too_near", Codes(assessment));
    }

    [Theory]
    [InlineData(160, "step_left")]
    [InlineData(-160, "step_right")]
    public void Assess_ChildOffCentre_SaysWhichWayToStep(int shiftPixels, string expected)
    {
        using var child = Child(1300);
        using var shifted = Shift(child.Standing.Frames[0], shiftPixels);

        var assessment = Guide.Assess(shifted, child.Standing.Intrinsics, CapturePose.Standing);

        Assert.Contains(expected, Codes(assessment));
        Assert.Equal(Math.Sign(shiftPixels), Math.Sign(assessment.OffCentreMm!.Value));
    }

    [Fact]
    public void Assess_EmptyScene_SaysNobody()
    {
        using var empty = Child(1300, PhantomScene.Empty);

        var assessment = Assess(empty.Standing);

        Assert.Equal("nobody_in_view", Assert.Single(Codes(assessment)));
        Assert.Null(assessment.DistanceMm);
    }

    [Fact]
    public void Assess_TwoPeople_SaysSo()
    {
        using var two = Child(1300, PhantomScene.TwoPeople);

        var assessment = Assess(two.Standing);

        Assert.Equal("two_people", Codes(assessment)[0]);
    }

    [Fact]
    public void Downsample_HalfSize_GivesTheSameDistanceAndCentring()
    {
        using var child = Child(1300);
        var full = Assess(child.Standing);

        var (small, intrinsics) = PositioningGuide.Downsample(child.Standing.Frames[0], child.Standing.Intrinsics, 2);
        using (small)
        {
            var half = Guide.Assess(small, intrinsics, CapturePose.Standing);

            Assert.Equal((424, 240), (small.Width, small.Height));
            Assert.InRange(half.DistanceMm!.Value - full.DistanceMm!.Value, -30, 30); // mm
            Assert.InRange(half.OffCentreMm!.Value - full.OffCentreMm!.Value, -30, 30); // mm
            Assert.Equal(full.Ready, half.Ready);
        }
    }

    [Fact]
    public void Target_IsCentredOnTheOpticalAxis()
    {
        var target = Guide.Target(CameraIntrinsics.RealSenseD435);

        Assert.InRange((target.MinU + target.MaxU) / 2.0, 420, 428);
        Assert.True(target.MaxU - target.MinU > 100 && target.MaxV - target.MinV > 200);
    }

    // The frame moved sideways by whole pixels (positive = to the right), what a child standing off the centre line gives.
    private static DepthFrame Shift(DepthFrame source, int pixels)
    {
        var shifted = DepthFrame.Create(source.Width, source.Height, source.DepthScaleM);
        for (var v = 0; v < source.Height; v++)
        {
            var from = source.Row(v);
            var to = shifted.Row(v);
            for (var u = 0; u < source.Width; u++)
            {
                var s = u - pixels;
                to[u] = s >= 0 && s < source.Width ? from[s] : from[Math.Clamp(s, 0, source.Width - 1)];
            }
        }

        return shifted;
    }
}
