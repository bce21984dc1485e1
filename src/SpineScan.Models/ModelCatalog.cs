using System.Security.Cryptography;
using System.Text.Json;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Spine;

namespace SpineScan.Models;

/// <summary>A model file the catalog loaded, with its card.</summary>
/// <param name="Card">The card.</param>
/// <param name="Path">The model file.</param>
public sealed record LoadedModel(ModelCard Card, string Path)
{
    /// <summary>How analysis results name it.</summary>
    public ModelInfo Info => new(Card.Id, Card.Sha256);
}

/// <summary>
/// The model files of one folder (the shipped <c>models/</c> beside the executable by default), each checked against the
/// SHA-256 on its card before use, and the analysis settings they give.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Environment variable that points the hosts at another models folder.</summary>
    public const string DirectoryVariable = "SPINESCAN_MODELS";

    /// <summary>Suffix of a card file: <c>ID.card.json</c> beside the model file.</summary>
    public const string CardSuffix = ".card.json";

    // Cards are read by people: apostrophes and accents as they are, not as \u escapes (the files are UTF-8 JSON).
    private static readonly JsonSerializerOptions Readable = new(ModelJsonContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Lazy<ModelCatalog> ShippedCatalog = new(() => Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    private ModelCatalog(string directory, IReadOnlyList<LoadedModel> models, LoadedModel spinalLine, SpinalLineModel line, CentreLineCobbOptions cobb, SpinalLineModelFile file)
    {
        Directory = directory;
        Models = models;
        SpinalLineFile = spinalLine;
        SpinalLine = line;
        Cobb = cobb;
        CobbInterval = file.Interval;
        Decision = file.Decision;
    }

    /// <summary>The folder the models came from.</summary>
    public string Directory { get; }

    /// <summary>Every model loaded.</summary>
    public IReadOnlyList<LoadedModel> Models { get; }

    /// <summary>The spinal-line model file.</summary>
    public LoadedModel SpinalLineFile { get; }

    public SpinalLineModel SpinalLine { get; }

    public CentreLineCobbOptions Cobb { get; }

    /// <summary>The Cobb readings' interval model, or null.</summary>
    public CobbIntervalModel? CobbInterval { get; }

    /// <summary>The decision probabilities fitted with the model, or null.</summary>
    public FittedDecision? Decision { get; }

    /// <summary>The models shipped with this build (loaded and checked once per process).</summary>
    /// <exception cref="ModelLoadException">A shipped model is missing or does not match its card.</exception>
    public static ModelCatalog Shipped => ShippedCatalog.Value;

    /// <summary><see cref="DirectoryVariable"/> when set, else <c>models/</c> beside the executable.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } custom ? custom : System.IO.Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The analysis settings with this catalog's models (the rest of <paramref name="basis"/> kept).</summary>
    public AnalysisSettings Apply(AnalysisSettings basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return basis with { SpinalLine = SpinalLine, Cobb = Cobb, CobbInterval = CobbInterval, Models = [SpinalLineFile.Info] };
    }

    /// <summary>
    /// The default analysis settings with this catalog's models, and the decision probabilities fitted with them (which
    /// the shipped model's are equal to <see cref="CategoryThresholds.Default"/>'s; a test checks).
    /// </summary>
    public AnalysisSettings Settings() => new()
    {
        SpinalLine = SpinalLine,
        Cobb = Cobb,
        CobbInterval = CobbInterval,
        Models = [SpinalLineFile.Info],
        Thresholds = Decision is { } d ? CategoryThresholds.Default with { ReferProbability = d.ReferProbability, RescreenProbability = d.RescreenProbability } : CategoryThresholds.Default,
    };

    /// <summary>Loads and checks every model of <paramref name="directory"/> (<see cref="DefaultDirectory"/> when null).</summary>
    /// <exception cref="ModelLoadException">A card or model file is missing, unreadable, damaged or changed since its card was written.</exception>
    public static ModelCatalog Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ModelLoadException($"The models folder {directory} does not exist. Reinstall SpineScan, or set {DirectoryVariable} to the folder that holds the model files and their cards.");
        }

        var models = new List<LoadedModel>();
        foreach (var cardPath in System.IO.Directory.EnumerateFiles(directory, "*" + CardSuffix).Order(StringComparer.Ordinal))
        {
            models.Add(Check(cardPath));
        }

        var lines = models.Where(m => m.Card.Kind == ModelKinds.SpinalLine).ToList();
        if (lines.Count != 1)
        {
            throw new ModelLoadException(lines.Count == 0
                ? $"{directory} holds no spinal-line model (a '{ModelKinds.SpinalLine}' card). Reinstall SpineScan or refit it with the lab (models/README.md)."
                : $"{directory} holds {lines.Count} spinal-line models ({string.Join(", ", lines.Select(l => l.Card.Id))}); keep one.");
        }

        var line = lines[0];
        SpinalLineModelFile file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(line.Path), ModelJsonContext.Default.SpinalLineModelFile)
                ?? throw new JsonException("The file holds null.");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{line.Path} is not a spinal-line model file: {e.Message}", e);
        }

        if (file.Schema != SpinalLineModelFile.SchemaV1)
        {
            throw new ModelLoadException($"{line.Path} has schema '{file.Schema}'; this build reads '{SpinalLineModelFile.SchemaV1}'. Use the models shipped with this build.");
        }

        try
        {
            var (model, cobb) = file.ToCore();
            return new ModelCatalog(directory, models, line, model, cobb, file);
        }
        catch (FormatException e)
        {
            throw new ModelLoadException($"{line.Path} does not make a usable spinal-line model: {e.Message}", e);
        }
    }

    /// <summary>Lowercase hex SHA-256 of a file's bytes.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static LoadedModel Check(string cardPath)
    {
        ModelCard card;
        try
        {
            card = JsonSerializer.Deserialize(File.ReadAllBytes(cardPath), ModelJsonContext.Default.ModelCard)
                ?? throw new JsonException("The card holds null.");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"The model card {cardPath} cannot be read: {e.Message}", e);
        }

        if (card.Schema != ModelCard.SchemaV1)
        {
            throw new ModelLoadException($"The model card {cardPath} has schema '{card.Schema}'; this build reads '{ModelCard.SchemaV1}'.");
        }

        if (card.File.Contains('/', StringComparison.Ordinal) || card.File.Contains('\\', StringComparison.Ordinal) || card.File.StartsWith('.'))
        {
            throw new ModelLoadException($"The model card {cardPath} names the file '{card.File}'; a card names a file in its own folder.");
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(cardPath)!, card.File);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"The model file {path} named by {cardPath} is missing. Reinstall SpineScan.");
        }

        var actual = Sha256Of(path);
        if (!string.Equals(actual, card.Sha256, StringComparison.Ordinal))
        {
            throw new ModelLoadException($"The model file {path} has SHA-256 {actual}, but its card says {card.Sha256}: the file was changed or damaged. Reinstall SpineScan, or refit the model with the lab, which writes both.");
        }

        return new LoadedModel(card, path);
    }

    /// <summary>The JSON of a card, as the lab writes it.</summary>
    public static byte[] Serialize(ModelCard card) => JsonSerializer.SerializeToUtf8Bytes(card, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ModelCard>)Readable.GetTypeInfo(typeof(ModelCard)));

    /// <summary>The JSON of a spinal-line model file, as the lab writes it.</summary>
    public static byte[] Serialize(SpinalLineModelFile file) => JsonSerializer.SerializeToUtf8Bytes(file, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<SpinalLineModelFile>)Readable.GetTypeInfo(typeof(SpinalLineModelFile)));

    /// <summary>
    /// Writes a spinal-line model and its card (<c>ID.json</c>, <c>ID.card.json</c>) into <paramref name="directory"/>,
    /// each through a temporary file, and then removes the other spinal-line models there, so the folder holds one.
    /// </summary>
    /// <returns>The card written, with the file's SHA-256.</returns>
    public static ModelCard WriteSpinalLine(string directory, ModelCard card, SpinalLineModel model, CentreLineCobbOptions cobb, CobbIntervalModel? interval = null, FittedDecision? decision = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        System.IO.Directory.CreateDirectory(directory);
        var bytes = Serialize(SpinalLineModelFile.From(model, cobb, interval, decision));
        var written = card with { Kind = ModelKinds.SpinalLine, File = card.Id + ".json", Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
        var previous = System.IO.Directory.EnumerateFiles(directory, "*" + CardSuffix)
            .Select(p => (Path: p, Card: TryReadCard(p)))
            .Where(c => c.Card?.Kind == ModelKinds.SpinalLine && c.Card.Id != card.Id)
            .ToList();
        WriteAtomically(System.IO.Path.Combine(directory, written.File), bytes);
        WriteAtomically(System.IO.Path.Combine(directory, written.Id + CardSuffix), Serialize(written));
        foreach (var (cardPath, old) in previous)
        {
            File.Delete(System.IO.Path.Combine(directory, old!.File));
            File.Delete(cardPath);
        }

        return written;
    }

    private static ModelCard? TryReadCard(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ModelJsonContext.Default.ModelCard);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
