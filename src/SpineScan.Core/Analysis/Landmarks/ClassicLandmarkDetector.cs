using SpineScan.Core.Ports;

namespace SpineScan.Core.Analysis.Landmarks;

/// <summary>
/// Landmarks from the standing back's outline and curvature, without a learned model: C7 where the neck
/// widens into the shoulders, acromia on the shoulders' top contour, waist points at each side's narrowest
/// trunk edge, lumbar dimples as the strongest concave cups beside the midline below the waist, scapula
/// inferior angles as the lowest convex prominence of each shoulder blade. Tuned on phantom training
/// seeds (never on the seeds the accuracy bench reports).
/// </summary>
public sealed class ClassicLandmarkDetector : ILandmarkDetector
{
    /// <summary>C7 lies where the trunk has widened this share of the way from the neck to the shoulders.</summary>
    private const double C7WidthShare = 0.45;

    /// <summary>The acromion lies this far inside the trunk's edge and this far above the contour's top cell (fitted offsets).</summary>
    private const double AcromionInsetMm = 27;

    /// <summary>Radius (grid cells) of the ring a cup's curvature is compared with.</summary>
    private const int CupRingCells = 4;

    private const double AcromionBelowTopMm = 0;

    /// <summary>Height of the lumbar dimples (PSIS) over C7's height above the floor (0.555 / 0.825 of stature).</summary>
    private const double DimpleToC7HeightRatio = 0.673;

    /// <summary>How far from the expected height the dimples are searched for, and the spread of the prior (mm).</summary>
    private const double DimpleSearchMm = 110;

    private const double DimpleHeightSdMm = 20;

    /// <summary>Distance between the dimples over C7's height (0.06 / 0.825 of stature), and the priors' spreads (mm).</summary>
    private const double DimpleSpreadToC7Height = 0.073;

    private const double DimpleSpreadSdMm = 20;

    private const double DimpleCentringSdMm = 15;

    public string Id => "classic-curvature/1";

    public IReadOnlyList<GridLandmark> Detect(BackSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        var outline = TrunkOutline.Find(surface);
        if (outline is null)
        {
            return [];
        }

        var s = surface.SpacingMm;
        var found = new List<GridLandmark>();
        var neckWidth = outline.WidthMm(outline.NeckRow);
        var shoulderWidth = outline.WidthMm(outline.ShoulderRow);

        // C7.
        var c7Row = outline.NeckRow;
        var target = neckWidth + (C7WidthShare * (shoulderWidth - neckWidth));
        while (c7Row > outline.ShoulderRow && outline.WidthMm(c7Row) < target)
        {
            c7Row--;
        }

        found.Add(new GridLandmark(LandmarkNames.C7, surface.A(0) + (outline.MidColumn(c7Row) * s), surface.B(c7Row), 0.8));

        // Acromia: on each side, the top of the shoulder contour 15 mm inside the trunk's edge just below the shoulder line.
        var probeRow = Math.Max(0, outline.ShoulderRow - (int)(40 / s));
        foreach (var (name, edge, inward) in new[]
        {
            (LandmarkNames.AcromionLeft, outline.Left[probeRow], +1),
            (LandmarkNames.AcromionRight, outline.Right[probeRow], -1),
        })
        {
            if (edge < 0)
            {
                continue;
            }

            var column = edge + (inward * (int)Math.Round(AcromionInsetMm / s));
            var top = TopOfColumn(surface, column, probeRow, outline.NeckRow);
            if (top >= 0)
            {
                found.Add(new GridLandmark(name, surface.A(column), surface.B(top) + AcromionBelowTopMm, 0.7));
            }
        }

        // Waist: each side's most inward trunk edge between 120 and 380 mm below the shoulder line... found from the hips up.
        var waistTop = outline.ShoulderRow - (int)(180 / s);
        var waistBottom = Math.Max(0, outline.ShoulderRow - (int)(420 / s));
        int leftWaist = -1, rightWaist = -1;
        for (var r = waistBottom; r <= waistTop; r++)
        {
            if (!outline.Has(r))
            {
                continue;
            }

            if (leftWaist < 0 || outline.Left[r] > outline.Left[leftWaist])
            {
                leftWaist = r;
            }

            if (rightWaist < 0 || outline.Right[r] < outline.Right[rightWaist])
            {
                rightWaist = r;
            }
        }

        if (leftWaist >= 0)
        {
            found.Add(new GridLandmark(LandmarkNames.WaistLeft, surface.A(outline.Left[leftWaist]), surface.B(leftWaist), 0.6));
            found.Add(new GridLandmark(LandmarkNames.WaistRight, surface.A(outline.Right[rightWaist]), surface.B(rightWaist), 0.6));
        }

        // Lumbar dimples: a pair of cups either side of the midline at about the same height, the pair with the
        // most concavity near where the body's proportions put them. The grid's b is height above the floor, so C7's
        // height gives the expected height of the posterior superior iliac spines (PSIS at about 0.555 of stature,
        // C7 at about 0.825): this keeps a crease at the shorts' waistband or the cleft from winning.
        var expectedDimpleB = DimpleToC7HeightRatio * surface.B(c7Row);
        var dimpleTop = Math.Min(surface.Rows - 2, (int)Math.Round((expectedDimpleB + DimpleSearchMm - surface.OriginB) / s));
        var dimpleBottom = Math.Max(1, (int)Math.Round((expectedDimpleB - DimpleSearchMm - surface.OriginB) / s));
        var leftCups = Cups(surface, outline, dimpleBottom, dimpleTop, -1);
        var rightCups = Cups(surface, outline, dimpleBottom, dimpleTop, +1);
        var bestPair = double.MinValue;
        (Cup Left, Cup Right)? pair = null;
        foreach (var l in leftCups)
        {
            foreach (var r in rightCups)
            {
                var spread = (r.Column - l.Column) * s;
                if (Math.Abs(r.Row - l.Row) * s > 35 || spread < 40 || spread > 180)
                {
                    continue;
                }

                // Priors: the expected height, the expected spread (PSIS about 0.06 of stature apart) and a pair
                // centred on the trunk's midline.
                var row = (l.Row + r.Row) / 2;
                var height = (surface.B(row) - expectedDimpleB) / DimpleHeightSdMm;
                var width = (spread - (DimpleSpreadToC7Height * surface.B(c7Row))) / DimpleSpreadSdMm;
                var centring = ((((l.Column + r.Column) / 2.0) - outline.MidColumn(row)) * s) / DimpleCentringSdMm;
                var prior = Math.Exp(-0.5 * ((height * height) + (width * width) + (centring * centring)));
                var score = (l.Score + r.Score) * (double.IsNaN(prior) ? 0 : prior);
                if (score > bestPair)
                {
                    bestPair = score;
                    pair = (l, r);
                }
            }
        }

        if (pair is null && leftCups.Count > 0 && rightCups.Count > 0)
        {
            // No symmetric pair: fall back to each side's strongest cup, with less confidence.
            pair = (leftCups[0], rightCups[0]);
        }

        if (pair is { } p)
        {
            var (leftA, leftB) = CupCentre(surface, p.Left);
            var (rightA, rightB) = CupCentre(surface, p.Right);
            found.Add(new GridLandmark(LandmarkNames.DimpleLeft, leftA, leftB, 0.7));
            found.Add(new GridLandmark(LandmarkNames.DimpleRight, rightA, rightB, 0.7));
        }

        // Scapula inferior angles: the lowest strongly convex point 40-130 mm from the midline, 100-260 mm below the shoulder line.
        var scapulaTop = outline.ShoulderRow - (int)(130 / s);
        var scapulaBottom = Math.Max(1, outline.ShoulderRow - (int)(190 / s));
        foreach (var (name, sign) in new[] { (LandmarkNames.ScapulaLeft, -1), (LandmarkNames.ScapulaRight, +1) })
        {
            var best = double.MaxValue;
            int bestRow = -1, bestColumn = -1;
            for (var r = scapulaBottom; r <= scapulaTop; r++)
            {
                var mid = outline.MidColumn(r);
                if (double.IsNaN(mid))
                {
                    continue;
                }

                for (var d = (int)(50 / s); d <= (int)(90 / s); d++)
                {
                    var c = (int)Math.Round(mid) + (sign * d);
                    if (c <= 0 || c >= surface.Columns - 1 || !surface.IsValid(c, r))
                    {
                        continue;
                    }

                    // The blade's lower tip is the convex corner where its raised plate drops away downward.
                    var corner = surface.CurvatureB(c, r);
                    if (corner < best)
                    {
                        best = corner;
                        bestRow = r;
                        bestColumn = c;
                    }
                }
            }

            if (bestRow >= 0)
            {
                found.Add(new GridLandmark(name, surface.A(bestColumn), surface.B(bestRow), 0.5));
            }
        }

        return found;
    }

    private readonly record struct Cup(int Column, int Row, double Score);

    // The concavity-weighted centre of a cup around its peak: steadier than the peak cell, which wanders along an elongated cup.
    private static (double A, double B) CupCentre(BackSurface surface, Cup cup)
    {
        const int Radius = 3;
        double sumA = 0, sumB = 0, weight = 0;
        for (var r = cup.Row - Radius; r <= cup.Row + Radius; r++)
        {
            for (var c = cup.Column - Radius; c <= cup.Column + Radius; c++)
            {
                if (r <= 0 || c <= 0 || r >= surface.Rows - 1 || c >= surface.Columns - 1 || !surface.IsValid(c, r))
                {
                    continue;
                }

                var k2 = surface.PrincipalCurvaturesAt(c, r).K2;
                if (k2 > 0)
                {
                    sumA += k2 * surface.A(c);
                    sumB += k2 * surface.B(r);
                    weight += k2;
                }
            }
        }

        return weight > 0 ? (sumA / weight, sumB / weight) : (surface.A(cup.Column), surface.B(cup.Row));
    }

    // Local maxima of the lesser principal curvature on one side of the midline, scored by how far they stand above
    // the ring around them, strongest first. A slim child's dimple is only less convex than the skin around it, not
    // concave, so the absolute curvature would miss it; an elongated crease stands less above its ring than a cup.
    private static double RingMeanK2(BackSurface surface, int column, int row)
    {
        double sum = 0;
        var count = 0;
        for (var dr = -CupRingCells; dr <= CupRingCells; dr += CupRingCells)
        {
            for (var dc = -CupRingCells; dc <= CupRingCells; dc += CupRingCells)
            {
                var c = column + dc;
                var r = row + dr;
                if ((dr != 0 || dc != 0) && c > 0 && r > 0 && c < surface.Columns - 1 && r < surface.Rows - 1 && surface.IsValid(c, r))
                {
                    sum += surface.PrincipalCurvaturesAt(c, r).K2;
                    count++;
                }
            }
        }

        return count > 0 ? sum / count : double.PositiveInfinity;
    }

    // Local maxima of the lesser principal curvature on one side of the midline that stand above their ring, strongest first.
    private static List<Cup> Cups(BackSurface surface, TrunkOutline outline, int fromRow, int toRow, int side)
    {
        var s = surface.SpacingMm;
        var cups = new List<Cup>();
        for (var r = Math.Max(1, fromRow); r <= Math.Min(toRow, surface.Rows - 2); r++)
        {
            var mid = outline.MidColumn(r);
            if (double.IsNaN(mid))
            {
                continue;
            }

            for (var d = (int)(15 / s); d <= (int)(90 / s); d++)
            {
                var c = (int)Math.Round(mid) + (side * d);
                if (c <= 0 || c >= surface.Columns - 1 || !surface.IsValid(c, r))
                {
                    continue;
                }

                var k2 = surface.PrincipalCurvaturesAt(c, r).K2;
                var isPeak = true;
                for (var dr = -1; dr <= 1 && isPeak; dr++)
                {
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        if ((dr != 0 || dc != 0) && surface.IsValid(c + dc, r + dr) && surface.PrincipalCurvaturesAt(c + dc, r + dr).K2 > k2)
                        {
                            isPeak = false;
                            break;
                        }
                    }
                }

                var prominence = isPeak ? k2 - RingMeanK2(surface, c, r) : 0;
                if (prominence > 0)
                {
                    cups.Add(new Cup(c, r, prominence));
                }
            }
        }

        cups.Sort((a, b) => b.Score.CompareTo(a.Score));
        return cups.Count > 8 ? cups.GetRange(0, 8) : cups;
    }

    // The highest valid row of a column, searching down from the neck to the probe row through contiguous cells.
    private static int TopOfColumn(BackSurface surface, int column, int fromRow, int neckRow)
    {
        if (column < 0 || column >= surface.Columns)
        {
            return -1;
        }

        var top = -1;
        for (var r = fromRow; r <= neckRow && r < surface.Rows; r++)
        {
            if (!surface.IsValid(column, r))
            {
                break;
            }

            top = r;
        }

        return top;
    }
}
