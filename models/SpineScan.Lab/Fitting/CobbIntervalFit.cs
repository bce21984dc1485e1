using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Models;

namespace SpineScan.Lab.Fitting;

/// <summary>One training child's reading as the interval and decision fits see it.</summary>
/// <param name="EstimateDeg">The largest curve's reading.</param>
/// <param name="TrueCobbDeg">The truth.</param>
/// <param name="Features">The interval model's features of the reading (<see cref="CobbIntervalModel.Features"/>).</param>
public sealed record IntervalSample(double EstimateDeg, double TrueCobbDeg, double[] Features);

/// <summary>
/// Fits <see cref="CobbIntervalModel"/> and the decision probabilities on training children: the 5th and 95th
/// percentiles of the truth around each reading by quantile regression of the log half-widths on the capture's
/// evidence (Adam on the pinball loss, fixed seed and order), then a conformal correction on held-back children so
/// that 5 % of them fall beyond each end; p_refer and p_rescreen as the largest probabilities that refer 97 % of the
/// training curves of 20 degrees or more on the Cobb alone and tell none of them normal.
/// </summary>
public static class CobbIntervalFit
{
    /// <summary>The share of training curves of 20 deg or more the fitted p_refer refers on the Cobb reading alone.</summary>
    public const double TargetSensitivity = 0.97;

    /// <summary>The share of them p_rescreen may leave normal (the ATR refers some more; the target is none).</summary>
    public const double AllowedNormal = 0.001;

    /// <summary>The readings of <paramref name="samples"/> under <paramref name="model"/> and <paramref name="cobb"/>, with their features.</summary>
    public static List<IntervalSample> Readings(IReadOnlyList<SpinalLineSample> samples, SpinalLineModel model, CentreLineCobbOptions cobb)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var readings = new List<IntervalSample>(samples.Count);
        foreach (var sample in samples)
        {
            if (!double.IsFinite(sample.TrueCobbDeg))
            {
                continue;
            }

            var centres = SpinalLineFit.FrontalCentres(sample, model);
            var estimate = CentreLineCobb.Estimate(centres, VertebralLevel.T1, cobb).Largest.AngleDeg;
            var features = new double[CobbIntervalModel.FeatureCount];
            CobbIntervalModel.Features(estimate, Evidence(sample, centres, cobb), features);
            readings.Add(new IntervalSample(estimate, sample.TrueCobbDeg, features));
        }

        return readings;
    }

    /// <summary>The capture evidence of a training sample, as the analyzer builds it.</summary>
    public static CaptureEvidence Evidence(SpinalLineSample sample, Vector2d[] centres, CentreLineCobbOptions cobb)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(cobb);
        var spread = cobb.EndplateTilts is { } tilts ? EndplateCobbPrediction.Distribution(centres, tilts) is var (lower, _, upper) ? upper - lower : 0 : 0;
        var (roughness, cost) = SymmetryLineFinder.Quality(sample.SymmetryLine);
        double Quality(string name, double fallback) => sample.Quality is { } q && q.TryGetValue(name, out var v) && double.IsFinite(v) ? v : fallback;
        return new CaptureEvidence(sample.C7B - sample.DimpleMidB, Quality("distanceMm", 1300), Quality("validShare", 1), Quality("depthNoiseMm", 0), roughness, cost, spread);
    }

    /// <summary>Fits the interval model: quantile regression on the first 80 % of <paramref name="readings"/>, conformal correction on the rest.</summary>
    public static CobbIntervalModel Fit(IReadOnlyList<IntervalSample> readings, int epochs = 300, int seed = 20261203)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count < 50)
        {
            throw new ArgumentException($"At least 50 readings are needed to fit an interval, not {readings.Count}.", nameof(readings));
        }

        var split = readings.Count * 4 / 5;
        var train = readings.Take(split).ToList();
        var calibration = readings.Skip(split).ToList();
        var lower = FitSide(train, below: true, epochs, seed);
        var upper = FitSide(train, below: false, epochs, seed + 1);

        // Conformal: scale each side's half-width so that 5 % of the held-back readings fall beyond it.
        var model = new CobbIntervalModel(lower, upper);
        var belowRatios = new List<double>();
        var aboveRatios = new List<double>();
        foreach (var r in calibration)
        {
            var (below, above) = model.HalfWidths(r.Features);
            belowRatios.Add((r.EstimateDeg - r.TrueCobbDeg) / below);
            aboveRatios.Add((r.TrueCobbDeg - r.EstimateDeg) / above);
        }

        lower[0] += Math.Log(Math.Max(ConformalQuantile(belowRatios, 0.95), 0.05));
        upper[0] += Math.Log(Math.Max(ConformalQuantile(aboveRatios, 0.95), 0.05));
        return new CobbIntervalModel(lower, upper);
    }

    /// <summary>p_refer and p_rescreen fitted on the readings and their intervals (see the class summary).</summary>
    public static FittedDecision FitDecision(IReadOnlyList<IntervalSample> readings, CobbIntervalModel model)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(model);
        var curved = readings.Where(r => r.TrueCobbDeg >= 20).ToList();
        if (curved.Count < 20)
        {
            throw new ArgumentException($"At least 20 training curves of 20 deg or more are needed to fit the decision, not {curved.Count}.", nameof(readings));
        }

        double Probability(IntervalSample r, double threshold)
        {
            var (below, above) = model.HalfWidths(r.Features);
            return CobbEvidence.ProbabilityAtLeast(r.EstimateDeg, new CobbInterval(Math.Max(0, r.EstimateDeg - below), r.EstimateDeg + above), threshold);
        }

        var refer = curved.Select(r => Probability(r, 20)).Order().ToList();
        var rescreen = curved.Select(r => Probability(r, 10)).Order().ToList();
        var pRefer = refer[(int)Math.Floor((1 - TargetSensitivity) * refer.Count)];
        var pRescreen = rescreen[(int)Math.Floor(AllowedNormal * rescreen.Count)];
        return new FittedDecision(Math.Round(Math.Clamp(pRefer, 0.01, 0.5), 3, MidpointRounding.ToZero), Math.Round(Math.Clamp(pRescreen, 0.005, 0.5), 3, MidpointRounding.ToZero));
    }

    // The pinball loss of the 95th percentile of the residual beyond the reading on one side, with the half-width
    // exp(w . x); minimised by Adam over the samples in a fixed shuffled order.
    private static double[] FitSide(List<IntervalSample> train, bool below, int epochs, int seed)
    {
        const double Tau = 0.95;
        const double Rate = 0.01;
        var p = CobbIntervalModel.FeatureCount;
        var w = new double[p];
        var residuals = train.Select(r => below ? r.EstimateDeg - r.TrueCobbDeg : r.TrueCobbDeg - r.EstimateDeg).ToArray();
        w[0] = Math.Log(Math.Max(1, residuals.Select(Math.Abs).Order().ElementAt(residuals.Length * 9 / 10)));
        var m = new double[p];
        var v = new double[p];
        var order = Enumerable.Range(0, train.Count).ToArray();
        var random = new Random(seed);
        var step = 0;
        const int Batch = 64;
        var gradient = new double[p];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = Rate * 0.5 * (1 + Math.Cos(Math.PI * epoch / epochs));
            for (var start = 0; start < order.Length; start += Batch)
            {
                Array.Clear(gradient);
                var count = Math.Min(Batch, order.Length - start);
                for (var b = 0; b < count; b++)
                {
                    var i = order[start + b];
                    var x = train[i].Features;
                    double z = 0;
                    for (var k = 0; k < p; k++)
                    {
                        z += w[k] * x[k];
                    }

                    // loss = pinball_tau(residual - exp(z)); d/dz = -(tau - 1[residual < exp(z)]) exp(z)
                    var width = Math.Exp(Math.Clamp(z, -5, 5));
                    var slope = residuals[i] > width ? -Tau : 1 - Tau;
                    for (var k = 0; k < p; k++)
                    {
                        gradient[k] += slope * width * x[k] / count;
                    }
                }

                step++;
                for (var k = 0; k < p; k++)
                {
                    m[k] = (0.9 * m[k]) + (0.1 * gradient[k]);
                    v[k] = (0.999 * v[k]) + (0.001 * gradient[k] * gradient[k]);
                    var mHat = m[k] / (1 - Math.Pow(0.9, step));
                    var vHat = v[k] / (1 - Math.Pow(0.999, step));
                    w[k] -= rate * mHat / (Math.Sqrt(vHat) + 1e-8);
                }
            }
        }

        return w;
    }

    // The ceil((n + 1) q) / n empirical quantile: split conformal's finite-sample guarantee.
    private static double ConformalQuantile(List<double> values, double q)
    {
        values.Sort();
        var index = Math.Min(values.Count - 1, (int)Math.Ceiling((values.Count + 1) * q) - 1);
        return values[Math.Max(0, index)];
    }
}
