namespace SpineScan.Models;

/// <summary>
/// The card beside a model file (<c>NAME.card.json</c>): what the file is, its SHA-256, how it was made and what it was
/// measured to do. The loader refuses a file whose bytes do not hash to <see cref="Sha256"/>.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The schema of this card.</summary>
    public const string SchemaV1 = "spinescan.model-card/1";

    public string Schema { get; init; } = SchemaV1;

    /// <summary>The model's id (name and version), as analysis results name it.</summary>
    public required string Id { get; init; }

    /// <summary>What the model is for: <see cref="ModelKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The model file, relative to the card's folder.</summary>
    public required string File { get; init; }

    /// <summary>Lowercase hex SHA-256 of the model file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>What it does, in a sentence or two.</summary>
    public required string Description { get; init; }

    /// <summary>The command that made it, from the repository root.</summary>
    public required string Command { get; init; }

    /// <summary>What it was fitted or trained on.</summary>
    public required ModelTraining Training { get; init; }

    /// <summary>Figures measured on data it was not fitted on.</summary>
    public IReadOnlyList<ModelMetric> Metrics { get; init; } = [];

    /// <summary>What it must not be taken for, in plain words.</summary>
    public IReadOnlyList<string> Limits { get; init; } = [];
}

/// <summary>What a model was fitted or trained on.</summary>
/// <param name="World">The data: which renderer and world (ranges of the drawn parameters).</param>
/// <param name="BatchSeed">The phantom batch seed of the training children.</param>
/// <param name="Children">How many training children were generated.</param>
/// <param name="Measured">How many of them the pipeline measured (the rest were refused).</param>
public sealed record ModelTraining(string World, int BatchSeed, int Children, int Measured);

/// <summary>One measured figure of a model.</summary>
/// <param name="Name">What was measured (e.g. <c>cobb_mae_deg</c>).</param>
/// <param name="Value">The value.</param>
/// <param name="World">On which world.</param>
/// <param name="Seed">The held-out batch seed, chosen at the time of measuring.</param>
/// <param name="Count">Children in the batch.</param>
/// <param name="Command">The command that measured it.</param>
public sealed record ModelMetric(string Name, double Value, string World, int Seed, int Count, string Command);

/// <summary>The kinds of model the product runs.</summary>
public static class ModelKinds
{
    /// <summary>The symmetry line to vertebral-body centres and the surface Cobb estimator (<see cref="SpinalLineModelFile"/>).</summary>
    public const string SpinalLine = "spinal-line";
}
