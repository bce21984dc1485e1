namespace SpineScan.Core.Analysis;

/// <summary>
/// What a capture's quality gate or a live positioning frame found that stops a measurement: a stable code from
/// <see cref="CaptureFindingCodes"/> and the numbers its text needs. Gates and live guidance share the one list of
/// codes; the words for people (in each language) live with the device's text, not here.
/// </summary>
/// <param name="Code">Stable machine code (snake_case), one of <see cref="CaptureFindingCodes.All"/>.</param>
/// <param name="Values">The numbers the finding's text names, in the units its code documents; empty when none.</param>
public sealed record CaptureFinding(string Code, IReadOnlyList<double> Values)
{
    public static CaptureFinding NoFrames { get; } = new(CaptureFindingCodes.NoFrames, []);

    public static CaptureFinding Nobody { get; } = new(CaptureFindingCodes.Nobody, []);

    public static CaptureFinding TwoPeople { get; } = new(CaptureFindingCodes.TwoPeople, []);

    public static CaptureFinding Moved { get; } = new(CaptureFindingCodes.Moved, []);

    public static CaptureFinding NotStanding { get; } = new(CaptureFindingCodes.NotStanding, []);

    public static CaptureFinding NotBending { get; } = new(CaptureFindingCodes.NotBending, []);

    public static CaptureFinding TooFewPixels { get; } = new(CaptureFindingCodes.TooFewPixels, []);

    public static CaptureFinding ArmsOut { get; } = new(CaptureFindingCodes.ArmsOut, []);

    public static CaptureFinding NeckCovered { get; } = new(CaptureFindingCodes.NeckCovered, []);

    public static CaptureFinding LowerBackCovered { get; } = new(CaptureFindingCodes.LowerBackCovered, []);

    public static CaptureFinding SpineNotFollowed { get; } = new(CaptureFindingCodes.SpineNotFollowed, []);

    public static CaptureFinding BentBackNotFollowed { get; } = new(CaptureFindingCodes.BentBackNotFollowed, []);

    /// <summary>A frame's size differs from the camera's.</summary>
    public static CaptureFinding FrameSize(int width, int height, int expectedWidth, int expectedHeight) =>
        new(CaptureFindingCodes.FrameSize, [width, height, expectedWidth, expectedHeight]);

    /// <summary>The child is nearer than <paramref name="aimMm"/> allows (a gate's limit, or the live guide's target).</summary>
    public static CaptureFinding TooNear(double distanceMm, double aimMm) => new(CaptureFindingCodes.TooNear, [distanceMm, aimMm]);

    /// <summary>The child is farther than <paramref name="aimMm"/> allows (a gate's limit, or the live guide's target).</summary>
    public static CaptureFinding TooFar(double distanceMm, double aimMm) => new(CaptureFindingCodes.TooFar, [distanceMm, aimMm]);

    /// <summary>
    /// The child stands off the camera's axis by <paramref name="offsetMm"/> (+ = right in the picture, as the screener
    /// sees it: the child must step left).
    /// </summary>
    public static CaptureFinding OffCentre(double offsetMm) =>
        new(offsetMm > 0 ? CaptureFindingCodes.StepLeft : CaptureFindingCodes.StepRight, [Math.Abs(offsetMm)]);

    /// <summary>The child touches the picture's left (<paramref name="left"/>) or right edge.</summary>
    public static CaptureFinding CutOff(bool left) => new(CaptureFindingCodes.CutOff, [left ? -1 : 1]);

    /// <summary>The camera's pitch or roll is off the expected pose by more than <paramref name="limitDeg"/>.</summary>
    public static CaptureFinding CameraTilted(double pitchDeg, double rollDeg, double limitDeg) =>
        new(CaptureFindingCodes.CameraTilted, [pitchDeg, rollDeg, limitDeg]);

    /// <summary>A value of <see cref="Values"/>, or NaN when the finding has fewer.</summary>
    public double Value(int index) => index < Values.Count ? Values[index] : double.NaN;
}

/// <summary>
/// The one list of capture-finding codes, for the quality gates and the live guidance alike. Each code names what was
/// found; the values of <see cref="CaptureFinding.Values"/> are listed with it.
/// </summary>
public static class CaptureFindingCodes
{
    /// <summary>The capture holds no frames.</summary>
    public const string NoFrames = "no_frames";

    /// <summary>A frame has another size than the camera: width, height, expected width, expected height (pixels).</summary>
    public const string FrameSize = "frame_size";

    /// <summary>Nobody is in view.</summary>
    public const string Nobody = "nobody_in_view";

    /// <summary>A second person is in view.</summary>
    public const string TwoPeople = "two_people";

    /// <summary>Too near: distance, and the distance to step back to (mm).</summary>
    public const string TooNear = "too_near";

    /// <summary>Too far: distance, and the distance to step closer to (mm).</summary>
    public const string TooFar = "too_far";

    /// <summary>Right of the centre line as the picture shows it, so step left: the offset (mm).</summary>
    public const string StepLeft = "step_left";

    /// <summary>Left of the centre line as the picture shows it, so step right: the offset (mm).</summary>
    public const string StepRight = "step_right";

    /// <summary>The body touches the picture's edge: -1 left, +1 right, 0 either.</summary>
    public const string CutOff = "cut_off";

    /// <summary>The camera is tilted: pitch, roll and, for a gate, the largest allowed tilt (degrees).</summary>
    public const string CameraTilted = "camera_tilted";

    /// <summary>The arms stand out from the body (live guidance).</summary>
    public const string ArmsOut = "arms_out";

    /// <summary>The child moved during the burst.</summary>
    public const string Moved = "child_moved";

    /// <summary>A standing capture was expected but the child bends forward.</summary>
    public const string NotStanding = "not_standing";

    /// <summary>A forward-bend capture was expected but the child stands.</summary>
    public const string NotBending = "not_bending";

    /// <summary>Too little of the back holds a measurement.</summary>
    public const string TooFewPixels = "too_few_valid_pixels";

    /// <summary>The base of the neck (C7) is not visible: hair or clothing covers it.</summary>
    public const string NeckCovered = "neck_covered";

    /// <summary>The lower back (the lumbar dimples) is not visible.</summary>
    public const string LowerBackCovered = "lower_back_covered";

    /// <summary>The spine's line could not be followed from the neck to the lower back.</summary>
    public const string SpineNotFollowed = "spine_not_followed";

    /// <summary>The bent back could not be followed from the pelvis to the shoulders.</summary>
    public const string BentBackNotFollowed = "bent_back_not_followed";

    /// <summary>Every code, in the order a screener would deal with them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        NoFrames, FrameSize, Nobody, TwoPeople, TooNear, TooFar, StepLeft, StepRight, CutOff, CameraTilted, ArmsOut,
        Moved, NotStanding, NotBending, TooFewPixels, NeckCovered, LowerBackCovered, SpineNotFollowed, BentBackNotFollowed,
    ];
}
