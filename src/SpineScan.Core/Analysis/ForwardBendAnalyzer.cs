
namespace SpineScan.Core.Analysis;

/// <summary>The angle of trunk rotation found on a forward-bend surface.</summary>
/// <param name="AtrDeg">Largest cross-section inclination, signed (+ = the child's right side higher).</param>
/// <param name="AtDistanceMm">Grid b (distance from the camera along the trunk) of the largest inclination.</param>
/// <param name="ProfileDeg">Inclination per scanned row, from the pelvis toward the shoulders.</param>
public sealed record TrunkRotation(double AtrDeg, double AtDistanceMm, double[] ProfileDeg, double Confidence);

/// <summary>
/// The scoliometer on the depth image: on every cross-section of the bent back, the inclination of the
/// chord between two feet <see cref="HalfSpanMm"/> either side of the spinous line (the symmetry point of
/// that cross-section), over the stretch of the trunk between the pelvis and the shoulders.
/// </summary>
public static class ForwardBendAnalyzer
{
    /// <summary>Half the span of a scoliometer's feet (mm).</summary>
    public const double HalfSpanMm = 50;

    /// <summary>
    /// Half the window (along the trunk, mm) of the running median the inclination profile is read through. Chosen on
    /// development children (batch 9100, in-range and base worlds): ATR MAE 2.24 to 1.39 deg (in range) and 1.14 to
    /// 0.58 (base) against reading single rows; 12 and 28 mm did worse on the in-range children.
    /// </summary>
    public const double ProfileMedianMm = 20;

    /// <summary>Share of the trunk's length, from the pelvis end, skipped (buttocks and sacrum).</summary>
    public const double SkipPelvisShare = 0.25;

    /// <summary>Share of the trunk's length, from the shoulder end, skipped (shoulder girdle and neck).</summary>
    public const double SkipShoulderShare = 0.10;

    public static TrunkRotation? Measure(BackSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        var s = surface.SpacingMm;

        // Rows wide enough to be trunk (the hanging head and arms are narrower runs).
        var outline = WideRows(surface, out var first, out var last);
        if (first < 0 || (last - first) * s < 200)
        {
            return null;
        }

        var from = first + (int)((last - first) * SkipPelvisShare);
        var to = last - (int)((last - first) * SkipShoulderShare);
        var guesses = new double[to - from + 1];
        for (var r = from; r <= to; r++)
        {
            var (l, rr) = outline[r];
            guesses[r - from] = l < 0 ? surface.A(surface.Columns / 2) : surface.A((l + rr) / 2);
        }

        var line = SymmetryLineFinder.Find(surface, from, to, guesses, SymmetrySettings.Default with { SearchMm = 40 });
        if (line.Length < guesses.Length / 2)
        {
            return null;
        }

        var profile = new double[line.Length];
        double best = 0, bestB = line[0].HeightMm;
        for (var i = 0; i < line.Length; i++)
        {
            // The scoliometer sits across the trunk, not across the grid: its chord lies in the plane through the
            // spinous point perpendicular to the trunk axis, whose slope along b the midline profile gives.
            var lo = line[Math.Max(0, i - 3)];
            var hi = line[Math.Min(line.Length - 1, i + 3)];
            var axisSlope = hi.HeightMm > lo.HeightMm ? (hi.SurfaceMm - lo.SurfaceMm) / (hi.HeightMm - lo.HeightMm) : 0;
            var p0 = line[i];
            var left = CrossSectionPoint(surface, p0, -HalfSpanMm, axisSlope);
            var right = CrossSectionPoint(surface, p0, +HalfSpanMm, axisSlope);
            if (left is not { } l || right is not { } r)
            {
                continue;
            }

            var rise = r.H - l.H;
            var run = Math.Sqrt((2 * HalfSpanMm * 2 * HalfSpanMm) + ((r.B - l.B) * (r.B - l.B)));
            profile[i] = Math.Atan2(rise, run) * 180 / Math.PI;
        }

        // The largest inclination of the profile's running median over +/- ProfileMedianMm: a rib hump or lumbar
        // prominence spans several centimetres of the trunk, the edge of a waistband or a band, or a shadow, a few rows.
        var window = (int)Math.Round(ProfileMedianMm / s);
        Span<double> scratch = stackalloc double[(2 * window) + 1];
        for (var i = 0; i < line.Length; i++)
        {
            var n = 0;
            for (var k = Math.Max(0, i - window); k <= Math.Min(line.Length - 1, i + window); k++)
            {
                scratch[n++] = profile[k];
            }

            var part = scratch[..n];
            part.Sort();
            var value = part[n / 2];
            if (Math.Abs(value) > Math.Abs(best))
            {
                best = value;
                bestB = line[i].HeightMm;
            }
        }

        var confidence = Math.Clamp(line.Length / (double)guesses.Length, 0, 1);
        return new TrunkRotation(best, bestB, profile, confidence);
    }

    private static (int Left, int Right)[] WideRows(BackSurface surface, out int first, out int last)
    {
        var rows = new (int, int)[surface.Rows];
        var widths = new List<int>(surface.Rows);
        first = -1;
        last = -1;
        for (var r = 0; r < surface.Rows; r++)
        {
            int l = -1, rr = -1;
            for (var c = 0; c < surface.Columns; c++)
            {
                if (surface.IsValid(c, r))
                {
                    if (l < 0)
                    {
                        l = c;
                    }

                    rr = c;
                }
            }

            rows[r] = (l, rr);
            if (l >= 0)
            {
                widths.Add(rr - l);
            }
        }

        if (widths.Count == 0)
        {
            return rows;
        }

        // The trunk's width: the upper quartile of the row widths, not the widest row, which is where the hanging
        // arms or the shoulders widen the view and would leave a slim trunk below the threshold.
        widths.Sort();
        var trunkWidth = widths[(int)(0.75 * (widths.Count - 1))];
        for (var r = 0; r < surface.Rows; r++)
        {
            var (l, rr) = rows[r];
            if (l >= 0 && rr - l >= trunkWidth * 0.6)
            {
                first = first < 0 ? r : first;
                last = r;
            }
        }

        return rows;
    }

    // The surface point at lateral offset `offset` from p0 on the plane through p0 with normal (0, 1, axisSlope) in (a, b, h).
    private static (double B, double H)? CrossSectionPoint(BackSurface surface, SymmetryPoint p0, double offset, double axisSlope)
    {
        var b = p0.HeightMm;
        var h = double.NaN;
        for (var iteration = 0; iteration < 3; iteration++)
        {
            h = surface.HeightAtMm(p0.LateralMm + offset, b);
            if (double.IsNaN(h))
            {
                return null;
            }

            b = p0.HeightMm - (axisSlope * (h - p0.SurfaceMm));
        }

        return (b, h);
    }
}
