namespace SpineScan.Contracts.Tests;

public class CobbEvidenceTests
{
    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1.6448536269514722, 0.95)]
    [InlineData(-1.6448536269514722, 0.05)]
    [InlineData(1, 0.841344746)]
    [InlineData(-2.5, 0.00620966532)]
    public void NormalCdf_PublishedValues_WithinSevenDigits(double z, double expected) =>
        Assert.Equal(expected, CobbEvidence.NormalCdf(z), 6);

    [Fact]
    public void ProbabilityAtLeast_IntervalEnds_AreTheFifthAndNinetyFifthPercentiles()
    {
        var interval = new CobbInterval(13, 30); // asymmetric: 5 below, 12 above an estimate of 18
        Assert.Equal(0.95, CobbEvidence.ProbabilityAtLeast(18, interval, 13), 6);
        Assert.Equal(0.05, CobbEvidence.ProbabilityAtLeast(18, interval, 30), 6);
        Assert.Equal(0.5, CobbEvidence.ProbabilityAtLeast(18, interval, 18));
    }

    [Fact]
    public void ProbabilityAtLeast_NoInterval_IsAStepAtTheEstimate()
    {
        Assert.Equal(1, CobbEvidence.ProbabilityAtLeast(20, null, 20));
        Assert.Equal(0, CobbEvidence.ProbabilityAtLeast(19.99, null, 20));
        Assert.Equal(1, CobbEvidence.ProbabilityAtLeast(19.99, new CobbInterval(19.99, 19.99), 10));
    }

    [Fact]
    public void Categorize_AWideIntervalBelowTwenty_RefersWhenTheProgrammeAsksForALowProbability()
    {
        var curve = new CobbCurve(17, Metric.Degrees, 0.8, CurveRegion.MainThoracic, Interval90: new CobbInterval(11, 25));
        Assert.Equal(ScreeningCategory.Rescreen, CategoryThresholds.Default.Categorize(curve, 2));
        Assert.Equal(ScreeningCategory.Refer, (CategoryThresholds.Default with { ReferProbability = 0.2 }).Categorize(curve, 2));
    }

    [Fact]
    public void Categorize_TheSameEstimateWithATightInterval_IsNotReferredAtALowProbability()
    {
        var curve = new CobbCurve(17, Metric.Degrees, 0.8, CurveRegion.MainThoracic, Interval90: new CobbInterval(16, 18));
        Assert.Equal(ScreeningCategory.Rescreen, (CategoryThresholds.Default with { ReferProbability = 0.2 }).Categorize(curve, 2));
    }

    [Fact]
    public void Categorize_NoCurve_DecidesOnTheAtrAlone()
    {
        Assert.Equal(ScreeningCategory.Normal, CategoryThresholds.Default.Categorize((CobbCurve?)null, 4.9));
        Assert.Equal(ScreeningCategory.Rescreen, CategoryThresholds.Default.Categorize((CobbCurve?)null, 5));
        Assert.Equal(ScreeningCategory.Refer, CategoryThresholds.Default.Categorize((CobbCurve?)null, 7));
    }
}

public class ScreeningCategoryNamesTests
{
    [Fact]
    public void ToWire_EveryCategory_IsItsJsonNameAndParsesBack()
    {
        foreach (var category in Enum.GetValues<ScreeningCategory>())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(category);
            Assert.Equal($"\"{category.ToWire()}\"", json);
            Assert.True(ScreeningCategoryNames.TryParse(category.ToWire(), out var parsed));
            Assert.Equal(category, parsed);
        }

        Assert.False(ScreeningCategoryNames.TryParse("Refer", out _));
    }
}
