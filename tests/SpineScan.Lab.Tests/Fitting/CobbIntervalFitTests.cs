using SpineScan.Contracts;
using SpineScan.Core.Spine;
using SpineScan.Lab.Fitting;

namespace SpineScan.Lab.Tests.Fitting;

public class CobbIntervalFitTests
{
    // Synthetic readings whose error grows with the line's roughness (feature 4) and is skewed: large curves read low
    // more often than high. The truth is the reading plus that error.
    private static List<IntervalSample> Readings(int count, int seed)
    {
        var random = new Random(seed);
        var readings = new List<IntervalSample>(count);
        for (var i = 0; i < count; i++)
        {
            var estimate = 60 * random.NextDouble();
            var roughness = 4 * random.NextDouble();
            var evidence = new CaptureEvidence(450, 1300, 0.95, 2, roughness, 0.2, 6);
            var features = new double[CobbIntervalModel.FeatureCount];
            CobbIntervalModel.Features(estimate, evidence, features);
            var sd = 1 + roughness;
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var error = z > 0 ? z * sd * (1 + (estimate / 60)) : z * sd;
            readings.Add(new IntervalSample(estimate, Math.Max(0, estimate + error), features));
        }

        return readings;
    }

    [Fact]
    public void Fit_SkewedErrorsGrowingWithRoughness_CoversNinetyPercentOfFreshReadingsAndWidensWithRoughness()
    {
        var model = CobbIntervalFit.Fit(Readings(3000, 1), epochs: 120);
        var fresh = Readings(2000, 2);

        var inside = fresh.Count(r =>
        {
            var (below, above) = model.HalfWidths(r.Features);
            return r.TrueCobbDeg >= r.EstimateDeg - below && r.TrueCobbDeg <= r.EstimateDeg + above;
        }) / (double)fresh.Count;
        Assert.InRange(inside, 0.87, 0.93);

        var smooth = model.Interval(30, new CaptureEvidence(450, 1300, 0.95, 2, 0.2, 0.2, 6));
        var rough = model.Interval(30, new CaptureEvidence(450, 1300, 0.95, 2, 3.8, 0.2, 6));
        Assert.True(rough.Upper - rough.Lower > 2 * (smooth.Upper - smooth.Lower), $"rough {rough}, smooth {smooth}");
        Assert.True(rough.Upper - 30 > 30 - rough.Lower, "The skew (reading low more often) does not show.");
    }

    [Fact]
    public void FitDecision_RefersNinetySevenPercentOfTheTrainingCurvesOfTwenty()
    {
        var readings = Readings(3000, 3);
        var model = CobbIntervalFit.Fit(readings, epochs: 60);
        var decision = CobbIntervalFit.FitDecision(readings, model);

        var curved = readings.Where(r => r.TrueCobbDeg >= 20).ToList();
        var referred = curved.Count(r =>
        {
            var (below, above) = model.HalfWidths(r.Features);
            return CobbEvidence.ProbabilityAtLeast(r.EstimateDeg, new CobbInterval(Math.Max(0, r.EstimateDeg - below), r.EstimateDeg + above), 20) >= decision.ReferProbability;
        }) / (double)curved.Count;
        Assert.InRange(referred, 0.97, 0.99);
        Assert.InRange(decision.RescreenProbability, 0.005, decision.ReferProbability + 0.5);
    }

    [Fact]
    public void Fit_TooFewReadings_Refused() =>
        Assert.Contains("At least 50", Assert.Throws<ArgumentException>(() => CobbIntervalFit.Fit(Readings(10, 4))).Message, StringComparison.Ordinal);
}
