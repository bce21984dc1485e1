using SpineScan.Contracts;

namespace SpineScan.Core.Spine;

/// <summary>What the capture itself says about how well its Cobb angles can be read.</summary>
/// <param name="TrunkLengthMm">C7 to the dimples' midpoint: a short trunk puts fewer millimetres in a degree.</param>
/// <param name="DistanceMm">Camera to the back: depth noise grows with its square.</param>
/// <param name="ValidShare">Share of the back that holds a measurement.</param>
/// <param name="DepthNoiseMm">The capture's own depth noise (frame to fused), or 0 when unknown.</param>
/// <param name="LineRoughnessMm">RMS of the symmetry line's second differences at 10 mm steps: noise makes it jagged.</param>
/// <param name="SymmetryCost">Mean remaining left-right mismatch of the symmetry line (lower: a cleaner back).</param>
/// <param name="TiltSpreadDeg">Width of the middle 90 % of the endplate Cobb angle the reconstructed line implies under the tilt model.</param>
public readonly record struct CaptureEvidence(
    double TrunkLengthMm,
    double DistanceMm,
    double ValidShare,
    double DepthNoiseMm,
    double LineRoughnessMm,
    double SymmetryCost,
    double TiltSpreadDeg);

/// <summary>
/// The 90 % interval of a Cobb reading from the capture's evidence: the true angle lies below the reading by more than
/// exp(lower . x) with 5 % probability and above it by more than exp(upper . x) with 5 %, where x are
/// <see cref="Features"/> of the reading and its <see cref="CaptureEvidence"/>. Fitted by quantile regression on training
/// children of the randomized world and scaled so that 5 % fall beyond each end there (the lab's <c>bench fit</c>).
/// </summary>
/// <param name="LowerWeights">Weights of the log lower half-width, one per feature.</param>
/// <param name="UpperWeights">Weights of the log upper half-width.</param>
public sealed record CobbIntervalModel(double[] LowerWeights, double[] UpperWeights)
{
    /// <summary>Features: 1, sqrt(angle) / 3, angle / 30, tilt spread / 10, roughness / 2, symmetry cost, distance / 1000 - 1.3, 450 / trunk length, noise / 5, 1 - valid share.</summary>
    public const int FeatureCount = 10;

    // Half-widths are kept within what a screening reading can mean: never under a quarter of a degree, never over 40.
    private const double MinHalfWidthDeg = 0.25;
    private const double MaxHalfWidthDeg = 40;

    /// <summary>The features of a reading of <paramref name="angleDeg"/> with <paramref name="evidence"/>.</summary>
    public static void Features(double angleDeg, in CaptureEvidence evidence, Span<double> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"{FeatureCount} features are needed.", nameof(features));
        }

        var angle = Math.Max(0, angleDeg);
        features[0] = 1;
        features[1] = Math.Sqrt(angle) / 3;
        features[2] = angle / 30;
        features[3] = evidence.TiltSpreadDeg / 10;
        features[4] = Math.Min(evidence.LineRoughnessMm, 10) / 2;
        features[5] = Math.Min(evidence.SymmetryCost, 5);
        features[6] = (evidence.DistanceMm / 1000) - 1.3;
        features[7] = 450 / Math.Max(evidence.TrunkLengthMm, 150);
        features[8] = Math.Min(evidence.DepthNoiseMm, 50) / 5;
        features[9] = 1 - Math.Clamp(evidence.ValidShare, 0, 1);
    }

    /// <summary>Lists what makes this model unusable; empty when it is fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (LowerWeights is null || LowerWeights.Length != FeatureCount || !LowerWeights.All(double.IsFinite)
            || UpperWeights is null || UpperWeights.Length != FeatureCount || !UpperWeights.All(double.IsFinite))
        {
            problems.Add($"the interval model needs {FeatureCount} finite lower and upper weights");
        }

        return problems;
    }

    /// <summary>The 90 % interval of a reading of <paramref name="angleDeg"/> (never below 0).</summary>
    public CobbInterval Interval(double angleDeg, in CaptureEvidence evidence)
    {
        Span<double> x = stackalloc double[FeatureCount];
        Features(angleDeg, evidence, x);
        var (below, above) = HalfWidths(x);
        return new CobbInterval(Math.Max(0, angleDeg - below), angleDeg + above);
    }

    /// <summary>The half-widths below and above the reading for features <paramref name="features"/>.</summary>
    public (double Below, double Above) HalfWidths(ReadOnlySpan<double> features)
    {
        double lower = 0, upper = 0;
        for (var i = 0; i < FeatureCount; i++)
        {
            lower += LowerWeights[i] * features[i];
            upper += UpperWeights[i] * features[i];
        }

        return (Math.Clamp(Math.Exp(lower), MinHalfWidthDeg, MaxHalfWidthDeg), Math.Clamp(Math.Exp(upper), MinHalfWidthDeg, MaxHalfWidthDeg));
    }
}
