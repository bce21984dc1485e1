using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Phantom;

namespace SpineScan.Core.Tests.Spine;

public class EndplateCobbPredictionTests
{
    // 17 centres 25 mm apart whose lateral offset follows x(y); +y down.
    private static Vector2d[] Line(Func<double, double> x) => [.. Enumerable.Range(0, 17).Select(i => new Vector2d(x(i * 25.0), i * 25.0))];

    [Fact]
    public void MedianDeg_NoScatter_IsTheGainWeightedTiltRange()
    {
        // A C curve: the tangent runs from -20 to +20 degrees over the middle levels; without scatter the tilts are the
        // gains times the tangents, and the prediction is their range exactly.
        var parameters = new TiltModelParameters(0.6, 0.9, 0.7, 0, 0, 0, 0.4);
        var centres = Line(y => 60 * Math.Cos(Math.PI * y / 400));
        var tangents = CentreLineCobb.TangentsDeg(centres, 1);
        var tilts = VertebralTiltModel.EndplateTiltsDeg(tangents, VertebralLevel.T1, parameters, new Random(1));

        Assert.Equal(tilts.Max() - tilts.Min(), EndplateCobbPrediction.MedianDeg(centres, parameters), 9);
    }

    [Fact]
    public void MedianDeg_StraightSpine_ReadsTheScatterFloor()
    {
        // VertebralTiltModel's remark: at the phantom's half SD a straight spine's endplate Cobb has a median of 5.8 deg.
        var median = EndplateCobbPrediction.MedianDeg(Line(_ => 0), PhantomTiltModel.Parameters);

        Assert.InRange(median, 5.3, 6.3);
    }

    [Fact]
    public void MedianDeg_MatchesTheMedianOfDrawnSpines()
    {
        // The prediction is what the phantom's truth is on average: the median of the endplate Cobb over 2000
        // independent draws of the scatter for the same 30 degree curve, to within half a degree.
        var centres = Line(y => 45 * Math.Sin(Math.PI * y / 400));
        var tangents = CentreLineCobb.TangentsDeg(centres, 1);
        var random = new Random(99);
        var drawn = Enumerable.Range(0, 2000).Select(_ =>
        {
            var tilts = VertebralTiltModel.EndplateTiltsDeg(tangents, VertebralLevel.T1, PhantomTiltModel.Parameters, random);
            return tilts.Max() - tilts.Min();
        }).Order().ToArray();

        Assert.Equal(drawn[1000], EndplateCobbPrediction.MedianDeg(centres, PhantomTiltModel.Parameters), 0.5);
    }

    [Fact]
    public void MedianDeg_WrongNumberOfCentres_SaysWhatIsNeeded()
    {
        var error = Assert.Throws<ArgumentException>(() => EndplateCobbPrediction.MedianDeg(Line(_ => 0).AsSpan(0, 12), PhantomTiltModel.Parameters));
        Assert.Contains("17 vertebrae T1..L5", error.Message, StringComparison.Ordinal);
    }
}
