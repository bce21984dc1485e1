namespace SpineScan.Core.Analysis;

/// <summary>A reason a capture cannot be measured, with the plain message the screener sees.</summary>
/// <param name="Code">Stable machine code (snake_case).</param>
/// <param name="Message">What is wrong and what to do, in words for the screener.</param>
public sealed record QualityIssue(string Code, string Message)
{
    public static QualityIssue NoFrames { get; } = new("no_frames", "The capture holds no depth frames. Capture again.");

    public static QualityIssue Nobody { get; } = new("nobody_in_view", "Nobody is in view. Ask the child to stand on the footprints with their back to the camera.");

    public static QualityIssue TwoPeople { get; } = new("two_people", "More than one person is in view. Ask everyone but the child to step out of the picture.");

    public static QualityIssue Moved { get; } = new("child_moved", "The child moved during the capture. Ask them to stand still and breathe out, then capture again.");

    public static QualityIssue WrongPoseExpectedStanding { get; } = new("wrong_pose", "This looks like a forward bend, but a standing capture was expected. Ask the child to stand upright.");

    public static QualityIssue WrongPoseExpectedBend { get; } = new("wrong_pose", "This looks like a standing child, but a forward-bend capture was expected. Ask the child to bend forward, arms hanging, until the back is level.");

    public static QualityIssue TooFewPixels { get; } = new("too_few_valid_pixels", "Too little of the back was measured (strong light, a reflective top, or the child is partly out of view). Check the back is bare and in view, then capture again.");

    public static QualityIssue TooNear(double distanceMm, double minimumMm) =>
        new("too_near", FormattableString.Invariant($"The child is too near ({distanceMm / 1000:0.00} m). Ask them to step back to at least {minimumMm / 1000:0.0} m."));

    public static QualityIssue TooFar(double distanceMm, double maximumMm) =>
        new("too_far", FormattableString.Invariant($"The child is too far away ({distanceMm / 1000:0.00} m). Ask them to step closer, to at most {maximumMm / 1000:0.0} m."));

    public static QualityIssue OffCentre(double offsetMm) =>
        new("off_centre", FormattableString.Invariant($"The child stands {Math.Abs(offsetMm) / 10:0} cm to the {(offsetMm > 0 ? "right" : "left")} of the centre line. Ask them to step {(offsetMm > 0 ? "left" : "right")}."));

    public static QualityIssue CutOff(string side) =>
        new("cut_off", $"The child's body is cut off at the {side} of the picture. Centre the child and check the camera height.");

    public static QualityIssue CameraTilted(double pitchDeg, double rollDeg, double limitDeg) =>
        new("camera_tilted", FormattableString.Invariant($"The camera is tilted (pitch {pitchDeg:0.0}°, roll {rollDeg:0.0}°; at most {limitDeg:0}° allowed). Level the camera or re-run its calibration."));

    public static QualityIssue Covered(string what) =>
        new("landmarks_covered", $"{what} Then capture again.");
}

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
    /// burst of a third of a second they change it by well under 15 mm; a step is 80 mm or more.
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
