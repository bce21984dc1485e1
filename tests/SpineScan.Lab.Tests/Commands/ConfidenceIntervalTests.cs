using SpineScan.Lab.Bench;

namespace SpineScan.Lab.Tests.Commands;

public class ConfidenceIntervalTests
{
    [Theory]
    // Reference values of the Wilson score interval (z = 1.96), e.g. Newcombe 1998, table I: 0/10, 10/10, 81/263, 15/148.
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    public void Wilson_MatchesPublishedValues(int successes, int trials, double low, double high)
    {
        var interval = ConfidenceInterval.Wilson(successes, trials);

        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void Wilson_NoTrials_IsNoInterval_AndImpossibleCountsAreRefused()
    {
        Assert.True(double.IsNaN(ConfidenceInterval.Wilson(0, 0).Low));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceInterval.Wilson(5, 3));
        Assert.Contains("5 successes of 3 trials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BootstrapMean_HoldsTheMean_NarrowsWithMoreData_AndRepeats()
    {
        var random = new Random(3);
        double[] Errors(int n) => [.. Enumerable.Range(0, n).Select(_ => Math.Abs(random.NextDouble() * 6))];
        var small = Errors(100);
        var large = Errors(1600);

        var smallInterval = ConfidenceInterval.BootstrapMean(small);
        var largeInterval = ConfidenceInterval.BootstrapMean(large);

        Assert.InRange(small.Average(), smallInterval.Low, smallInterval.High);
        Assert.InRange(large.Average(), largeInterval.Low, largeInterval.High);
        // The interval's width falls as 1 / sqrt(n): 16 times the data, about a quarter of the width.
        Assert.InRange((largeInterval.High - largeInterval.Low) / (smallInterval.High - smallInterval.Low), 0.15, 0.4);
        // Uniform errors on [0, 6]: SD sqrt(3), so the 95 % half-width for 100 is about 1.96 x 1.73 / 10 = 0.34.
        Assert.InRange(smallInterval.High - smallInterval.Low, 0.5, 0.85);
        Assert.Equal(smallInterval, ConfidenceInterval.BootstrapMean(small));
    }
}
