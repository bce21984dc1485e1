using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Phantom;

namespace SpineScan.Core.Tests.Analysis;

public sealed class ForwardBendAnalyzerTests
{
    // A slim child (BMI 15.5) whose hanging arms and shoulders make the widest rows of the bent back almost twice
    // as wide as the trunk: the trunk must still be found (it once was not, and the capture was refused).
    [Fact]
    public void Measure_SlimTrunkUnderWideShoulders_MeasuresTheTrunk()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = PhantomSeeds.ForChild(556, 6), FrameCount = 4 });
        var timings = new Dictionary<string, double>();
        using var bend = PoseCaptureAnalyzer.Analyze(child.ForwardBend, CapturePose.ForwardBend, CaptureSettings.Default, ExpectedCameraPose.ForwardBend, timings);
        Assert.True(bend.Report.Accepted);

        var rotation = ForwardBendAnalyzer.Measure(bend.Surface!);

        Assert.NotNull(rotation);
        Assert.InRange(Math.Abs(rotation.AtrDeg), Math.Abs(child.Truth.AtrDeg) - 1.5, Math.Abs(child.Truth.AtrDeg) + 1.5);
    }

    // An in-range child whose waistband edge, tilted by the pelvis, crosses the scoliometer's span for a row or two below
    // L5: single rows read -13 deg for a true ATR of 3.3 until the profile was read through a running median.
    [Fact]
    public void Measure_WaistbandEdgeAcrossTheSpan_ReadsTheBackNotTheEdge()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 577181280, World = PhantomWorld.InRange, FrameCount = 6 });
        var timings = new Dictionary<string, double>();
        using var bend = PoseCaptureAnalyzer.Analyze(child.ForwardBend, CapturePose.ForwardBend, CaptureSettings.Default, ExpectedCameraPose.ForwardBend, timings);

        var rotation = ForwardBendAnalyzer.Measure(bend.Surface!);

        Assert.NotNull(rotation);
        Assert.InRange(Math.Abs(rotation.AtrDeg), Math.Abs(child.Truth.AtrDeg) - 2, Math.Abs(child.Truth.AtrDeg) + 2);
    }
}
