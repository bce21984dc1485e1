using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Ports;
using SpineScan.Phantom;

namespace SpineScan.Core.Tests.Analysis;

public class BackGridTests
{
    // A phantom child's standing surface and its C7 and dimples' midpoint, as the pipeline finds them.
    private static (PoseCapture Pose, (double A, double B) C7, (double A, double B) DimpleMid) Standing(PhantomChild child)
    {
        var pose = PoseCaptureAnalyzer.Analyze(child.Standing, CapturePose.Standing, CaptureSettings.Default, ExpectedCameraPose.Standing, new Dictionary<string, double>());
        var found = new ClassicLandmarkDetector().Detect(pose.Surface!);
        var c7 = found.Single(l => l.Name == LandmarkNames.C7);
        var left = found.Single(l => l.Name == LandmarkNames.DimpleLeft);
        var right = found.Single(l => l.Name == LandmarkNames.DimpleRight);
        return (pose, (c7.A, c7.B), ((left.A + right.A) / 2, (left.B + right.B) / 2));
    }

    [Fact]
    public void Export_PhantomBack_SameBitsTwiceMostlySeenAndHeightsOverTheirPlane()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 301, FrameCount = 4 });
        var (pose, c7, dimpleMid) = Standing(child);
        using var _ = pose;
        var first = new float[BackGrid.Length];
        var second = new float[BackGrid.Length];

        var frame = BackGrid.Export(pose.Surface!, c7, dimpleMid, first);
        BackGrid.Export(pose.Surface!, c7, dimpleMid, second);

        Assert.Equal(first, second);
        const int Cells = BackGrid.Rows * BackGrid.Columns;
        var mask = first.AsSpan(3 * Cells, Cells);
        var seen = 0;
        double heightSum = 0;
        for (var i = 0; i < Cells; i++)
        {
            Assert.True(mask[i] is 0 or 1);
            Assert.True(float.IsFinite(first[i]) && float.IsFinite(first[Cells + i]) && float.IsFinite(first[(2 * Cells) + i]));
            if (mask[i] == 1)
            {
                seen++;
                heightSum += first[i];
            }
            else
            {
                Assert.Equal(0, first[i]);
            }
        }

        // The grid spans the back between the shoulders' and hips' width: most of it is skin.
        Assert.InRange(seen / (double)Cells, 0.6, 1.0);

        // Least squares with an offset leaves residuals of zero mean: the heights are taken over their own plane
        // (1e-3 of the 50 mm scale is 0.05 mm).
        Assert.InRange(heightSum / seen, -1e-3, 1e-3);
        Assert.InRange(frame.TrunkLengthMm, 300, 700);
    }

    [Fact]
    public void Export_WrongLengthOrShortTrunk_ThrowsSayingWhat()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 301, FrameCount = 4 });
        var (pose, c7, dimpleMid) = Standing(child);
        using var _ = pose;

        var length = Assert.Throws<ArgumentException>(() => BackGrid.Export(pose.Surface!, c7, dimpleMid, new float[100]));
        Assert.Contains($"{BackGrid.Length} floats", length.Message, StringComparison.Ordinal);
        var trunk = Assert.Throws<ArgumentException>(() => BackGrid.Export(pose.Surface!, (c7.A, dimpleMid.B + 100), dimpleMid, new float[BackGrid.Length]));
        Assert.Contains("at least 150 mm", trunk.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_SharesToBodyAndBack_SamePoint()
    {
        var frame = new BackGridFrame(12, 1400, -5, 950, 30, 0.02, -0.01);

        var body = frame.ToBody(1200, 0.05, -0.2);
        var (lateral, sagittal) = frame.ToShares(body.X, body.Y, body.Z);

        Assert.Equal(1200, body.Y);
        Assert.Equal(0.05, lateral, 1e-12);
        Assert.Equal(-0.2, sagittal, 1e-12);
        // On the chord at C7's height and at the dimples' midpoint.
        Assert.Equal(12, frame.ToBody(1400, 0, 0).X, 1e-9);
        Assert.Equal(-5, frame.ToBody(950, 0, 0).X, 1e-9);
    }
}
