using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Ports;
using SpineScan.Core.Spine;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Core.Tests.Analysis;

/// <summary>The analysis with a learned centre model behind the port: its centres feed the same Cobb code, or it falls back.</summary>
public class ScreeningAnalyzerCentreModelTests
{
    // A stand-in model: every centre on the chord (a straight spine) with the sigma it is given.
    private sealed class StraightModel(float sigma) : ISpineCentreModel
    {
        public ModelInfo Info { get; } = new("straight-test", new string('0', 64));

        public double MaxTrustedSigma => 0.01;

        public int Calls { get; private set; }

        public void Predict(ReadOnlySpan<float> grid, Span<float> prediction)
        {
            Assert.Equal(BackGrid.Length, grid.Length);
            Calls++;
            prediction.Clear();
            prediction[(2 * SpineCentrePrediction.Levels)..].Fill(sigma);
        }
    }

    // A child with a 30 degree curve read without a model and with a straight model of the given sigma.
    private static (ScreeningResult Classical, ScreeningResult Learned, StraightModel Model) BothReadings(float sigma)
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 202,
            FrameCount = 4,
            Curve = new CurveOverride(CurveType.C, 30, VertebralLevel.T8, ConvexRight: true),
            CameraDistanceMm = 1200,
        });
        var settings = ModelCatalog.Shipped.Settings();
        var model = new StraightModel(sigma);
        var classical = new ScreeningAnalyzer(settings, new ClassicLandmarkDetector()).Analyze(child.Standing, null);
        var learned = new ScreeningAnalyzer(settings, new ClassicLandmarkDetector(), model).Analyze(child.Standing, null);
        return (classical, learned, model);
    }

    [Fact]
    public void Analyze_SureModel_ItsCentresFeedTheCobbEstimate()
    {
        var (classical, learned, model) = BothReadings(0.005f);

        Assert.Equal(1, model.Calls);
        Assert.True(learned.CentresFromModel);
        Assert.Contains(model.Info, learned.Models);
        // The classical path reads the 30 degree curve; the model's straight centres read no curve at all.
        Assert.InRange(classical.Cobb!.Largest.TangentDifferenceDeg, 15, 60);
        Assert.InRange(learned.Cobb!.Largest.TangentDifferenceDeg, 0, 0.5);
        Assert.True(learned.TimingsMs.ContainsKey("standing.model"));
    }

    [Fact]
    public void Analyze_UnsureModel_FallsBackToTheClassicalReadingExactly()
    {
        var (classical, learned, model) = BothReadings(0.05f);

        Assert.Equal(1, model.Calls);
        Assert.False(learned.CentresFromModel);
        Assert.Contains(model.Info, learned.Models);
        Assert.Equal(classical.Cobb!.Largest.AngleDeg, learned.Cobb!.Largest.AngleDeg);
        Assert.Equal(classical.SpinalLineBodyMm, learned.SpinalLineBodyMm);
        Assert.Equal(classical.Category, learned.Category);
        Assert.False(classical.CentresFromModel);
    }
}
