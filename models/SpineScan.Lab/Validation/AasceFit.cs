using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Lab.Validation;

/// <summary>Fitted calibration of the centre-line estimator with its cross-validated error.</summary>
internal sealed record CentreLineFit(CentreLineCobbOptions Options, double CrossValidatedMaeDeg);

/// <summary>The baseline's linear correction.</summary>
internal sealed record BaselineFit(double InterceptDeg, double Slope, double CrossValidatedMaeDeg)
{
    public double Predict(AasceImage image) => InterceptDeg + (Slope * AasceMethods.BaselineRawDeg(image));
}

/// <summary>How phantom Cobb angles (centre line + model tilts) compare with the recorded ones.</summary>
/// <param name="RealMinusLineMeanDeg">Mean of (recorded largest angle - centre-line tangent range).</param>
/// <param name="RealMinusLineSdDeg">Its SD.</param>
/// <param name="PhantomMinusLineMeanDeg">Mean of (phantom largest angle - centre-line tangent range).</param>
/// <param name="PhantomMinusLineSdDeg">Its SD.</param>
/// <param name="PhantomMinusRealMeanDeg">Mean of (phantom - recorded) largest angle.</param>
/// <param name="PhantomMinusRealMaeDeg">Mean absolute (phantom - recorded) largest angle.</param>
/// <param name="RealQuantilesDeg">5 / 25 / 50 / 75 / 95 % of (recorded - line).</param>
/// <param name="PhantomQuantilesDeg">The same for (phantom - line).</param>
internal sealed record TiltModelCheck(
    double RealMinusLineMeanDeg,
    double RealMinusLineSdDeg,
    double PhantomMinusLineMeanDeg,
    double PhantomMinusLineSdDeg,
    double PhantomMinusRealMeanDeg,
    double PhantomMinusRealMaeDeg,
    double[] RealQuantilesDeg,
    double[] PhantomQuantilesDeg);

/// <summary>
/// Fits the few numbers of <see cref="CentreLineCobbOptions.Default"/>, the baseline and
/// <see cref="VertebralTiltModel.Fitted"/> on a (training) split: <c>spinescan-lab validate aasce --data DIR --fit</c>.
/// </summary>
internal static class AasceFit
{
    public const int Folds = 10;
    public static readonly double[] EndWeights = [0.0, 0.25, 0.5, 0.75, 1.0];
    private static readonly double[] QuantileLevels = [0.05, 0.25, 0.5, 0.75, 0.95];
    public static readonly double[] SoftScalesDeg = [0.0, 0.5, 1.0, 2.0, 3.0, 4.0];

    /// <summary>Grid search of end weight and soft scale by k-fold CV (fold = index mod k); gains by least absolute deviations.</summary>
    public static CentreLineFit FitCentreLine(IReadOnlyList<AasceImage> training, Action<string>? report = null)
    {
        var gt = training.Select(i => i.AnglesDeg[0]).ToArray();
        CentreLineFit? best = null;
        foreach (var w in EndWeights)
        {
            foreach (var tau in SoftScalesDeg)
            {
                var raw = new CentreLineCobbOptions(w, tau, 1.0, 0.0, CentreLineCobbOptions.DefaultMinCurveDeg);
                var s = training.Select(i => AasceMethods.FromCentres(i, raw)[0]).ToArray();
                var features = s.Select(v => new[] { v, Math.Sqrt(v) }).ToArray();
                var cv = CrossValidate(features, gt, intercept: false);
                report?.Invoke(FormattableString.Invariant($"  end weight {w:0.00}  soft scale {tau:0.0} deg  CV MAE {cv:0.000} deg"));
                if (best is null || cv < best.CrossValidatedMaeDeg)
                {
                    var beta = FitLeastAbsolute(features, gt, intercept: false);
                    best = new CentreLineFit(raw with { LinearGain = beta[0], SqrtGain = beta[1] }, cv);
                }
            }
        }

        return best!;
    }

    /// <summary>The baseline: least squares of recorded largest angle on the finite-difference tangent range.</summary>
    public static BaselineFit FitBaseline(IReadOnlyList<AasceImage> training)
    {
        var gt = training.Select(i => i.AnglesDeg[0]).ToArray();
        var features = training.Select(i => new[] { AasceMethods.BaselineRawDeg(i) }).ToArray();
        var beta = FitLeastSquares(features, gt, intercept: true, weights: null);
        var cv = CrossValidate(features, gt, intercept: true, leastSquares: true);
        return new BaselineFit(beta[0], beta[1], cv);
    }

    /// <summary>Fits <see cref="TiltModelParameters"/> (see <see cref="VertebralTiltModel"/> for the procedure).</summary>
    public static TiltModelParameters FitTiltModel(IReadOnlyList<AasceImage> training)
    {
        training = InOrder(training);
        var levels = AasceDataSet.Vertebrae;
        var tangents = training.Select(i => CentreLineCobb.TangentsDeg(i.Centres(), 1.0)).ToArray();
        var tilts = training.Select(i => i.Vertebrae.Select(EndplateTiltDeg).ToArray()).ToArray();
        int Group(int level) => level == 0 ? 0 : level == levels - 1 ? 2 : 1;
        var sxy = new double[3];
        var sxx = new double[3];
        for (var n = 0; n < training.Count; n++)
        {
            for (var i = 0; i < levels; i++)
            {
                sxy[Group(i)] += tangents[n][i] * tilts[n][i];
                sxx[Group(i)] += tangents[n][i] * tangents[n][i];
            }
        }

        var gain = new[] { sxy[0] / sxx[0], sxy[1] / sxx[1], sxy[2] / sxx[2] };
        var sumSq = new double[3];
        var count = new int[3];
        var residuals = new double[training.Count][];
        for (var n = 0; n < training.Count; n++)
        {
            residuals[n] = new double[levels];
            for (var i = 0; i < levels; i++)
            {
                var r = tilts[n][i] - (gain[Group(i)] * tangents[n][i]);
                residuals[n][i] = r;
                sumSq[Group(i)] += r * r;
                count[Group(i)]++;
            }
        }

        var sd = new[] { Math.Sqrt(sumSq[0] / count[0]), Math.Sqrt(sumSq[1] / count[1]), Math.Sqrt(sumSq[2] / count[2]) };
        double lagSum = 0, lagCount = 0;
        foreach (var r in residuals)
        {
            for (var i = 0; i + 1 < levels; i++)
            {
                lagSum += r[i] / sd[Group(i)] * (r[i + 1] / sd[Group(i + 1)]);
                lagCount++;
            }
        }

        return new TiltModelParameters(gain[0], gain[1], gain[2], sd[0], sd[1], sd[2], lagSum / lagCount);
    }

    /// <summary>
    /// How much the endplate scatter differs between spines: for each spine whose centres run downwards, the RMS of its
    /// middle-level (T2..L4) tilt residuals about <paramref name="parameters"/>' gain times the tangent, over the pooled
    /// middle SD. Its spread is what the phantom's per-child scatter scale should span (the 5th to 95th percentiles).
    /// </summary>
    public static double[] PerSpineScatterRatios(IReadOnlyList<AasceImage> images, TiltModelParameters parameters)
    {
        images = InOrder(images);
        var ratios = new List<double>();
        foreach (var image in images)
        {
            var tangents = CentreLineCobb.TangentsDeg(image.Centres(), 1.0);
            double sum = 0;
            for (var i = 1; i < tangents.Length - 1; i++)
            {
                var r = EndplateTiltDeg(image.Vertebrae[i]) - (parameters.MiddleGain * tangents[i]);
                sum += r * r;
            }

            ratios.Add(Math.Sqrt(sum / (tangents.Length - 2)) / parameters.MiddleSdDeg);
        }

        return Quantiles(ratios);
    }

    /// <summary>
    /// Builds phantom vertebrae at the real centres with tilts drawn from the model (<paramref name="draws"/> per
    /// spine, fixed seed), runs the challenge procedure on them and compares with the recorded largest angles.
    /// </summary>
    public static TiltModelCheck CheckTiltModel(IReadOnlyList<AasceImage> images, TiltModelParameters parameters, int draws = 20)
    {
        images = InOrder(images);
        var random = new Random(20190601);
        var realMinusLine = new List<double>();
        var phantomMinusLine = new List<double>();
        var phantomMinusReal = new List<double>();
        foreach (var image in images)
        {
            var centres = image.Centres();
            var tangents = CentreLineCobb.TangentsDeg(centres, 1.0);
            var lineRange = tangents.Max() - tangents.Min();
            realMinusLine.Add(image.AnglesDeg[0] - lineRange);
            var halfWidth = image.Vertebrae.Average(v => v.Direction.Length) / 2;
            var halfHeight = image.Vertebrae.Average(v => (v.BottomMid - v.TopMid).Length) / 2;
            for (var d = 0; d < draws; d++)
            {
                var tilts = VertebralTiltModel.EndplateTiltsDeg(tangents, VertebralLevel.T1, parameters, random);
                var phantom = new VertebraCorners[centres.Length];
                for (var i = 0; i < centres.Length; i++)
                {
                    phantom[i] = Vertebra(centres[i], tilts[i], halfWidth, halfHeight);
                }

                var cobb = ChallengeCobb.Compute(phantom, image.HeightPx).LargestDeg;
                phantomMinusLine.Add(cobb - lineRange);
                phantomMinusReal.Add(cobb - image.AnglesDeg[0]);
            }
        }

        return new TiltModelCheck(
            realMinusLine.Average(),
            Sd(realMinusLine),
            phantomMinusLine.Average(),
            Sd(phantomMinusLine),
            phantomMinusReal.Average(),
            phantomMinusReal.Average(Math.Abs),
            Quantiles(realMinusLine),
            Quantiles(phantomMinusLine));
    }

    /// <summary>The images whose 17 centres all run downwards (the others label a vertebra out of place).</summary>
    public static List<AasceImage> InOrder(IReadOnlyList<AasceImage> images) =>
        [.. images.Where(i => i.OrderedCentres(out _).Length == AasceDataSet.Vertebrae)];

    /// <summary>A vertebra's tilt on <see cref="VertebralTiltModel"/>'s sign convention: -atan2(dy, dx) of left-mid to right-mid.</summary>
    public static double EndplateTiltDeg(VertebraCorners vertebra)
    {
        var d = vertebra.Direction;
        return -Math.Atan2(d.Y, d.X) * 180.0 / Math.PI;
    }

    /// <summary>A rectangular vertebra centred at <paramref name="centre"/> with the given tilt (degrees, model convention).</summary>
    public static VertebraCorners Vertebra(Vector2d centre, double tiltDeg, double halfWidth, double halfHeight)
    {
        var t = tiltDeg * Math.PI / 180.0;
        var across = new Vector2d(Math.Cos(t), -Math.Sin(t)) * halfWidth;
        var down = new Vector2d(Math.Sin(t), Math.Cos(t)) * halfHeight;
        return new VertebraCorners(centre - across - down, centre + across - down, centre - across + down, centre + across + down);
    }

    private static double CrossValidate(double[][] features, double[] gt, bool intercept, bool leastSquares = false)
    {
        double sum = 0;
        for (var fold = 0; fold < Folds; fold++)
        {
            var train = Enumerable.Range(0, gt.Length).Where(i => i % Folds != fold).ToArray();
            var x = train.Select(i => features[i]).ToArray();
            var y = train.Select(i => gt[i]).ToArray();
            var beta = leastSquares ? FitLeastSquares(x, y, intercept, null) : FitLeastAbsolute(x, y, intercept);
            for (var i = fold; i < gt.Length; i += Folds)
            {
                sum += Math.Abs(Predict(beta, features[i], intercept) - gt[i]);
            }
        }

        return sum / gt.Length;
    }

    /// <summary>Least absolute deviations by iteratively reweighted least squares.</summary>
    public static double[] FitLeastAbsolute(double[][] x, double[] y, bool intercept)
    {
        var beta = FitLeastSquares(x, y, intercept, null);
        var weights = new double[y.Length];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            for (var i = 0; i < y.Length; i++)
            {
                weights[i] = 1.0 / Math.Max(0.05, Math.Abs(Predict(beta, x[i], intercept) - y[i]));
            }

            beta = FitLeastSquares(x, y, intercept, weights);
        }

        return beta;
    }

    public static double[] FitLeastSquares(double[][] x, double[] y, bool intercept, double[]? weights)
    {
        var m = x[0].Length + (intercept ? 1 : 0);
        var a = new double[m, m];
        var b = new double[m];
        var row = new double[m];
        for (var i = 0; i < y.Length; i++)
        {
            var k = 0;
            if (intercept)
            {
                row[k++] = 1;
            }

            foreach (var v in x[i])
            {
                row[k++] = v;
            }

            var w = weights?[i] ?? 1.0;
            for (var p = 0; p < m; p++)
            {
                b[p] += w * row[p] * y[i];
                for (var q = 0; q < m; q++)
                {
                    a[p, q] += w * row[p] * row[q];
                }
            }
        }

        return Solve(a, b);
    }

    private static double Predict(double[] beta, double[] x, bool intercept)
    {
        var s = intercept ? beta[0] : 0;
        for (var k = 0; k < x.Length; k++)
        {
            s += beta[k + (intercept ? 1 : 0)] * x[k];
        }

        return s;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                pivot = Math.Abs(a[r, c]) > Math.Abs(a[pivot, c]) ? r : pivot;
            }

            for (var k = 0; k < n; k++)
            {
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            }

            (b[c], b[pivot]) = (b[pivot], b[c]);
            for (var r = c + 1; r < n; r++)
            {
                var f = a[r, c] / a[c, c];
                for (var k = c; k < n; k++)
                {
                    a[r, k] -= f * a[c, k];
                }

                b[r] -= f * b[c];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = b[r];
            for (var k = r + 1; k < n; k++)
            {
                s -= a[r, k] * x[k];
            }

            x[r] = s / a[r, r];
        }

        return x;
    }

    private static double Sd(List<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static double[] Quantiles(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return [.. QuantileLevels.Select(q => sorted[(int)Math.Round(q * (sorted.Length - 1))])];
    }
}
