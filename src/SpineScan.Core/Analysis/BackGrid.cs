using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>
/// The standing back resampled to a fixed grid in body coordinates, the input of a learned back-to-spine model:
/// <see cref="Rows"/> rows from above C7 to below the dimples' midpoint (the rows scale with the trunk, so children
/// of every height fill the grid alike) and <see cref="Columns"/> columns either side of the chord from the dimples'
/// midpoint to C7. Four channels, channel-major (<c>[channel, row, column]</c>, row 0 at the top):
/// <list type="number">
/// <item>height over the back plane (a plane fitted to the grid's valid cells), over <see cref="HeightScaleMm"/>;</item>
/// <item>mean curvature (1/mm) times <see cref="CurvatureScaleMm"/>, clamped to +/-<see cref="CurvatureClamp"/>;</item>
/// <item>the surface normal's lateral component (the child's right positive);</item>
/// <item>the validity mask: 1 where the back was seen, 0 elsewhere (the other channels are 0 there).</item>
/// </list>
/// Pure: the same surface and landmarks give the same grid to the last bit.
/// </summary>
public static class BackGrid
{
    public const int Channels = 4;

    public const int Rows = 64;

    public const int Columns = 32;

    /// <summary>Floats in one grid.</summary>
    public const int Length = Channels * Rows * Columns;

    /// <summary>The grid reaches this share of the trunk length above C7 and below the dimples' midpoint.</summary>
    public const double Margin = 0.05;

    /// <summary>Half the grid's width, as a share of the trunk length (C7 to the dimples' midpoint).</summary>
    public const double HalfWidth = 0.3;

    public const double HeightScaleMm = 50;

    public const double CurvatureScaleMm = 100;

    public const double CurvatureClamp = 5;

    /// <summary>Shortest trunk (C7 to the dimples' midpoint, mm) a grid is made for: below it the landmarks are wrong.</summary>
    public const double MinTrunkLengthMm = 150;

    /// <summary>
    /// Writes the grid of <paramref name="surface"/> between <paramref name="c7"/> and <paramref name="dimpleMid"/>
    /// (grid (a, b) coordinates) into <paramref name="destination"/> (<see cref="Length"/> floats).
    /// </summary>
    /// <returns>Where the grid lies on the surface, to place the model's answers back in body coordinates.</returns>
    /// <exception cref="ArgumentException">The destination has the wrong length, or the trunk is shorter than <see cref="MinTrunkLengthMm"/>.</exception>
    public static BackGridFrame Export(BackSurface surface, (double A, double B) c7, (double A, double B) dimpleMid, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(surface);
        if (destination.Length != Length)
        {
            throw new ArgumentException($"A back grid needs {Length} floats, the destination has {destination.Length}.", nameof(destination));
        }

        var frame = new BackGridFrame(c7.A, c7.B, dimpleMid.A, dimpleMid.B, 0, 0, 0);
        if (!(frame.TrunkLengthMm >= MinTrunkLengthMm))
        {
            throw new ArgumentException($"C7 lies {frame.TrunkLengthMm:0} mm above the dimples' midpoint; a back grid needs at least {MinTrunkLengthMm:0} mm.", nameof(c7));
        }

        var plane = surface.Rows * surface.Columns;
        var heights = destination[..(Rows * Columns)];
        var curvature = destination.Slice(Rows * Columns, Rows * Columns);
        var lateral = destination.Slice(2 * Rows * Columns, Rows * Columns);
        var mask = destination.Slice(3 * Rows * Columns, Rows * Columns);

        // Pass 1: sample the height, curvature and normal; sums for the plane h = p0 + p1 a + p2 b (least squares).
        Span<double> sums = stackalloc double[9]; // n, a, b, aa, ab, bb, h, ah, bh
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                var i = (r * Columns) + c;
                var (a, b) = frame.CellCentre(r, c);
                var column = (a - surface.OriginA) / surface.SpacingMm;
                var row = (b - surface.OriginB) / surface.SpacingMm;
                var h = plane > 0 ? surface.InterpolatedHeight(column, row) : double.NaN;
                var nearestColumn = (int)Math.Round(column);
                var nearestRow = (int)Math.Round(row);
                var seen = !double.IsNaN(h) && nearestColumn >= 0 && nearestColumn < surface.Columns && nearestRow >= 0 && nearestRow < surface.Rows && surface.IsValid(nearestColumn, nearestRow);
                var meanCurvature = seen ? surface.MeanCurvatureAt(nearestColumn, nearestRow) : double.NaN;
                var normalX = seen ? surface.NormalAt(nearestColumn, nearestRow).X : double.NaN;

                // The derivatives are not defined at every seen cell (the edge of the back): such a cell counts as unseen.
                if (!double.IsFinite(meanCurvature) || !double.IsFinite(normalX))
                {
                    heights[i] = curvature[i] = lateral[i] = mask[i] = 0;
                    continue;
                }

                heights[i] = (float)h;
                curvature[i] = (float)Math.Clamp(meanCurvature * CurvatureScaleMm, -CurvatureClamp, CurvatureClamp);
                lateral[i] = (float)normalX;
                mask[i] = 1;
                sums[0] += 1;
                sums[1] += a;
                sums[2] += b;
                sums[3] += a * a;
                sums[4] += a * b;
                sums[5] += b * b;
                sums[6] += h;
                sums[7] += a * h;
                sums[8] += b * h;
            }
        }

        var (p0, p1, p2) = FitPlane(sums);
        frame = frame with { PlaneOffsetMm = p0, PlaneSlopeA = p1, PlaneSlopeB = p2 };

        // Pass 2: the height over that plane.
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                var i = (r * Columns) + c;
                if (mask[i] == 0)
                {
                    continue;
                }

                var (a, b) = frame.CellCentre(r, c);
                heights[i] = (float)((heights[i] - frame.PlaneAt(a, b)) / HeightScaleMm);
            }
        }

        return frame;
    }

    // Least squares of h = p0 + p1 a + p2 b from the sums, centred for conditioning; flat at the mean height when fewer
    // than three cells were seen or they lie on a line.
    private static (double P0, double P1, double P2) FitPlane(ReadOnlySpan<double> s)
    {
        var n = s[0];
        if (n < 3)
        {
            return (n > 0 ? s[6] / n : 0, 0, 0);
        }

        double ma = s[1] / n, mb = s[2] / n, mh = s[6] / n;
        var saa = s[3] - (n * ma * ma);
        var sab = s[4] - (n * ma * mb);
        var sbb = s[5] - (n * mb * mb);
        var sah = s[7] - (n * ma * mh);
        var sbh = s[8] - (n * mb * mh);
        var det = (saa * sbb) - (sab * sab);
        if (Math.Abs(det) < 1e-9 * Math.Max(1, saa * sbb))
        {
            return (mh, 0, 0);
        }

        var p1 = ((sah * sbb) - (sbh * sab)) / det;
        var p2 = ((sbh * saa) - (sah * sab)) / det;
        return (mh - (p1 * ma) - (p2 * mb), p1, p2);
    }
}

/// <summary>
/// Where a <see cref="BackGrid"/> lies on its surface: the chord from the dimples' midpoint to C7 (grid (a, b)
/// coordinates, mm) and the back plane its heights are taken over (h = offset + slopeA a + slopeB b). A learned model's
/// answers are in its units: heights as shares of the trunk from C7 down, lateral and sagittal positions as shares of
/// the trunk length from the chord and from the plane.
/// </summary>
public readonly record struct BackGridFrame(double C7A, double C7B, double DimpleA, double DimpleB, double PlaneOffsetMm, double PlaneSlopeA, double PlaneSlopeB)
{
    /// <summary>C7's height above the dimples' midpoint (mm).</summary>
    public double TrunkLengthMm => C7B - DimpleB;

    /// <summary>Lateral position (a, mm) of the chord at height <paramref name="b"/>.</summary>
    public double ChordA(double b) => DimpleA + ((b - DimpleB) / TrunkLengthMm * (C7A - DimpleA));

    /// <summary>The back plane's height at (a, b).</summary>
    public double PlaneAt(double a, double b) => PlaneOffsetMm + (PlaneSlopeA * a) + (PlaneSlopeB * b);

    /// <summary>Grid (a, b) of the centre of a cell (row 0 at the top, column 0 on the child's left).</summary>
    public (double A, double B) CellCentre(int row, int column)
    {
        var length = TrunkLengthMm;
        var t = -BackGrid.Margin + ((row + 0.5) / BackGrid.Rows * (1 + (2 * BackGrid.Margin)));
        var b = C7B - (t * length);
        var offset = (-BackGrid.HalfWidth + ((column + 0.5) / BackGrid.Columns * 2 * BackGrid.HalfWidth)) * length;
        return (ChordA(b) + offset, b);
    }

    /// <summary>A point in the model's units (lateral and sagittal shares at height <paramref name="b"/>) in body coordinates (x right, y up, z posterior).</summary>
    public Vector3d ToBody(double b, double lateralShare, double sagittalShare)
    {
        var a = ChordA(b) + (lateralShare * TrunkLengthMm);
        return new Vector3d(a, b, PlaneAt(a, b) + (sagittalShare * TrunkLengthMm));
    }

    /// <summary>A body point (standing grid coordinates: a, b, height) in the model's units: (lateral share, sagittal share).</summary>
    public (double Lateral, double Sagittal) ToShares(double a, double b, double height) =>
        ((a - ChordA(b)) / TrunkLengthMm, (height - PlaneAt(a, b)) / TrunkLengthMm);
}
