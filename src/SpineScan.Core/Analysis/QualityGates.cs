namespace SpineScan.Core.Analysis;

/// <summary>Limits of the quality gates (defaults for a kiosk stand; a programme may tune them).</summary>
public sealed record CaptureSettings
{
    public double NearestMm { get; init; } = 800;

    public double FarthestMm { get; init; } = 1800;

    /// <summary>Largest lateral offset of the child from the camera's axis.</summary>
    public double MaxOffCentreMm { get; init; } = 200;

    /// <summary>Largest camera pitch or roll relative to the calibrated pose (or to level when uncalibrated).</summary>
    public double MaxTiltDeg { get; init; } = 8;

    /// <summary>Largest mean frame-to-fused deviation on the body.</summary>
    public double MaxMotionMm { get; init; } = 6;

    /// <summary>Least share of the back region that must hold a measurement.</summary>
    public double MinValidShare { get; init; } = 0.6;

    /// <summary>The second-largest object counts as a second person when at least this large (m²).</summary>
    public double SecondPersonMinAreaM2 { get; init; } = 0.1;

    public static CaptureSettings Default { get; } = new();
}
