using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Lab.Fitting;

namespace SpineScan.Lab.Tests.Fitting;

public class SpinalLineFitTests
{
    private const double C7B = 1300;
    private const double DimpleMidB = 850;

    // A smooth random symmetry line from the dimples up to C7: a few sine waves of lateral offset, and a rotation
    // that follows the offset with some of its own wobble, as on a scoliotic back.
    private static SymmetryPoint[] RandomLine(Random random, double amplitudeMm)
    {
        var phase1 = random.NextDouble() * Math.PI * 2;
        var phase2 = random.NextDouble() * Math.PI * 2;
        var a1 = amplitudeMm * ((random.NextDouble() * 2) - 1);
        var a2 = amplitudeMm * 0.5 * ((random.NextDouble() * 2) - 1);
        var rotationGain = 0.2 + (0.2 * random.NextDouble());
        var points = new List<SymmetryPoint>();
        for (var b = DimpleMidB - 20; b <= C7B + 20; b += 4)
        {
            var t = (b - DimpleMidB) / (C7B - DimpleMidB);
            var lateral = (a1 * Math.Sin((Math.PI * t) + phase1)) + (a2 * Math.Sin((3 * Math.PI * t) + phase2));
            var rotation = (rotationGain * lateral) + (0.5 * Math.Sin((5 * Math.PI * t) + phase1));
            points.Add(new SymmetryPoint(b, lateral, 100, rotation, 0.1));
        }

        return [.. points];
    }

    // Training samples whose true centres follow deviation = gain x skin deviation + perRotation x scaled rotation.
    private static List<SpinalLineSample> Samples(SpinalLineModel basis, int count, int seed, double gain, double perRotation, Func<double, double>? truthCobb = null, double squareGain = 0)
    {
        var random = new Random(seed);
        var samples = new List<SpinalLineSample>();
        var inputs = new double[SpinalLineModel.FilterInputs];
        for (var n = 0; n < count; n++)
        {
            var line = RandomLine(random, 25);
            var (top, bottom) = SpinalLineReconstructor.Chord(line, C7B, DimpleMidB, basis);
            var points = new SymmetryPoint[SpinalLineModel.Levels];
            var chords = new double[SpinalLineModel.Levels];
            var skin = new Vector3d[SpinalLineModel.Levels];
            var centres = new Vector3d[SpinalLineModel.Levels];
            for (var k = 0; k < SpinalLineModel.Levels; k++)
            {
                var b = C7B - (basis.LevelFractions[k] * (C7B - DimpleMidB));
                points[k] = SpinalLineReconstructor.At(line, b);
                chords[k] = SpinalLineReconstructor.ChordAt(top, bottom, b);
            }

            SpinalLineReconstructor.FilterInputs(points, chords, C7B - DimpleMidB, inputs);
            var meanDeviation = inputs.Take(SpinalLineModel.Levels).Average();
            for (var k = 0; k < SpinalLineModel.Levels; k++)
            {
                var x = chords[k] + (gain * inputs[k]) + (perRotation * inputs[SpinalLineModel.Levels + k]) + (squareGain * meanDeviation * Math.Abs(meanDeviation));
                skin[k] = new Vector3d(points[k].LateralMm, points[k].HeightMm, 100);
                centres[k] = new Vector3d(x, points[k].HeightMm, 35);
            }

            var sample = new SpinalLineSample(line, C7B, DimpleMidB, skin, centres);
            samples.Add(sample);
        }

        return samples;
    }

    [Fact]
    public void FitFilter_LinesFromAKnownMap_PredictsHeldOutCentresWithinATenthOfAMillimetre()
    {
        var basis = SpinalLineModel.Uniform;
        var training = Samples(basis, 400, seed: 1, gain: 1.25, perRotation: -2.0);
        var heldOut = Samples(basis, 50, seed: 2, gain: 1.25, perRotation: -2.0);

        var model = SpinalLineFit.FitFilter(training, basis, penalty: 1e-6);

        Assert.Empty(model.Problems());
        foreach (var sample in heldOut)
        {
            var levels = SpinalLineReconstructor.Reconstruct(sample.SymmetryLine, C7B, DimpleMidB, model);
            for (var k = 0; k < SpinalLineModel.Levels; k++)
            {
                Assert.InRange(levels[k].CentreBodyMm.X - sample.TrueCentres[k].X, -0.1, 0.1);
            }
        }
    }

    [Fact]
    public void Reconstruct_DiagonalFilter_SameCentresAsGainAndRotationTerm()
    {
        const int N = SpinalLineModel.Levels;
        var line = RandomLine(new Random(3), 20);
        var plain = SpinalLineModel.Uniform with { DeviationGain = 1.3, LateralMmPerRotationDeg = -1.5 };
        var filter = new double[N * SpinalLineModel.FilterInputs];
        var scale = (C7B - DimpleMidB) / SpinalLineModel.RotationReferenceLengthMm;
        for (var k = 0; k < N; k++)
        {
            filter[(k * SpinalLineModel.FilterInputs) + k] = 1.3;
            filter[(k * SpinalLineModel.FilterInputs) + N + k] = -1.5 / scale;
        }

        var expected = SpinalLineReconstructor.Reconstruct(line, C7B, DimpleMidB, plain);
        var actual = SpinalLineReconstructor.Reconstruct(line, C7B, DimpleMidB, plain with { LateralFilter = filter });

        for (var k = 0; k < N; k++)
        {
            Assert.Equal(expected[k].CentreBodyMm.X, actual[k].CentreBodyMm.X, 9);
            Assert.Equal(expected[k].CentreBodyMm.Y, actual[k].CentreBodyMm.Y, 9);
        }
    }

    [Theory]
    [InlineData(0.25, 4.0, 0.55, 3.2)]
    [InlineData(0.0, 0.0, 0.7, 1.66)]
    public void FitCobbCalibration_TruthFromKnownShapeAndGains_RecoversThem(double endWeight, double softScale, double linear, double sqrt)
    {
        var model = SpinalLineModel.Uniform with { DeviationGain = 1, LateralMmPerRotationDeg = 0 };
        var shape = CentreLineCobbOptions.Default with { EndTangentWeight = endWeight, SoftExtremeScaleDeg = softScale, LinearGain = 1, SqrtGain = 0 };
        var samples = Samples(model, 150, seed: 4, gain: 1, perRotation: 0)
            .Select(s =>
            {
                var raw = CentreLineCobb.Estimate(SpinalLineFit.FrontalCentres(s, model), VertebralLevel.T1, shape).Largest.AngleDeg;
                return s with { TrueCobbDeg = (linear * raw) + (sqrt * Math.Sqrt(raw)) };
            })
            .ToList();

        var fitted = SpinalLineFit.FitCobbCalibration(samples, model, CentreLineCobbOptions.Default);

        Assert.Equal(endWeight, fitted.EndTangentWeight);
        Assert.Equal(softScale, fitted.SoftExtremeScaleDeg);
        Assert.Equal(linear, fitted.LinearGain, 2);
        Assert.Equal(sqrt, fitted.SqrtGain, 2);
    }

    [Fact]
    public void FitFilter_NoSamplesOrBadPenalty_ClearErrors()
    {
        var basis = SpinalLineModel.Uniform;
        var samples = Samples(basis, 3, seed: 5, gain: 1, perRotation: 0);

        Assert.Throws<ArgumentException>(() => SpinalLineFit.FitFilter([], basis));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpinalLineFit.FitFilter(samples, basis, penalty: 0));
        var noTruth = Assert.Throws<ArgumentException>(() => SpinalLineFit.FitCobbCalibration(samples, basis, CentreLineCobbOptions.Default));
        Assert.Contains("true Cobb", noTruth.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_FilterOfWrongSize_Named()
    {
        var model = SpinalLineModel.Uniform with { LateralFilter = new double[10] };

        Assert.Contains(model.Problems(), p => p.Contains(nameof(SpinalLineModel.LateralFilter), StringComparison.Ordinal));
        Assert.Empty(SpineScan.Models.ModelCatalog.Shipped.SpinalLine.Problems());
        var error = Assert.Throws<ArgumentException>(() => SpinalLineReconstructor.Reconstruct(RandomLine(new Random(6), 10), C7B, DimpleMidB, model));
        Assert.Contains("lateral filter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitResidual_CentresTheFilterCannotFollow_ComeWithinAFractionOfItsError()
    {
        var basis = SpinalLineModel.Uniform;
        // The bodies stray from the chord by the skin's deviation and a part growing with the square of the line's mean
        // deviation (a larger curve turns its vertebrae further), which no linear map follows.
        var training = Samples(basis, 400, seed: 7, gain: 1.2, perRotation: -1.0, squareGain: 0.3);
        var heldOut = Samples(basis, 100, seed: 8, gain: 1.2, perRotation: -1.0, squareGain: 0.3);
        var filtered = SpinalLineFit.FitFilter(training, basis, penalty: 1e-6);

        var corrected = SpinalLineFit.FitResidual(training, filtered, ResidualNetworkOptions.Default with { Hidden = 32, Epochs = 80, BatchSize = 32, WeightDecay = 1e-4 });

        Assert.Empty(corrected.Problems());
        double Rms(SpinalLineModel model) => Math.Sqrt(heldOut.SelectMany(sample =>
        {
            var levels = SpinalLineReconstructor.Reconstruct(sample.SymmetryLine, C7B, DimpleMidB, model);
            return levels.Select((level, k) => Math.Pow(level.CentreBodyMm.X - sample.TrueCentres[k].X, 2));
        }).Average());
        var linear = Rms(filtered);
        var withNetwork = Rms(corrected);
        Assert.True(linear > 1, $"The filter alone should miss the square term; it is off by {linear:F2} mm.");
        Assert.True(withNetwork < 0.4 * linear, $"With the network {withNetwork:F2} mm against {linear:F2} mm for the filter alone.");
    }

    [Fact]
    public void Reconstruct_ResidualNetwork_AddsItsOutputsToTheFilters()
    {
        const int N = SpinalLineModel.Levels;
        const int P = SpinalLineModel.FilterInputs;
        var line = RandomLine(new Random(9), 20);
        var filter = new double[N * P];
        for (var k = 0; k < N; k++)
        {
            filter[(k * P) + k] = 1.1;
        }

        var model = SpinalLineModel.Uniform with { LateralFilter = filter };
        // A network of zero weights whose output biases are 0, 1, 2, ... mm (times the output scale of 0.5).
        var shift = new ResidualNetwork(
            new double[P], [.. Enumerable.Repeat(1.0, P)], 2, new double[2 * P], new double[2], new double[4], new double[2], new double[N * 2], [.. Enumerable.Range(0, N).Select(k => (double)k)], 0.5);

        var plain = SpinalLineReconstructor.Reconstruct(line, C7B, DimpleMidB, model);
        var shifted = SpinalLineReconstructor.Reconstruct(line, C7B, DimpleMidB, model with { LateralResidual = shift });

        for (var k = 0; k < N; k++)
        {
            Assert.Equal(plain[k].CentreBodyMm.X + (0.5 * k), shifted[k].CentreBodyMm.X, 9);
        }

        Assert.Contains((SpinalLineModel.Uniform with { LateralResidual = shift }).Problems(), p => p.Contains("needs it", StringComparison.Ordinal));
        var wrongSize = shift with { B3 = new double[3], W3 = new double[6] };
        Assert.Contains((model with { LateralResidual = wrongSize }).Problems(), p => p.Contains($"{N} outputs", StringComparison.Ordinal));
    }
}
