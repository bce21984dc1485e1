namespace SpineScan.Core.Analysis;

/// <summary>One point of the symmetry line: on the grid row at <see cref="HeightMm"/>, the lateral position that best mirrors the back.</summary>
/// <param name="HeightMm">Grid b coordinate (standing: height above the floor).</param>
/// <param name="LateralMm">Grid a coordinate of the symmetry point (positive = the child's right).</param>
/// <param name="SurfaceMm">Surface height at the symmetry point.</param>
/// <param name="RotationDeg">Surface rotation: the horizontal tilt of the surface normal there, positive when the normal turns toward the child's right.</param>
/// <param name="Asymmetry">Remaining left-right curvature mismatch (lower is more trustworthy).</param>
public readonly record struct SymmetryPoint(double HeightMm, double LateralMm, double SurfaceMm, double RotationDeg, double Asymmetry);

/// <summary>Search limits of the symmetry line.</summary>
public sealed record SymmetrySettings
{
    /// <summary>Half-width of the mirrored window on each profile (mm).</summary>
    public double HalfWidthMm { get; init; } = 48;

    /// <summary>How far from the starting guess the symmetry point may lie (mm).</summary>
    public double SearchMm { get; init; } = 50;

    /// <summary>Smoothing of the line along the trunk (mm, Gaussian sigma).</summary>
    public double SmoothingMm { get; init; } = 16;

    /// <summary>Half-width (mm) over which the rotation's lateral slope is averaged around the symmetry point.</summary>
    public double RotationHalfWidthMm { get; init; } = 8;

    public static SymmetrySettings Default { get; } = new();
}

/// <summary>
/// The symmetry line of Drerup and Hierholzer: on each horizontal profile, the lateral position that
/// minimises the difference between the surface curvature on its left and the mirrored curvature on
/// its right. On a scoliotic back it follows the spinous processes more closely than any outline-based
/// midline, because curvature ignores the asymmetric bulk (rib hump) that shifts the outline.
/// </summary>
public static class SymmetryLineFinder
{
    // Curvature variation (1/mm) below which a window counts as featureless: a 2 m radius.
    private const double MinCurvatureVariation = 5e-4;

    /// <summary>Finds the symmetry line between grid rows <paramref name="fromRow"/> and <paramref name="toRow"/> (inclusive).</summary>
    /// <param name="guessLateralMm">Per row, where to centre the search (e.g. the outline's midline); same length as the row range.</param>
    public static SymmetryPoint[] Find(BackSurface surface, int fromRow, int toRow, ReadOnlySpan<double> guessLateralMm, SymmetrySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(surface);
        settings ??= SymmetrySettings.Default;
        var count = toRow - fromRow + 1;
        if (count <= 0 || guessLateralMm.Length != count)
        {
            throw new ArgumentException("One guess per row is needed.", nameof(guessLateralMm));
        }

        var spacing = surface.SpacingMm;
        var halfWidth = Math.Max(2, (int)Math.Round(settings.HalfWidthMm / spacing));
        var search = Math.Max(1, (int)Math.Round(settings.SearchMm / spacing));
        var lateral = new double[count];
        var asymmetry = new double[count];
        var found = new bool[count];
        Span<double> costs = stackalloc double[(2 * search) + 1];
        for (var k = 0; k < count; k++)
        {
            var row = fromRow + k;
            var centre = (int)Math.Round((guessLateralMm[k] - surface.OriginA) / spacing);
            var best = 0;
            var bestCost = double.MaxValue;
            for (var offset = -search; offset <= search; offset++)
            {
                costs[offset + search] = double.NaN;
                var c0 = centre + offset;
                if (c0 - halfWidth < 1 || c0 + halfWidth >= surface.Columns - 1)
                {
                    continue;
                }

                // Normalised asymmetry: mismatch over the curvature's own variation in the window, so a
                // featureless stretch (flank, constant curvature) cannot look "perfectly symmetric".
                double mismatch = 0, sum = 0, sumSquares = 0;
                var pairs = 0;
                for (var d = 1; d <= halfWidth; d++)
                {
                    if (!surface.IsValid(c0 - d, row) || !surface.IsValid(c0 + d, row))
                    {
                        continue;
                    }

                    var left = surface.MeanCurvatureAt(c0 - d, row);
                    var right = surface.MeanCurvatureAt(c0 + d, row);
                    if (double.IsNaN(left) || double.IsNaN(right))
                    {
                        continue;
                    }

                    mismatch += (left - right) * (left - right);
                    sum += left + right;
                    sumSquares += (left * left) + (right * right);
                    pairs++;
                }

                if (pairs < halfWidth * 3 / 4)
                {
                    continue;
                }

                var variation = sumSquares - (sum * sum / (2 * pairs));
                var cost = mismatch / (variation + (2 * pairs * MinCurvatureVariation * MinCurvatureVariation));
                costs[offset + search] = cost;
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = offset;
                }
            }

            if (bestCost == double.MaxValue)
            {
                continue; // too little of the back on both sides of every candidate
            }

            // Sub-cell refinement: vertex of the parabola through the best cost and its neighbours.
            var refined = (double)best;
            if (best > -search && best < search && !double.IsNaN(costs[best + search - 1]) && !double.IsNaN(costs[best + search + 1]))
            {
                var cm = costs[best + search - 1];
                var cp = costs[best + search + 1];
                var denominator = cm - (2 * bestCost) + cp;
                if (denominator > 0)
                {
                    refined += 0.5 * (cm - cp) / denominator;
                }
            }

            lateral[k] = surface.OriginA + ((centre + refined) * spacing);
            asymmetry[k] = bestCost;
            found[k] = true;
        }

        SmoothAlongTrunk(lateral, found, settings.SmoothingMm / spacing);

        var points = new List<SymmetryPoint>(count);
        for (var k = 0; k < count; k++)
        {
            if (!found[k])
            {
                continue;
            }

            var row = fromRow + k;
            var column = (lateral[k] - surface.OriginA) / spacing;
            var height = Interpolate(surface, column, row);
            var rotation = LateralSlopeDeg(surface, column, row, settings.RotationHalfWidthMm / spacing);
            if (double.IsNaN(height) || double.IsNaN(rotation))
            {
                continue;
            }

            points.Add(new SymmetryPoint(surface.B(row), lateral[k], height, rotation, asymmetry[k]));
        }

        return [.. points];
    }

    // Rotation = the inclination of the chord between mirrored points at 4..24 mm on either side: the
    // normal (-dh/da, 1) turns toward +a (the right) when the surface falls toward the right, so
    // rotation = -atan(dh/da). Mirrored pairs, interpolated at the exact sub-cell position, cancel the
    // groove's own symmetric shape, which a plain local slope fit would not.
    private static double LateralSlopeDeg(BackSurface surface, double column, int row, double halfWidthCells)
    {
        var outer = Math.Max(2, (int)Math.Round(halfWidthCells * 3));
        double sum = 0;
        var n = 0;
        for (var d = 1; d <= outer; d++)
        {
            var right = Interpolate(surface, column + d, row);
            var left = Interpolate(surface, column - d, row);
            if (double.IsNaN(right) || double.IsNaN(left))
            {
                continue;
            }

            sum += (right - left) / (2 * d * surface.SpacingMm);
            n++;
        }

        return n < 2 ? double.NaN : -Math.Atan(sum / n) * 180 / Math.PI;
    }

    private static double Interpolate(BackSurface surface, double column, int row)
    {
        var c0 = (int)Math.Floor(column);
        if (c0 < 0 || c0 + 1 >= surface.Columns)
        {
            return double.NaN;
        }

        var t = column - c0;
        return ((1 - t) * surface.HeightAt(c0, row)) + (t * surface.HeightAt(c0 + 1, row));
    }

    private static void SmoothAlongTrunk(double[] values, bool[] valid, double sigmaRows)
    {
        if (sigmaRows < 0.3)
        {
            return;
        }

        var radius = (int)Math.Ceiling(2.5 * sigmaRows);
        var source = (double[])values.Clone();
        for (var k = 0; k < values.Length; k++)
        {
            if (!valid[k])
            {
                continue;
            }

            // Gaussian-weighted local line (not a plain average), so the ends of the line are not pulled inward.
            double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (var j = Math.Max(0, k - radius); j <= Math.Min(values.Length - 1, k + radius); j++)
            {
                if (!valid[j])
                {
                    continue;
                }

                var w = Math.Exp(-((j - k) * (j - k)) / (2 * sigmaRows * sigmaRows));
                double x = j - k;
                sw += w;
                sx += w * x;
                sy += w * source[j];
                sxx += w * x * x;
                sxy += w * x * source[j];
            }

            var determinant = (sw * sxx) - (sx * sx);
            values[k] = determinant > 1e-9 ? ((sy * sxx) - (sx * sxy)) / determinant : sy / sw;
        }
    }
}
