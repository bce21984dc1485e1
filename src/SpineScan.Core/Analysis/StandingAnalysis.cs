using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>
/// A standing capture analysed once (<see cref="ScreeningAnalyzer.AnalyzeStanding"/>): its quality verdict, its
/// measurements and the fused depth frame they were made on, kept until the forward bend completes the screening
/// (<see cref="ScreeningAnalyzer.Complete"/>). Owns the fused frame.
/// </summary>
public sealed class StandingAnalysis : IDisposable
{
    internal StandingAnalysis(
        ScreeningResult measured,
        DepthFrame? fused,
        CameraIntrinsics intrinsics,
        IReadOnlyDictionary<string, double> poseTimings,
        IReadOnlyDictionary<string, double> measureTimings,
        double elapsedMs)
    {
        Measured = measured;
        Fused = fused;
        Intrinsics = intrinsics;
        PoseTimings = poseTimings;
        MeasureTimings = measureTimings;
        ElapsedMs = elapsedMs;
    }

    /// <summary>The standing measurements (landmarks, spinal line, Cobb estimate, posture), not yet categorised.</summary>
    public ScreeningResult Measured { get; }

    /// <summary>True when the standing capture passed every gate and was measured.</summary>
    public bool Accepted => Measured.Issues.Count == 0;

    /// <summary>What stopped the measurement (empty when accepted).</summary>
    public IReadOnlyList<CaptureFinding> Issues => Measured.Issues;

    /// <summary>The burst's fused depth (trimmed mean ignoring dropouts) the measurements were made on; null without frames.</summary>
    public DepthFrame? Fused { get; }

    /// <summary>The intrinsics of <see cref="Fused"/>.</summary>
    public CameraIntrinsics Intrinsics { get; }

    internal IReadOnlyDictionary<string, double> PoseTimings { get; }

    internal IReadOnlyDictionary<string, double> MeasureTimings { get; }

    internal double ElapsedMs { get; }

    public void Dispose() => Fused?.Dispose();
}
