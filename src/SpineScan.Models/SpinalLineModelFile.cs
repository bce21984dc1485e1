using SpineScan.Core.Analysis;
using SpineScan.Core.Spine;

namespace SpineScan.Models;

/// <summary>
/// The spinal-line model as a file (<c>spinescan.spinal-line/1</c>): where the levels lie between C7 and the dimples,
/// where each body centre lies from the skin, the line-to-centre filter and its residual network, and the surface
/// Cobb estimator fitted to lines it reconstructs. Numbers are written to round-trip exactly.
/// </summary>
public sealed record SpinalLineModelFile
{
    public const string SchemaV1 = "spinescan.spinal-line/1";

    public string Schema { get; init; } = SchemaV1;

    public required double[] LevelFractions { get; init; }

    public required double[] CentreRaiseMm { get; init; }

    public required double[] CentreDepthMm { get; init; }

    public required double LateralMmPerRotationDeg { get; init; }

    public required double DeviationGain { get; init; }

    /// <summary>Row-major levels x inputs, or null for the per-level gains alone.</summary>
    public double[]? LateralFilter { get; init; }

    /// <summary>The residual network in <see cref="ResidualNetwork.ToBase64"/>'s form, or null.</summary>
    public string? LateralResidual { get; init; }

    public required CobbEstimatorFile Cobb { get; init; }

    /// <summary>The 90 % interval model of the Cobb readings, or null (no intervals: the readings are taken as exact).</summary>
    public CobbIntervalModel? Interval { get; init; }

    /// <summary>
    /// The decision probabilities fitted with this model on the training world (p_refer, p_rescreen); the programme's
    /// defaults in <c>CategoryThresholds</c> must equal them (a test checks), so device and server decide alike.
    /// </summary>
    public FittedDecision? Decision { get; init; }

    /// <summary>The file form of a model.</summary>
    public static SpinalLineModelFile From(SpinalLineModel model, CentreLineCobbOptions cobb, CobbIntervalModel? interval = null, FittedDecision? decision = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(cobb);
        return new SpinalLineModelFile
        {
            LevelFractions = model.LevelFractions,
            CentreRaiseMm = model.CentreRaiseMm,
            CentreDepthMm = model.CentreDepthMm,
            LateralMmPerRotationDeg = model.LateralMmPerRotationDeg,
            DeviationGain = model.DeviationGain,
            LateralFilter = model.LateralFilter,
            LateralResidual = model.LateralResidual?.ToBase64(),
            Cobb = new CobbEstimatorFile(
                cobb.EndTangentWeight, cobb.SoftExtremeScaleDeg, cobb.LinearGain, cobb.SqrtGain, cobb.MinCurveDeg,
                cobb.EndplateMedianGain, cobb.EndplateMedianOffsetDeg, cobb.EndplateTilts),
            Interval = interval,
            Decision = decision,
        };
    }

    /// <summary>The Core model this file describes.</summary>
    /// <exception cref="FormatException">The file's numbers do not make a usable model; the message lists why.</exception>
    public (SpinalLineModel Model, CentreLineCobbOptions Cobb) ToCore()
    {
        var network = LateralResidual is null ? null : ResidualNetwork.FromBase64(LateralResidual);
        var model = new SpinalLineModel(LevelFractions, CentreRaiseMm, CentreDepthMm, LateralMmPerRotationDeg, DeviationGain, LateralFilter, network);
        var c = Cobb;
        var cobb = new CentreLineCobbOptions(c.EndTangentWeight, c.SoftExtremeScaleDeg, c.LinearGain, c.SqrtGain, c.MinCurveDeg, c.EndplateMedianGain, c.EndplateMedianOffsetDeg, c.EndplateTilts);
        var problems = model.Problems().Concat(cobb.Problems()).Concat(Interval?.Problems() ?? []).ToList();
        return problems.Count > 0 ? throw new FormatException(string.Join("; ", problems)) : (model, cobb);
    }
}

/// <summary>The decision probabilities fitted on the training world.</summary>
/// <param name="ReferProbability">p_refer.</param>
/// <param name="RescreenProbability">p_rescreen.</param>
public sealed record FittedDecision(double ReferProbability, double RescreenProbability);

/// <summary>The surface Cobb estimator's fitted settings (<see cref="CentreLineCobbOptions"/>).</summary>
public sealed record CobbEstimatorFile(
    double EndTangentWeight,
    double SoftExtremeScaleDeg,
    double LinearGain,
    double SqrtGain,
    double MinCurveDeg,
    double EndplateMedianGain,
    double EndplateMedianOffsetDeg,
    TiltModelParameters? EndplateTilts = null);
