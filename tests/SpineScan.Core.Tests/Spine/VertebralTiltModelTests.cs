using SpineScan.Core.Spine;

namespace SpineScan.Core.Tests.Spine;

public class VertebralTiltModelTests
{
    [Fact]
    public void EndplateTiltsDeg_NoScatter_ReturnsGainTimesTangent()
    {
        var parameters = new TiltModelParameters(0.5, 0.9, 0.7, 0, 0, 0, 0.4);
        double[] tangents = [.. Enumerable.Range(0, 17).Select(i => i - 8.0)];

        var tilts = VertebralTiltModel.EndplateTiltsDeg(tangents, VertebralLevel.T1, parameters, new Random(1));

        Assert.Equal(0.5 * -8, tilts[0], 9);
        Assert.Equal(0.9 * 2, tilts[10], 9);
        Assert.Equal(0.7 * 8, tilts[16], 9);
    }

    [Fact]
    public void EndplateTiltsDeg_FittedModel_ScatterMatchesFittedSd()
    {
        // 4000 straight spines: the middle levels' tilt SD should be the fitted SD within 0.2 degrees,
        // and neighbours correlate as fitted within 0.05.
        var random = new Random(7);
        var zero = new double[17];
        var values = new List<double>();
        double products = 0;
        var pairs = 0;
        for (var s = 0; s < 4000; s++)
        {
            var tilts = VertebralTiltModel.EndplateTiltsDeg(zero, random);
            values.Add(tilts[8]);
            products += tilts[8] * tilts[9];
            pairs++;
        }

        var fitted = VertebralTiltModel.Fitted;
        var sd = Math.Sqrt(values.Average(v => v * v));
        Assert.Equal(fitted.MiddleSdDeg, sd, 0.2);
        Assert.Equal(fitted.Lag1Correlation, products / pairs / (sd * sd), 0.05);
    }

    [Fact]
    public void EndplateTiltsDeg_SameSeed_IsRepeatable()
    {
        double[] tangents = [.. Enumerable.Range(0, 17).Select(i => 10 * Math.Sin(i / 3.0))];

        var a = VertebralTiltModel.EndplateTiltsDeg(tangents, new Random(3));
        var b = VertebralTiltModel.EndplateTiltsDeg(tangents, new Random(3));

        Assert.Equal(a, b);
    }
}
