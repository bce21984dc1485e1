using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Lab.Fitting;

/// <summary>One training child for <see cref="SpinalLineFit"/>: what the pipeline saw, and the true levels (pipeline body frame).</summary>
/// <param name="SymmetryLine">The pipeline's symmetry line.</param>
/// <param name="C7B">Detected C7 height (grid b).</param>
/// <param name="DimpleMidB">Detected dimples' midpoint height (grid b).</param>
/// <param name="TrueSkin">True skin points over the spinous processes, C7..L5.</param>
/// <param name="TrueCentres">True vertebral-body centres, C7..L5.</param>
/// <param name="TrueCobbDeg">The child's true (radiographic) Cobb angle of the largest curve; NaN when unknown.</param>
/// <param name="Seed">The child's phantom seed (0 when unknown): its truth can be drawn again without rendering.</param>
/// <param name="Quality">What the capture's quality gates measured (distance, valid share, motion, noise), by name.</param>
public sealed record SpinalLineSample(
    SymmetryPoint[] SymmetryLine,
    double C7B,
    double DimpleMidB,
    Vector3d[] TrueSkin,
    Vector3d[] TrueCentres,
    double TrueCobbDeg = double.NaN,
    int Seed = 0,
    IReadOnlyDictionary<string, double>? Quality = null);

/// <summary>Least-squares fit of <see cref="SpinalLineModel"/> on phantom training children.</summary>
public static class SpinalLineFit
{
    /// <summary>Fits the model; <paramref name="withRotation"/> adds the surface-rotation term (see the comment inside).</summary>
    public static SpinalLineModel Fit(IReadOnlyList<SpinalLineSample> samples, bool withRotation = false)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(samples));
        }

        const int N = SpinalLineModel.Levels;
        var fractions = new double[N];
        var raise = new double[N];
        var depth = new double[N];
        // Normal equations of centre.X - chord = gain x (skin - chord) + perRotation x rotation.
        double s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0;
        var firstPass = new SpinalLineModel(new double[N], new double[N], new double[N], 0);
        foreach (var s in samples)
        {
            var length = s.C7B - s.DimpleMidB;
            for (var k = 0; k < N; k++)
            {
                fractions[k] += (s.C7B - s.TrueSkin[k].Y) / length / samples.Count;
            }
        }

        firstPass = firstPass with { LevelFractions = fractions };
        foreach (var s in samples)
        {
            var (top, bottom) = SpinalLineReconstructor.Chord(s.SymmetryLine, s.C7B, s.DimpleMidB, firstPass);
            for (var k = 0; k < N; k++)
            {
                var skin = s.TrueSkin[k];
                var centre = s.TrueCentres[k];
                var p = SpinalLineReconstructor.At(s.SymmetryLine, skin.Y);
                raise[k] += centre.Y - skin.Y;
                depth[k] += p.SurfaceMm - centre.Z;
                if (k >= 1)
                {
                    var chord = SpinalLineReconstructor.ChordAt(top, bottom, skin.Y);
                    double x1 = p.LateralMm - chord, x2 = p.RotationDeg, y = centre.X - chord;
                    s11 += x1 * x1;
                    s12 += x1 * x2;
                    s22 += x2 * x2;
                    t1 += x1 * y;
                    t2 += x2 * y;
                }
            }
        }

        for (var k = 0; k < N; k++)
        {
            raise[k] /= samples.Count;
            depth[k] /= samples.Count;
        }

        // The surface rotation along the line grows with the lateral deviation (both follow the curve), so the two
        // regressors are correlated. With the rotation read from one profile 4-24 mm either side of the line the
        // joint fit swung between them from one detector version to the next (-1.4 to -2.1 mm/deg); read 24-64 mm
        // out and smoothed along the trunk it is steady, and it is what reveals a curve whose spinous processes
        // turn back toward the midline. The deviation-only fit stays available for comparison.
        double gain, perRotation;
        var determinant = (s11 * s22) - (s12 * s12);
        if (withRotation && determinant > 1e-9)
        {
            gain = ((t1 * s22) - (t2 * s12)) / determinant;
            perRotation = ((s11 * t2) - (s12 * t1)) / determinant;
        }
        else
        {
            gain = s11 > 1e-9 ? t1 / s11 : 1;
            perRotation = 0;
        }

        return new SpinalLineModel(fractions, raise, depth, perRotation, gain);
    }

    /// <summary>Ridge penalty of <see cref="FitFilter"/>, per sample, on inputs in millimetres and (scaled) degrees.</summary>
    public const double DefaultFilterPenalty = 0.1;

    /// <summary>
    /// Fits <see cref="SpinalLineModel.LateralFilter"/> by ridge regression: for each level, the true body centre's
    /// deviation from the chord against the whole line's inputs (<see cref="SpinalLineReconstructor.FilterInputs"/>),
    /// sampled where <paramref name="basis"/> places the levels. The ridge penalty keeps the 54 correlated inputs from
    /// trading large opposite weights; the result is the best linear estimate of each centre, so also of each tangent.
    /// </summary>
    public static SpinalLineModel FitFilter(IReadOnlyList<SpinalLineSample> samples, SpinalLineModel basis, double penalty = DefaultFilterPenalty)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(basis);
        if (samples.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(samples));
        }

        if (!(penalty > 0) || !double.IsFinite(penalty))
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "The ridge penalty must be a finite number > 0.");
        }

        const int N = SpinalLineModel.Levels;
        const int P = SpinalLineModel.FilterInputs;
        var gram = new double[P * P];
        var cross = new double[P * N];
        var inputs = new double[P];
        var points = new SymmetryPoint[N];
        var chords = new double[N];
        foreach (var s in samples)
        {
            SpinalLineReconstructor.SampleInputs(s.SymmetryLine, s.C7B, s.DimpleMidB, basis, points, chords, inputs);
            for (var i = 0; i < P; i++)
            {
                for (var j = 0; j < P; j++)
                {
                    gram[(i * P) + j] += inputs[i] * inputs[j];
                }

                for (var k = 0; k < N; k++)
                {
                    cross[(i * N) + k] += inputs[i] * (s.TrueCentres[k].X - chords[k]);
                }
            }
        }

        for (var i = 0; i < P; i++)
        {
            gram[(i * P) + i] += penalty * samples.Count;
        }

        var weights = SolveSymmetric(gram, cross, P, N);
        var filter = new double[N * P];
        for (var k = 0; k < N; k++)
        {
            for (var i = 0; i < P; i++)
            {
                filter[(k * P) + i] = weights[(i * N) + k];
            }
        }

        return basis with { LateralFilter = filter };
    }

    /// <summary>
    /// Fits <see cref="SpinalLineModel.LateralResidual"/>: a network on the filter's inputs trained on what
    /// <paramref name="filtered"/>'s linear filter leaves of each true body centre's deviation from the chord. The
    /// network comes back in single precision, as <see cref="ResidualNetwork.ToBase64"/> stores it, so whatever is
    /// fitted after it sees the model the product will run.
    /// </summary>
    public static SpinalLineModel FitResidual(IReadOnlyList<SpinalLineSample> samples, SpinalLineModel filtered, ResidualNetworkOptions options, Action<int, int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(filtered);
        var filter = filtered.LateralFilter ?? throw new ArgumentException("The residual corrects a lateral filter; fit that first.", nameof(filtered));
        const int N = SpinalLineModel.Levels;
        const int P = SpinalLineModel.FilterInputs;
        var inputs = new List<double[]>(samples.Count);
        var residuals = new List<double[]>(samples.Count);
        var points = new SymmetryPoint[N];
        var chords = new double[N];
        foreach (var s in samples)
        {
            var x = new double[P];
            SpinalLineReconstructor.SampleInputs(s.SymmetryLine, s.C7B, s.DimpleMidB, filtered, points, chords, x);
            var r = new double[N];
            SpinalLineReconstructor.FilterDeviations(filter, x, r);
            for (var k = 0; k < N; k++)
            {
                r[k] = s.TrueCentres[k].X - chords[k] - r[k];
            }

            inputs.Add(x);
            residuals.Add(r);
        }

        var network = ResidualNetworkTrainer.Fit(inputs, residuals, options, progress);
        return filtered with { LateralResidual = ResidualNetwork.FromBase64(network.ToBase64()) };
    }

    /// <summary>End tangent weights <see cref="FitCobbCalibration"/> tries.</summary>
    public static IReadOnlyList<double> CalibrationEndWeights { get; } = [0, 0.25, 0.5, 1];

    /// <summary>Soft-extreme scales (degrees) <see cref="FitCobbCalibration"/> tries.</summary>
    public static IReadOnlyList<double> CalibrationSoftScalesDeg { get; } = [0, 1, 2, 4];

    /// <summary>
    /// Fits <see cref="CentreLineCobb"/> to lines reconstructed by <paramref name="model"/>: for each end tangent weight
    /// and soft-extreme scale of a small grid, LinearGain and SqrtGain by least absolute deviations through the origin
    /// (a straight line reads 0) on a 0.01 grid against each sample's true Cobb angle; the combination with the least
    /// absolute error wins. A filtered line is a best estimate, so its curves come out flatter than the radiograph's
    /// and the gains put them back on the radiograph's scale. It is also smooth, so it needs less of the end weighting
    /// and soft extremes that the AASCE fit chose against the scatter of landmarks placed by hand.
    /// </summary>
    /// <param name="endplateTilts">When given, the largest curve is then read from the line's median endplate Cobb angle under this tilt model (the one behind the samples' truth).</param>
    public static CentreLineCobbOptions FitCobbCalibration(IReadOnlyList<SpinalLineSample> samples, SpinalLineModel model, CentreLineCobbOptions basis, TiltModelParameters? endplateTilts = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(basis);
        var usable = samples.Where(s => double.IsFinite(s.TrueCobbDeg)).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("No sample carries a true Cobb angle.", nameof(samples));
        }

        var centres = usable.Select(s => FrontalCentres(s, model)).ToList();
        var truth = usable.Select(s => s.TrueCobbDeg).ToArray();
        var best = (Error: double.MaxValue, Options: basis);
        foreach (var endWeight in CalibrationEndWeights)
        {
            foreach (var softScale in CalibrationSoftScalesDeg)
            {
                var shape = basis with { EndTangentWeight = endWeight, SoftExtremeScaleDeg = softScale, LinearGain = 1, SqrtGain = 0, EndplateMedianGain = 0 };
                var raw = centres.Select(c => CentreLineCobb.Estimate(c, VertebralLevel.T1, shape).Largest.AngleDeg).ToArray();
                var (error, linear, sqrt) = LeastAbsoluteGains(raw, [.. raw.Select(Math.Sqrt)], truth, (0, 2), (0, 8));
                if (error < best.Error)
                {
                    best = (error, shape with { LinearGain = Math.Round(linear, 2), SqrtGain = Math.Round(sqrt, 2) });
                }
            }
        }

        if (endplateTilts is null)
        {
            return best.Options;
        }

        // The largest curve from the line's median endplate Cobb angle, scaled and offset so that it reads each true angle
        // without bias: the median is fitted on the truth (m = p truth + q, least absolute error) and inverted. Fitting
        // the truth on the median instead gives a slightly smaller error but shrinks large curves toward the middle
        // (a slope of the estimate on the truth under 1), and large curves are the ones that must not read small.
        var medians = centres.Select(c => EndplateCobbPrediction.MedianDeg(c, endplateTilts)).ToArray();
        var (_, p, q) = LeastAbsoluteGains(truth, [.. truth.Select(_ => 1.0)], medians, (0.5, 1.5), (-5, 5));
        return best.Options with { EndplateMedianGain = Math.Round(1 / p, 3), EndplateMedianOffsetDeg = Math.Round(-q / p, 2), EndplateTilts = endplateTilts };
    }

    // The coefficients p, q (within their ranges, to 0.01) of p x f + q x g with the least absolute error against the
    // truth. The error is a sum of absolute values of affine functions of (p, q), so convex: a 0.05 grid finds the
    // basin and a 0.01 grid around its best point the minimum.
    private static (double Error, double P, double Q) LeastAbsoluteGains(double[] f, double[] g, double[] truth, (double From, double To) pRange, (double From, double To) qRange)
    {
        double best = double.MaxValue, bestP = pRange.From, bestQ = qRange.From;
        void Search(double pFrom, double pTo, double qFrom, double qTo, double step)
        {
            for (var p = pFrom; p <= pTo + 1e-9; p += step)
            {
                for (var q = qFrom; q <= qTo + 1e-9; q += step)
                {
                    double error = 0;
                    for (var i = 0; i < f.Length && error < best; i++)
                    {
                        error += Math.Abs((p * f[i]) + (q * g[i]) - truth[i]);
                    }

                    if (error < best)
                    {
                        (best, bestP, bestQ) = (error, Math.Round(p, 2), Math.Round(q, 2));
                    }
                }
            }
        }

        Search(pRange.From, pRange.To, qRange.From, qRange.To, 0.05);
        var (coarseP, coarseQ) = (bestP, bestQ);
        Search(Math.Max(pRange.From, coarseP - 0.05), Math.Min(pRange.To, coarseP + 0.05), Math.Max(qRange.From, coarseQ - 0.05), Math.Min(qRange.To, coarseQ + 0.05), 0.01);
        return (best, bestP, bestQ);
    }

    /// <summary>The sample's reconstructed centres T1..L5 in the estimator's frontal convention (+x right, +y down).</summary>
    public static Vector2d[] FrontalCentres(SpinalLineSample sample, SpinalLineModel model)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var levels = SpinalLineReconstructor.Reconstruct(sample.SymmetryLine, sample.C7B, sample.DimpleMidB, model);
        return SpinalLineReconstructor.FrontalCentres(levels);
    }

    // Solves A X = B for symmetric positive definite A (n x n, row-major) and B (n x m) by Cholesky decomposition.
    private static double[] SolveSymmetric(double[] a, double[] b, int n, int m)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[(i * n) + k] * l[(j * n) + k];
                }

                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        throw new InvalidOperationException("The normal equations are not positive definite (too few or degenerate samples).");
                    }

                    l[(i * n) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * n) + j] = sum / l[(j * n) + j];
                }
            }
        }

        var x = (double[])b.Clone();
        for (var c = 0; c < m; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var sum = x[(i * m) + c];
                for (var k = 0; k < i; k++)
                {
                    sum -= l[(i * n) + k] * x[(k * m) + c];
                }

                x[(i * m) + c] = sum / l[(i * n) + i];
            }

            for (var i = n - 1; i >= 0; i--)
            {
                var sum = x[(i * m) + c];
                for (var k = i + 1; k < n; k++)
                {
                    sum -= l[(k * n) + i] * x[(k * m) + c];
                }

                x[(i * m) + c] = sum / l[(i * n) + i];
            }
        }

        return x;
    }
}
