using SpineScan.Core.Depth;

namespace SpineScan.Core.Spine;

/// <summary>One vertebra as seen on an anterior-posterior radiograph: its four body corners in image pixels (+y down).</summary>
public readonly record struct VertebraCorners(Vector2d TopLeft, Vector2d TopRight, Vector2d BottomLeft, Vector2d BottomRight)
{
    /// <summary>Midpoint of the vertebra's left edge.</summary>
    public Vector2d LeftMid => (TopLeft + BottomLeft) * 0.5;

    /// <summary>Midpoint of the vertebra's right edge.</summary>
    public Vector2d RightMid => (TopRight + BottomRight) * 0.5;

    /// <summary>The vertebra's frontal direction, left edge to right edge.</summary>
    public Vector2d Direction => RightMid - LeftMid;

    /// <summary>Centre of the vertebral body: the mean of the four corners.</summary>
    public Vector2d Centre => (TopLeft + TopRight + BottomLeft + BottomRight) * 0.25;

    public Vector2d TopMid => (TopLeft + TopRight) * 0.5;

    public Vector2d BottomMid => (BottomLeft + BottomRight) * 0.5;
}

/// <summary>Result of the AASCE 2019 Cobb procedure.</summary>
/// <param name="AnglesDeg">Three angles: the largest curve, then the curve above and the curve below it.</param>
/// <param name="IsSShaped">Whether the endplate midpoints deviate from their chord on both sides.</param>
/// <param name="MainUpper">Index (0 = top) of one end vertebra of the largest curve.</param>
/// <param name="MainLower">Index of the other end vertebra of the largest curve.</param>
public sealed record ChallengeCobbResult(double[] AnglesDeg, bool IsSShaped, int MainUpper, int MainLower)
{
    public double LargestDeg => AnglesDeg[0];
}

/// <summary>
/// The Cobb computation of the MICCAI 2019 AASCE challenge ("Accurate Automated Spinal Curvature
/// Estimation"), re-implemented from its published description: vertebra directions from the
/// midpoints of the left and right body edges, the largest pairwise angle as the main curve, and an
/// S-shape test on the endplate midpoints that decides where the two minor curves are looked for.
/// Kept faithful to the reference, including its numerical quirks, because its angles are the ground truth.
/// </summary>
public static class ChallengeCobb
{
    /// <summary>Runs the procedure on vertebrae ordered top to bottom.</summary>
    /// <param name="vertebrae">At least two vertebrae, top first.</param>
    /// <param name="imageHeightPx">
    /// Height of the radiograph in pixels: in the S case, when the bottom-endplate midpoints of the main curve's two
    /// end vertebrae lie on average in the upper half, the minor curves are looked for above and below it, else both above.
    /// </param>
    public static ChallengeCobbResult Compute(ReadOnlySpan<VertebraCorners> vertebrae, double imageHeightPx)
    {
        var count = vertebrae.Length;
        if (count < 2)
        {
            throw new ArgumentException("The Cobb procedure needs at least two vertebrae.", nameof(vertebrae));
        }

        var angles = PairwiseAngles(vertebrae);
        var last = count - 1;

        // pos1[i]: the vertebra most tilted against vertebra i; pos2: the row holding the overall maximum.
        var pos1 = new int[count];
        var rowMax = new double[count];
        for (var i = 0; i < count; i++)
        {
            pos1[i] = ArgMax(angles, i, 0, count, out rowMax[i]);
        }

        var pos2 = 0;
        for (var i = 1; i < count; i++)
        {
            if (rowMax[i] > rowMax[pos2])
            {
                pos2 = i;
            }
        }

        var partner = pos1[pos2];
        var cobb1 = rowMax[pos2];
        var isS = IsSShaped(vertebrae);
        double cobb2, cobb3;
        if (!isS)
        {
            cobb2 = angles[0, pos2];
            cobb3 = angles[last, partner];
        }
        else if (vertebrae[pos2].BottomMid.Y + vertebrae[partner].BottomMid.Y < imageHeightPx)
        {
            // The reference (MATLAB, 1-based) reads row 2 x pos2 of the endplate-midpoint list: the BOTTOM endplate
            // midpoint. A 0-based port that reads the top one misassigns 12 of the 609 AASCE 2019 images.
            // Main curve in the upper half: the minor curves lie above pos2 and below its partner.
            ArgMax(angles, pos2, 0, pos2 + 1, out cobb2);
            ArgMax(angles, partner, partner, count, out cobb3);
        }
        else
        {
            // Main curve in the lower half: both minor curves are looked for above it.
            var upper = ArgMax(angles, pos2, 0, pos2 + 1, out cobb2);
            ArgMax(angles, upper, 0, upper + 1, out cobb3);
        }

        return new ChallengeCobbResult(
            [ToDegrees(cobb1), ToDegrees(cobb2), ToDegrees(cobb3)],
            isS,
            Math.Min(pos2, partner),
            Math.Max(pos2, partner));
    }

    /// <summary>Angle in radians between the frontal directions of every pair of vertebrae.</summary>
    public static double[,] PairwiseAngles(ReadOnlySpan<VertebraCorners> vertebrae)
    {
        var count = vertebrae.Length;
        var angles = new double[count, count];
        for (var i = 0; i < count; i++)
        {
            var a = vertebrae[i].Direction;
            for (var j = 0; j < count; j++)
            {
                var b = vertebrae[j].Direction;
                var cosine = ((a.X * b.X) + (a.Y * b.Y)) / (a.Length * b.Length);

                // The recorded angles go above 90 degrees (93.8 and 156.4 in the training split): the cosine is
                // only kept inside [-1, 1] against rounding, not clipped at 0.
                cosine = double.IsNaN(cosine) ? 0 : Math.Clamp(cosine, -1, 1);
                angles[i, j] = Math.Acos(cosine);
            }
        }

        return angles;
    }

    /// <summary>
    /// The reference's S test: for every endplate midpoint but the last two, the normalised vertical
    /// position minus the normalised lateral position along the chord from the first to the last
    /// endplate; S when these differences take both signs. A zero-width chord divides by zero, which
    /// the reference turns into NaN and so into "S"; we keep that.
    /// </summary>
    public static bool IsSShaped(ReadOnlySpan<VertebraCorners> vertebrae)
    {
        var points = new Vector2d[vertebrae.Length * 2];
        for (var i = 0; i < vertebrae.Length; i++)
        {
            points[2 * i] = vertebrae[i].TopMid;
            points[(2 * i) + 1] = vertebrae[i].BottomMid;
        }

        var first = points[0];
        var last = points[^1];
        double sum = 0, sumAbs = 0;
        for (var i = 0; i < points.Length - 2; i++)
        {
            var term1 = (points[i].Y - last.Y) / (first.Y - last.Y);
            var term2 = (points[i].X - last.X) / (first.X - last.X);
            var difference = (float)(term1 - term2); // the reference stores these as float32
            sum += difference;
            sumAbs += Math.Abs(difference);
        }

        // sum(ll llᵀ) = (Σ ll)², sum(|ll llᵀ|) = (Σ |ll|)²: equal exactly when no two terms differ in sign.
        var a = sum * sum;
        var b = sumAbs * sumAbs;
        return !(Math.Abs(a - b) < 1e-4);
    }

    private static int ArgMax(double[,] matrix, int row, int fromColumn, int toColumn, out double max)
    {
        var best = fromColumn;
        max = matrix[row, fromColumn];
        for (var j = fromColumn + 1; j < toColumn; j++)
        {
            if (matrix[row, j] > max)
            {
                max = matrix[row, j];
                best = j;
            }
        }

        return best;
    }

    private static double ToDegrees(double radians) => radians * 180.0 / Math.PI;
}
