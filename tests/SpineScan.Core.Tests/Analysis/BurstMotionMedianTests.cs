using SpineScan.Core.Analysis;

namespace SpineScan.Core.Tests.Analysis;

public sealed class BurstMotionMedianTests
{
    // The selection must give exactly the sorted median (the movement gate's figures and the goldens depend on it).
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(7, 0)]
    [InlineData(8, 0)]
    [InlineData(9501, 0)]
    [InlineData(9502, 0)]
    [InlineData(1000, 3)]
    [InlineData(1001, 3)]
    public void Median_EqualsTheSortedMedian(int length, int distinctValues)
    {
        var random = new Random(length);
        var values = Enumerable.Range(0, length)
            .Select(_ => distinctValues > 0 ? random.Next(distinctValues) : (random.NextDouble() - 0.5) * 10)
            .ToArray();
        var sorted = values.Order().ToArray();
        var expected = length % 2 == 1 ? sorted[length / 2] : (sorted[(length / 2) - 1] + sorted[length / 2]) / 2;

        Assert.Equal(expected, BurstMotion.Median(values));
    }
}
