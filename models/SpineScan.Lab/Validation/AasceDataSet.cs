using System.Globalization;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Lab.Validation;

/// <summary>One labelled radiograph of the AASCE 2019 data set.</summary>
/// <param name="Split">"training" or "test".</param>
/// <param name="ImageNumber">1-based row number within its split's files.</param>
/// <param name="Vertebrae">The 17 vertebrae T1..L5 in pixel coordinates.</param>
/// <param name="WidthPx">Image width in pixels.</param>
/// <param name="HeightPx">Image height in pixels.</param>
/// <param name="AnglesDeg">The three recorded Cobb angles (largest, above, below).</param>
internal sealed record AasceImage(string Split, int ImageNumber, VertebraCorners[] Vertebrae, double WidthPx, double HeightPx, double[] AnglesDeg)
{
    /// <summary>Vertebral-body centres (mean of the four corners), top to bottom.</summary>
    public Vector2d[] Centres() => Array.ConvertAll(Vertebrae, v => v.Centre);

    /// <summary>
    /// The centres that run strictly downwards: the longest such subsequence. About 5% of the images label a
    /// vertebra (mostly L5) far out of place (e.g. at the top of the image); the challenge procedure still uses
    /// it, a centre line cannot. The first kept level is reported as <paramref name="firstLevel"/>.
    /// </summary>
    public Vector2d[] OrderedCentres(out VertebralLevel firstLevel)
    {
        var centres = Centres();
        var n = centres.Length;
        var length = new int[n];
        var previous = new int[n];
        var end = 0;
        for (var i = 0; i < n; i++)
        {
            length[i] = 1;
            previous[i] = -1;
            for (var j = 0; j < i; j++)
            {
                if (centres[j].Y < centres[i].Y && length[j] + 1 > length[i])
                {
                    length[i] = length[j] + 1;
                    previous[i] = j;
                }
            }

            end = length[i] > length[end] ? i : end;
        }

        var kept = new List<int>();
        for (var i = end; i >= 0; i = previous[i])
        {
            kept.Add(i);
        }

        kept.Reverse();
        firstLevel = VertebralLevel.T1 + kept[0];
        return [.. kept.Select(i => centres[i])];
    }
}

/// <summary>A label file that is missing or does not have the expected layout.</summary>
internal sealed class AasceDataException : Exception
{
    public AasceDataException()
    {
    }

    public AasceDataException(string message)
        : base(message)
    {
    }

    public AasceDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads the AASCE 2019 label files (<c>{split}_landmarks.csv</c>, <c>{split}_imagesizes.csv</c>,
/// <c>{split}_angles.csv</c>) from a folder the user names. Numbers are parsed culture-invariantly; every error
/// names the file and the 1-based line.
/// </summary>
internal static class AasceDataSet
{
    public const int Vertebrae = 17;
    public const int Landmarks = Vertebrae * 4;

    public static readonly string[] Splits = ["training", "test"];

    /// <summary>Loads one split ("training" or "test").</summary>
    public static IReadOnlyList<AasceImage> Load(string directory, string split)
    {
        if (!Directory.Exists(directory))
        {
            throw new AasceDataException($"Data folder not found: {directory}");
        }

        var landmarks = ReadTable(directory, split + "_landmarks.csv", 2 * Landmarks);
        var sizes = ReadTable(directory, split + "_imagesizes.csv", 2);
        var angles = ReadTable(directory, split + "_angles.csv", 3);
        if (landmarks.Count != sizes.Count || landmarks.Count != angles.Count)
        {
            throw new AasceDataException(FormattableString.Invariant(
                $"{split}: the label files disagree on the number of images (landmarks {landmarks.Count}, image sizes {sizes.Count}, angles {angles.Count})."));
        }

        var images = new List<AasceImage>(landmarks.Count);
        for (var n = 0; n < landmarks.Count; n++)
        {
            var width = sizes[n][0];
            var height = sizes[n][1];
            if (!(width > 0) || !(height > 0))
            {
                throw new AasceDataException(FormattableString.Invariant(
                    $"{split}_imagesizes.csv line {n + 1}: image size {width} x {height} must be positive."));
            }

            var row = landmarks[n];
            Vector2d Point(int k) => new(row[k] * width, row[Landmarks + k] * height);
            var vertebrae = new VertebraCorners[Vertebrae];
            for (var i = 0; i < Vertebrae; i++)
            {
                vertebrae[i] = new VertebraCorners(Point(4 * i), Point((4 * i) + 1), Point((4 * i) + 2), Point((4 * i) + 3));
            }

            images.Add(new AasceImage(split, n + 1, vertebrae, width, height, angles[n]));
        }

        return images;
    }

    /// <summary>Loads "training", "test" or "both" (training first).</summary>
    public static IReadOnlyList<AasceImage> LoadSplits(string directory, string split) =>
        string.Equals(split, "both", StringComparison.Ordinal)
            ? [.. Load(directory, "training"), .. Load(directory, "test")]
            : Load(directory, split);

    private static List<double[]> ReadTable(string directory, string fileName, int columns)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            throw new AasceDataException($"Missing label file: {path}");
        }

        var rows = new List<double[]>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != columns)
            {
                throw new AasceDataException(FormattableString.Invariant(
                    $"{fileName} line {lineNumber}: expected {columns} comma-separated numbers, found {fields.Length}."));
            }

            var values = new double[columns];
            for (var j = 0; j < columns; j++)
            {
                if (!double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]) || !double.IsFinite(values[j]))
                {
                    throw new AasceDataException(FormattableString.Invariant(
                        $"{fileName} line {lineNumber}, column {j + 1}: '{fields[j].Trim()}' is not a number."));
                }
            }

            rows.Add(values);
        }

        if (rows.Count == 0)
        {
            throw new AasceDataException($"{fileName} has no rows.");
        }

        return rows;
    }
}
