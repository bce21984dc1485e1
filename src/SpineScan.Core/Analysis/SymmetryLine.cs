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

    /// <summary>
    /// How far from the starting guess the symmetry point may lie (mm). The guess is the chord from the dimples to C7;
    /// the spinous line of a curve of 50 degrees or more strays over 50 mm from it, and with a narrower window the line
    /// of such a child followed the nearest track inside (a truth of 52 degrees read 11).
    /// </summary>
    public double SearchMm { get; init; } = 80;

    /// <summary>Smoothing of the line along the trunk (mm, Gaussian sigma).</summary>
    public double SmoothingMm { get; init; } = 16;

    /// <summary>
    /// The rotation's lateral slope is taken between mirrored points this far (mm, from inner to outer) either side of
    /// the symmetry point: outside the spinous groove, whose own shape says nothing of the rotation, and wide enough to
    /// follow the rib hump or lumbar prominence, which is what turns with the vertebrae.
    /// </summary>
    public double RotationInnerMm { get; init; } = 24;

    /// <inheritdoc cref="RotationInnerMm"/>
    public double RotationOuterMm { get; init; } = 64;

    /// <summary>Smoothing of the rotation along the trunk (mm, Gaussian sigma): one profile's slope is noisy.</summary>
    public double RotationSmoothingMm { get; init; } = 12;

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

    // Dynamic-programming weights: a jump of one grid cell between neighbouring rows costs this much normalised
    // asymmetry (a candidate's cost is about 0.1 on a clean back, 1 or more off the spine); a row without a usable
    // candidate costs MissingCost.
    private const double JumpPenalty = 0.1;
    private const double MissingCost = 2.0;

    // Normalised asymmetry of the curvature mirrored about column c0 on a row, or NaN when too little of the row is seen:
    // mismatch over the curvature's own variation in the window, so a featureless stretch (flank, constant
    // curvature) cannot look "perfectly symmetric".
    private static double Cost(BackSurface surface, int row, int c0, int halfWidth)
    {
        if (c0 - halfWidth < 1 || c0 + halfWidth >= surface.Columns - 1)
        {
            return double.NaN;
        }

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
            return double.NaN;
        }

        var variation = sumSquares - (sum * sum / (2 * pairs));
        return mismatch / (variation + (2 * pairs * MinCurvatureVariation * MinCurvatureVariation));
    }

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
        var width = (2 * search) + 1;
        var costs = new double[count * width];
        var centres = new int[count];
        for (var k = 0; k < count; k++)
        {
            centres[k] = (int)Math.Round((guessLateralMm[k] - surface.OriginA) / spacing);
            for (var offset = -search; offset <= search; offset++)
            {
                costs[(k * width) + offset + search] = Cost(surface, fromRow + k, centres[k] + offset, halfWidth);
            }
        }

        // The line is continuous: choose one candidate per row by dynamic programming, with a penalty on lateral
        // jumps between neighbouring rows, so a stretch of rows cannot hop onto a shoulder blade's or a rib's edge.
        var total = new double[count * width];
        var from = new int[count * width];
        for (var k = 0; k < count; k++)
        {
            for (var j = 0; j < width; j++)
            {
                var own = costs[(k * width) + j];
                var here = double.IsNaN(own) ? MissingCost : own;
                var best = 0.0;
                var bestFrom = -1;
                if (k > 0)
                {
                    best = double.MaxValue;
                    for (var i = 0; i < width; i++)
                    {
                        var jump = (centres[k] + j) - (centres[k - 1] + i);
                        var candidate = total[((k - 1) * width) + i] + (JumpPenalty * jump * jump);
                        if (candidate < best)
                        {
                            best = candidate;
                            bestFrom = i;
                        }
                    }
                }

                total[(k * width) + j] = best + here;
                from[(k * width) + j] = bestFrom;
            }
        }

        var choice = 0;
        for (var j = 1; j < width; j++)
        {
            if (total[((count - 1) * width) + j] < total[((count - 1) * width) + choice])
            {
                choice = j;
            }
        }

        for (var k = count - 1; k >= 0; k--)
        {
            var bestCost = costs[(k * width) + choice];
            if (!double.IsNaN(bestCost))
            {
                // Sub-cell refinement: vertex of the parabola through the chosen cost and its neighbours.
                var refined = (double)(choice - search);
                if (choice > 0 && choice < width - 1)
                {
                    var cm = costs[(k * width) + choice - 1];
                    var cp = costs[(k * width) + choice + 1];
                    var denominator = cm - (2 * bestCost) + cp;
                    if (!double.IsNaN(cm) && !double.IsNaN(cp) && denominator > 0)
                    {
                        refined += Math.Clamp(0.5 * (cm - cp) / denominator, -0.5, 0.5);
                    }
                }

                lateral[k] = surface.OriginA + ((centres[k] + refined) * spacing);
                asymmetry[k] = bestCost;
                found[k] = true;
            }

            choice = from[(k * width) + choice] < 0 ? choice : from[(k * width) + choice];
        }

        SmoothAlongTrunk(lateral, found, settings.SmoothingMm / spacing);

        var rotations = new double[count];
        var hasRotation = new bool[count];
        for (var k = 0; k < count; k++)
        {
            if (found[k])
            {
                var column = (lateral[k] - surface.OriginA) / spacing;
                rotations[k] = LateralSlopeDeg(surface, column, fromRow + k, settings.RotationInnerMm / spacing, settings.RotationOuterMm / spacing);
                hasRotation[k] = !double.IsNaN(rotations[k]);
            }
        }

        SmoothAlongTrunk(rotations, hasRotation, settings.RotationSmoothingMm / spacing);

        var points = new List<SymmetryPoint>(count);
        for (var k = 0; k < count; k++)
        {
            if (!found[k] || !hasRotation[k])
            {
                continue;
            }

            var row = fromRow + k;
            var column = (lateral[k] - surface.OriginA) / spacing;
            var height = surface.InterpolatedHeight(column, row);
            if (double.IsNaN(height))
            {
                continue;
            }

            points.Add(new SymmetryPoint(surface.B(row), lateral[k], height, rotations[k], asymmetry[k]));
        }

        return [.. points];
    }

    /// <summary>
    /// How clean a traced line is: the RMS of its lateral second differences over 10 mm steps (noise makes the line jagged;
    /// a spine bends over tens of millimetres) and its mean remaining left-right mismatch.
    /// </summary>
    public static (double RoughnessMm, double MeanCost) Quality(SymmetryPoint[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        const double StepMm = 10;
        if (line.Length < 3)
        {
            return (0, 0);
        }

        double cost = 0;
        foreach (var point in line)
        {
            cost += point.Asymmetry;
        }

        double sum = 0;
        var n = 0;
        var from = line[0].HeightMm;
        var to = line[^1].HeightMm;
        for (var b = from + StepMm; b + StepMm <= to; b += StepMm)
        {
            var second = SpinalLineReconstructor.At(line, b - StepMm).LateralMm - (2 * SpinalLineReconstructor.At(line, b).LateralMm) + SpinalLineReconstructor.At(line, b + StepMm).LateralMm;
            sum += second * second;
            n++;
        }

        return (n == 0 ? 0 : Math.Sqrt(sum / n), cost / line.Length);
    }

    // Rotation = the mean inclination of the chords between mirrored points from inner to outer cells either side:
    // the normal (-dh/da, 1) turns toward +a (the right) when the surface falls toward the right, so
    // rotation = -atan(dh/da). Mirrored pairs, interpolated at the exact sub-cell position, cancel the back's own
    // symmetric shape (paraspinal muscles), which a plain local slope fit would not.
    private static double LateralSlopeDeg(BackSurface surface, double column, int row, double innerCells, double outerCells)
    {
        double sum = 0;
        var n = 0;
        for (var d = Math.Max(1, innerCells); d <= outerCells; d++)
        {
            var right = surface.InterpolatedHeight(column + d, row);
            var left = surface.InterpolatedHeight(column - d, row);
            if (double.IsNaN(right) || double.IsNaN(left))
            {
                continue;
            }

            sum += (right - left) / (2 * d * surface.SpacingMm);
            n++;
        }

        return n < 2 ? double.NaN : -Math.Atan(sum / n) * 180 / Math.PI;
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
