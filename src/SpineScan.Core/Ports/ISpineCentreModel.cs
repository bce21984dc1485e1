using SpineScan.Contracts;
using SpineScan.Core.Analysis;

namespace SpineScan.Core.Ports;

/// <summary>
/// A learned model from the standing back's <see cref="BackGrid"/> to the vertebral-body centres C7..L5 (an ONNX
/// network behind an adapter). The analysis uses its centres in place of the classical reconstruction's when it is sure
/// enough (<see cref="MaxTrustedSigma"/>), and falls back to the classical ones per capture when it is not.
/// </summary>
public interface ISpineCentreModel
{
    /// <summary>The model file it runs (id and SHA-256), named in every result it ran for.</summary>
    ModelInfo Info { get; }

    /// <summary>
    /// The largest median lateral uncertainty (1 sigma, as a share of the trunk length) at which the model's centres are
    /// used; above it the capture falls back to the classical centres.
    /// </summary>
    double MaxTrustedSigma { get; }

    /// <summary>
    /// Predicts, for each level C7..L5, the body centre's lateral position from the chord, its sagittal position over the
    /// back plane (both as shares of the trunk length, <see cref="BackGridFrame"/>) and the lateral position's
    /// uncertainty (1 sigma, same unit).
    /// </summary>
    /// <param name="grid">A <see cref="BackGrid"/> (<see cref="BackGrid.Length"/> floats).</param>
    /// <param name="prediction">Receives <see cref="SpineCentrePrediction.Length"/> floats: lateral, sagittal and sigma, each over the levels.</param>
    void Predict(ReadOnlySpan<float> grid, Span<float> prediction);
}

/// <summary>The layout of an <see cref="ISpineCentreModel"/>'s answer.</summary>
public static class SpineCentrePrediction
{
    /// <summary>Levels C7..L5.</summary>
    public const int Levels = 18;

    /// <summary>Lateral shares, sagittal shares, then lateral sigmas, <see cref="Levels"/> each.</summary>
    public const int Length = 3 * Levels;
}
