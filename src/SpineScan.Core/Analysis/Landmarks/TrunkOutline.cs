namespace SpineScan.Core.Analysis.Landmarks;

/// <summary>
/// The trunk's outline on a standing back surface: per grid row, the left and right edge of the run of
/// valid cells that holds the body's midline (arms hanging free are separate runs and drop out), and
/// the rows of the neck and the shoulders found from how the width changes.
/// </summary>
public sealed class TrunkOutline
{
    private const int MaxGapCells = 2;

    private TrunkOutline(int[] left, int[] right, int topRow, int neckRow, int shoulderRow, double spacingMm)
    {
        Left = left;
        Right = right;
        TopRow = topRow;
        NeckRow = neckRow;
        ShoulderRow = shoulderRow;
        SpacingMm = spacingMm;
    }

    /// <summary>Per row, the left edge column of the trunk run, or -1 where the row holds none.</summary>
    public int[] Left { get; }

    /// <summary>Per row, the right edge column of the trunk run, or -1.</summary>
    public int[] Right { get; }

    /// <summary>The highest row holding the body (top of the head).</summary>
    public int TopRow { get; }

    /// <summary>The narrowest row of the neck.</summary>
    public int NeckRow { get; }

    /// <summary>The highest row at full shoulder width.</summary>
    public int ShoulderRow { get; }

    public double SpacingMm { get; }

    public bool Has(int row) => row >= 0 && row < Left.Length && Left[row] >= 0;

    public double WidthMm(int row) => Has(row) ? (Right[row] - Left[row] + 1) * SpacingMm : 0;

    public double MidColumn(int row) => Has(row) ? (Left[row] + Right[row]) / 2.0 : double.NaN;

    /// <summary>Finds the outline, or null when the surface holds no body-shaped run.</summary>
    public static TrunkOutline? Find(BackSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        var rows = surface.Rows;
        var columns = surface.Columns;

        // The body's lateral centre: the mean column of valid cells, weighted toward the trunk by its bulk.
        double sum = 0;
        var count = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (surface.IsValid(c, r))
                {
                    sum += c;
                    count++;
                }
            }
        }

        if (count < 100)
        {
            return null;
        }

        var left = new int[rows];
        var right = new int[rows];
        var centre = sum / count;
        var topRow = -1;
        for (var r = rows - 1; r >= 0; r--)
        {
            (left[r], right[r]) = RunAround(surface, r, (int)Math.Round(centre));
            if (left[r] >= 0)
            {
                topRow = Math.Max(topRow, r);
                if (right[r] - left[r] >= 8)
                {
                    centre = (0.7 * centre) + (0.3 * ((left[r] + right[r]) / 2.0)); // follow a leaning trunk
                }
            }
        }

        if (topRow < 0)
        {
            return null;
        }

        var spacing = surface.SpacingMm;
        var outline = new TrunkOutline(left, right, topRow, -1, -1, spacing);

        // Neck: the narrowest row in the 100-300 mm below the top of the head.
        var neck = -1;
        var neckWidth = double.MaxValue;
        for (var r = topRow - (int)(100 / spacing); r >= Math.Max(0, topRow - (int)(300 / spacing)); r--)
        {
            var w = outline.WidthMm(r);
            if (w > 0 && w < neckWidth)
            {
                neckWidth = w;
                neck = r;
            }
        }

        if (neck < 0)
        {
            return null;
        }

        // Shoulders: the first row below the neck that reaches 85% of the widest row in the next 250 mm.
        var widest = 0.0;
        for (var r = neck; r >= Math.Max(0, neck - (int)(250 / spacing)); r--)
        {
            widest = Math.Max(widest, outline.WidthMm(r));
        }

        var shoulder = neck;
        while (shoulder > 0 && outline.WidthMm(shoulder) < 0.85 * widest)
        {
            shoulder--;
        }

        return new TrunkOutline(left, right, topRow, neck, shoulder, spacing);
    }

    private static (int Left, int Right) RunAround(BackSurface surface, int row, int centre)
    {
        centre = Math.Clamp(centre, 0, surface.Columns - 1);

        // Start at the valid cell nearest the centre (within 60 mm), then grow both ways across small gaps.
        var start = -1;
        var reach = (int)(60 / surface.SpacingMm);
        for (var d = 0; d <= reach && start < 0; d++)
        {
            if (centre - d >= 0 && surface.IsValid(centre - d, row))
            {
                start = centre - d;
            }
            else if (centre + d < surface.Columns && surface.IsValid(centre + d, row))
            {
                start = centre + d;
            }
        }

        if (start < 0)
        {
            return (-1, -1);
        }

        var left = start;
        var gap = 0;
        for (var c = start - 1; c >= 0 && gap <= MaxGapCells; c--)
        {
            if (surface.IsValid(c, row))
            {
                left = c;
                gap = 0;
            }
            else
            {
                gap++;
            }
        }

        var right = start;
        gap = 0;
        for (var c = start + 1; c < surface.Columns && gap <= MaxGapCells; c++)
        {
            if (surface.IsValid(c, row))
            {
                right = c;
                gap = 0;
            }
            else
            {
                gap++;
            }
        }

        return (left, right);
    }
}
