using SpineScan.Core.Spine;

namespace SpineScan.Core.Tests.Spine;

public class CobbIntervalModelTests
{
    private static readonly CaptureEvidence Clean = new(450, 1200, 0.98, 1, 0.3, 0.1, 5);

    [Fact]
    public void Interval_WeightsOnTheNoise_APoorCaptureGetsAWiderInterval()
    {
        var lower = new double[CobbIntervalModel.FeatureCount];
        var upper = new double[CobbIntervalModel.FeatureCount];
        lower[0] = upper[0] = Math.Log(2);
        lower[8] = upper[8] = 0.5; // noise / 5
        var model = new CobbIntervalModel(lower, upper);

        var good = model.Interval(25, Clean);
        var poor = model.Interval(25, Clean with { DepthNoiseMm = 15 });

        Assert.True(poor.Upper - poor.Lower > good.Upper - good.Lower + 4, $"good {good}, poor {poor}");
        Assert.InRange(good.Lower, 0, 25);
        Assert.InRange(good.Upper, 25, 40);
    }

    [Fact]
    public void Interval_NeverBelowZeroNorWiderThanForty()
    {
        var lower = new double[CobbIntervalModel.FeatureCount];
        var upper = new double[CobbIntervalModel.FeatureCount];
        lower[0] = upper[0] = 10; // e^10 degrees
        var interval = new CobbIntervalModel(lower, upper).Interval(3, Clean);

        Assert.Equal(0, interval.Lower);
        Assert.Equal(43, interval.Upper, 9);
    }

    [Fact]
    public void Problems_WrongNumberOfWeights_Named() =>
        Assert.NotEmpty(new CobbIntervalModel([1, 2], new double[CobbIntervalModel.FeatureCount]).Problems());
}
