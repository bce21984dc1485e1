using System.Text.Json.Serialization;
using System.Text.Json;
using SpineScan.Core.Analysis;
using SpineScan.Lab.Fitting;

namespace SpineScan.Lab.Bench;

/// <summary>One training child in the cache: its index in the training batch and its sample (null when the pipeline refused it).</summary>
public sealed record CachedTrainingChild(int Index, SpinalLineSample? Sample);

/// <summary>The file <c>bench fit --samples</c> keeps: the training batch's seed and world, and each child analysed so far.</summary>
public sealed record TrainingSampleFile(int TrainingSeed, IReadOnlyList<CachedTrainingChild> Children, string World = "base");

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(TrainingSampleFile))]
internal sealed partial class TrainingSampleJsonContext : JsonSerializerContext;

/// <summary>
/// Keeps the training children's samples (symmetry line, landmarks, truth) between fits: rendering and analysing a
/// child takes about a second of one core, the fit itself a minute, so trying a fitting change on thousands of
/// children should not re-render them. The samples are the standing pipeline's output, so a cache made by another
/// version of it is refused (the first cached child is analysed again and compared).
/// </summary>
public static class TrainingSampleCache
{
    /// <summary>Reads <paramref name="file"/>; a clear error when it is damaged or from another training batch.</summary>
    public static Dictionary<int, SpinalLineSample?> Read(FileInfo file, int trainingSeed, string world = "base")
    {
        ArgumentNullException.ThrowIfNull(file);
        TrainingSampleFile? content;
        try
        {
            using var stream = file.OpenRead();
            content = JsonSerializer.Deserialize(stream, TrainingSampleJsonContext.Default.TrainingSampleFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file.FullName} is not a training-sample cache ({e.Message}). Delete it, or name another file, and the children are analysed again.", e);
        }

        if (content?.Children is null)
        {
            throw new InvalidDataException($"{file.FullName} holds no training children. Delete it, or name another file.");
        }

        if (content.TrainingSeed != trainingSeed)
        {
            throw new InvalidDataException($"{file.FullName} holds children of training batch {content.TrainingSeed}, not {trainingSeed}. Delete it, or name another file.");
        }

        if (!string.Equals(content.World, world, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{file.FullName} holds children of the world '{content.World}', not '{world}'. Delete it, or name another file.");
        }

        var children = new Dictionary<int, SpinalLineSample?>();
        foreach (var child in content.Children)
        {
            if (child.Index < 1 || !children.TryAdd(child.Index, child.Sample))
            {
                throw new InvalidDataException($"{file.FullName} lists child {child.Index} {(child.Index < 1 ? "(indices start at 1)" : "twice")}. Delete it, or name another file.");
            }
        }

        return children;
    }

    /// <summary>
    /// Whether <paramref name="cached"/> is what the current pipeline makes of that child (<paramref name="fresh"/>):
    /// the same refusal, or the same symmetry line and landmarks to a micrometre.
    /// </summary>
    public static bool Agrees(SpinalLineSample? cached, SpinalLineSample? fresh)
    {
        if (cached is null || fresh is null)
        {
            return cached is null && fresh is null;
        }

        static bool Same(double a, double b) => Math.Abs(a - b) < 1e-3 || (double.IsNaN(a) && double.IsNaN(b));
        return cached.SymmetryLine.Length == fresh.SymmetryLine.Length
            && Same(cached.C7B, fresh.C7B)
            && Same(cached.DimpleMidB, fresh.DimpleMidB)
            && cached.SymmetryLine.Zip(fresh.SymmetryLine).All(p =>
                Same(p.First.LateralMm, p.Second.LateralMm) && Same(p.First.RotationDeg, p.Second.RotationDeg) && Same(p.First.HeightMm, p.Second.HeightMm));
    }

    /// <summary>Writes the cache next to <paramref name="file"/> and then moves it over, so a killed fit leaves the old file whole.</summary>
    public static void Write(FileInfo file, int trainingSeed, IReadOnlyDictionary<int, SpinalLineSample?> children, string world = "base")
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(children);
        var content = new TrainingSampleFile(trainingSeed, [.. children.OrderBy(c => c.Key).Select(c => new CachedTrainingChild(c.Key, c.Value))], world);
        var staging = file.FullName + ".writing";
        using (var stream = File.Create(staging))
        {
            JsonSerializer.Serialize(stream, content, TrainingSampleJsonContext.Default.TrainingSampleFile);
        }

        File.Move(staging, file.FullName, overwrite: true);
    }
}
