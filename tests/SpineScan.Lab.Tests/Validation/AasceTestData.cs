using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Lab.Tests.Validation;

/// <summary>Where the research-licensed AASCE 2019 labels are: ../shared/data/aasce2019 beside the repository.</summary>
internal static class AasceTestData
{
    public static string? Directory { get; } = Find();

    private static string? Find([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile), AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SpineScan.sln")))
                {
                    var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "aasce2019"));
                    return System.IO.Directory.Exists(data) ? data : null;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Writes a synthetic data set (no real data) of <paramref name="count"/> spines per split into a new temp
    /// folder: rectangles along a sine, with angles from the challenge procedure.
    /// </summary>
    public static string WriteSynthetic(int count)
    {
        var folder = Path.Combine(Path.GetTempPath(), "spinescan-aasce-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        foreach (var split in new[] { "training", "test" })
        {
            var landmarks = new StringBuilder();
            var sizes = new StringBuilder();
            var angles = new StringBuilder();
            for (var n = 0; n < count; n++)
            {
                const double width = 1000, height = 2500;
                var amplitude = 20.0 + (15 * n);
                var vertebrae = new VertebraCorners[17];
                for (var i = 0; i < 17; i++)
                {
                    var x = 500 + (amplitude * Math.Sin(Math.PI * i / 16));
                    var slope = amplitude * Math.PI / 16 * Math.Cos(Math.PI * i / 16) / 120;
                    var tiltDeg = Math.Atan(slope) * 180 / Math.PI;
                    vertebrae[i] = SpineScan.Lab.Validation.AasceFit.Vertebra(new Vector2d(x, 300 + (120 * i)), tiltDeg, 40, 35);
                }

                var xs = new List<string>();
                var ys = new List<string>();
                foreach (var v in vertebrae)
                {
                    foreach (var p in new[] { v.TopLeft, v.TopRight, v.BottomLeft, v.BottomRight })
                    {
                        xs.Add((p.X / width).ToString("R", CultureInfo.InvariantCulture));
                        ys.Add((p.Y / height).ToString("R", CultureInfo.InvariantCulture));
                    }
                }

                landmarks.AppendLine(string.Join(',', xs.Concat(ys)));
                sizes.AppendLine("1000,2500");
                var cobb = ChallengeCobb.Compute(vertebrae, height).AnglesDeg;
                angles.AppendLine(string.Join(',', cobb.Select(a => a.ToString("R", CultureInfo.InvariantCulture))));
            }

            File.WriteAllText(Path.Combine(folder, split + "_landmarks.csv"), landmarks.ToString());
            File.WriteAllText(Path.Combine(folder, split + "_imagesizes.csv"), sizes.ToString());
            File.WriteAllText(Path.Combine(folder, split + "_angles.csv"), angles.ToString());
        }

        return folder;
    }
}

/// <summary>A fact that needs the AASCE 2019 labels: skipped, saying why, where they are absent.</summary>
internal sealed class AasceDataFactAttribute : FactAttribute
{
    public AasceDataFactAttribute()
    {
        if (AasceTestData.Directory is null)
        {
            Skip = "AASCE 2019 labels not found at ../shared/data/aasce2019 beside the repository root (research-licensed, never committed).";
        }
    }
}
