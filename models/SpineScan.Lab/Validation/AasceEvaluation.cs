using SpineScan.Core.Spine;

namespace SpineScan.Lab.Validation;

/// <summary>One image's recorded and predicted angles.</summary>
/// <param name="Index">0-based position in the evaluated list.</param>
/// <param name="Split">Split the image belongs to.</param>
/// <param name="ImageNumber">1-based row number within its split.</param>
/// <param name="GroundTruthDeg">Recorded angles: largest, above, below.</param>
/// <param name="PredictedDeg">Predicted angles in the same order.</param>
/// <param name="ErrorDeg">Predicted minus recorded largest angle.</param>
internal sealed record AasceRow(int Index, string Split, int ImageNumber, double[] GroundTruthDeg, double[] PredictedDeg, double ErrorDeg);

/// <summary>Summary of an evaluation over a split.</summary>
/// <param name="Split">"training", "test" or "both".</param>
/// <param name="From">"endplates", "centres" or "baseline".</param>
/// <param name="N">Number of images.</param>
/// <param name="MaeDeg">Mean absolute error of the largest angle (column 1).</param>
/// <param name="SmapePct">The challenge's SMAPE over the three angles.</param>
/// <param name="PearsonR">Pearson correlation of predicted and recorded largest angles.</param>
/// <param name="WithinHalfDegree">Images whose three angles are all within 0.5 degrees.</param>
/// <param name="AnglesWithinHalfDegree">Single angles within 0.5 degrees, out of 3 x N.</param>
/// <param name="Rows">Per-image rows.</param>
internal sealed record AasceSummary(
    string Split,
    string From,
    int N,
    double MaeDeg,
    double SmapePct,
    double PearsonR,
    int WithinHalfDegree,
    int AnglesWithinHalfDegree,
    IReadOnlyList<AasceRow> Rows);

/// <summary>The prediction methods of <c>spinescan-lab validate aasce --from</c>.</summary>
internal static class AasceMethods
{
    public const string Endplates = "endplates";
    public const string Centres = "centres";
    public const string Baseline = "baseline";
    public const double MatchToleranceDeg = 0.5;

    /// <summary>The challenge procedure on all 68 landmarks.</summary>
    public static double[] FromEndplates(AasceImage image) =>
        ChallengeCobb.Compute(image.Vertebrae, image.HeightPx).AnglesDeg;

    /// <summary>Our centre-line estimator on the 17 vertebral-body centres.</summary>
    public static double[] FromCentres(AasceImage image, CentreLineCobbOptions? options = null)
    {
        var centres = image.OrderedCentres(out var firstLevel);
        return CentreLineCobb.Estimate(centres, firstLevel, options).ChallengeOrderDeg();
    }

    /// <summary>
    /// The simple baseline: finite-difference tangents (central inside, one-sided at the ends), the largest
    /// tangent difference, then <c>intercept + slope x difference</c> fitted on the training split.
    /// </summary>
    public static double BaselineRawDeg(AasceImage image)
    {
        var c = image.Centres();
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        for (var i = 0; i < c.Length; i++)
        {
            var a = c[Math.Max(i - 1, 0)];
            var b = c[Math.Min(i + 1, c.Length - 1)];
            var t = Math.Atan((b.X - a.X) / (b.Y - a.Y)) * 180.0 / Math.PI;
            max = Math.Max(max, t);
            min = Math.Min(min, t);
        }

        return max - min;
    }
}

/// <summary>Metrics of the AASCE validation.</summary>
internal static class AasceMetrics
{
    public static AasceSummary Summarise(string split, string from, IReadOnlyList<AasceImage> images, IReadOnlyList<double[]> predictions)
    {
        var rows = new List<AasceRow>(images.Count);
        double absSum = 0, smapeSum = 0;
        int allThree = 0, angles = 0;
        for (var n = 0; n < images.Count; n++)
        {
            var gt = images[n].AnglesDeg;
            var p = predictions[n];
            absSum += Math.Abs(p[0] - gt[0]);
            double num = 0, den = 0;
            var ok = true;
            for (var j = 0; j < 3; j++)
            {
                num += Math.Abs(gt[j] - p[j]);
                den += gt[j] + p[j];
                if (Math.Abs(gt[j] - p[j]) < AasceMethods.MatchToleranceDeg)
                {
                    angles++;
                }
                else
                {
                    ok = false;
                }
            }

            smapeSum += den > 0 ? num / den : 0;
            allThree += ok ? 1 : 0;
            rows.Add(new AasceRow(n, images[n].Split, images[n].ImageNumber, gt, p, p[0] - gt[0]));
        }

        var count = images.Count;
        var r = Pearson(images.Select(i => i.AnglesDeg[0]).ToArray(), predictions.Select(p => p[0]).ToArray());
        return new AasceSummary(split, from, count, absSum / count, 100.0 * smapeSum / count, r, allThree, angles, rows);
    }

    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Count; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : double.NaN;
    }
}
