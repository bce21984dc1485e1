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

    /// <summary>
    /// Largest change of the body's depth between two frames of a burst (mm, from each frame's plane, see
    /// <see cref="BurstMotion"/>). Breathing moves the back 1-5 mm over 3-5 s and quiet sway a few mm, so within a
    /// burst of a third of a second (10 frames, time of flight) or a second (30 frames, active stereo, see
    /// <see cref="Capture.CaptureBurst"/>) they change it by well under 15 mm; a step is 80 mm or more.
    /// </summary>
    public double MaxBodyShiftMm { get; init; } = 25;

    /// <summary>
    /// Largest change of the body's orientation toward the camera between two frames (degrees). Sway tilts the body by
    /// well under a degree; a turn of 10 degrees shows as 10 standing and about 5 in the forward bend (seen from 60 degrees above).
    /// </summary>
    public double MaxBodyTurnDeg { get; init; } = 3;

    /// <summary>
    /// Largest area (m²) of a frame whose depth changed by more than 40 mm in patches at least 20 mm wide: a raised or
    /// swung arm changes several hundred cm², the silhouette's flicker and sway only thin bands.
    /// </summary>
    public double MaxMovedAreaM2 { get; init; } = 0.004;

    /// <summary>Least share of the back region that must hold a measurement.</summary>
    public double MinValidShare { get; init; } = 0.6;

    /// <summary>The second-largest object counts as a second person when at least this large (m²).</summary>
    public double SecondPersonMinAreaM2 { get; init; } = 0.1;

    public static CaptureSettings Default { get; } = new();
}
