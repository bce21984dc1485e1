using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Calibration;

/// <summary>
/// What a calibration must meet to pass, and how far a daily check may drift before the stand counts as moved.
/// </summary>
/// <param name="MaxStandTiltDeg">Largest pitch or roll of the standing head (the analysis corrects it; beyond this the stand is set up wrong).</param>
/// <param name="MaxDepthScaleErrorPct">Largest depth scale error the boards may show (the analysis corrects it; beyond this the camera needs service).</param>
/// <param name="MaxBoardBiasMm">
/// Largest depth bias at a board after the scale correction: with two boards it is the constant offset the scale leaves, and
/// 2 mm of tape error at each board moves it by about 5 mm, so it is loose.
/// </param>
/// <param name="MaxBoardNoiseMm">Largest per-frame depth noise (plane residual RMS) at a board.</param>
/// <param name="MaxBoardFlatnessMm">Largest departure of the fused board from its plane (RMS): more is a bent board or uneven depth.</param>
/// <param name="MovedTiltDeg">Daily check: a pitch or roll change beyond this means the stand was moved.</param>
/// <param name="MovedHeightMm">Daily check: a camera height change beyond this means the stand was moved.</param>
/// <param name="MovedWallMm">Daily check: a change of the distance to the wall beyond this means the stand was moved.</param>
/// <param name="ValidDays">A calibration expires this many days after it was made.</param>
/// <param name="MaxFocalErrorPct">Largest difference of the device's fx or fy from the chessboard's, in percent.</param>
/// <param name="MaxPrincipalPointErrorPx">Largest distance of the device's principal point from the chessboard's, in pixels.</param>
/// <param name="MaxReprojectionErrorPx">Largest RMS reprojection error of the chessboard calibration, in pixels.</param>
public sealed record CalibrationTolerances(
    double MaxStandTiltDeg = 6,
    double MaxDepthScaleErrorPct = 3,
    double MaxBoardBiasMm = 25,
    double MaxBoardNoiseMm = 8,
    double MaxBoardFlatnessMm = 4,
    double MovedTiltDeg = 0.5,
    double MovedHeightMm = 15,
    double MovedWallMm = 30,
    int ValidDays = 180,
    double MaxFocalErrorPct = 2,
    double MaxPrincipalPointErrorPx = 10,
    double MaxReprojectionErrorPx = 0.5)
{
    public static CalibrationTolerances Default { get; } = new();
}

/// <summary>The camera's pose against the room, from the empty scene.</summary>
/// <param name="Pose">The head position it was captured at (standing, or raised for the forward bend).</param>
/// <param name="Floor">The floor plane in camera millimetres (normal up, toward the camera), depth scale corrected.</param>
/// <param name="Wall">The wall plane, when one faces the camera.</param>
/// <param name="PitchDeg">Camera pitch against gravity (positive looks down).</param>
/// <param name="RollDeg">Camera roll against gravity.</param>
/// <param name="HeightMm">Camera height above the floor.</param>
/// <param name="WallDistanceMm">Distance from the camera to the wall along the floor (null: no wall in view).</param>
/// <param name="FloorResidualMm">RMS of the fused floor samples about the fitted plane.</param>
/// <param name="FloorSamples">How many samples the floor fit rests on.</param>
public sealed record CameraPoseCalibration(
    CapturePose Pose,
    Plane Floor,
    Plane? Wall,
    double PitchDeg,
    double RollDeg,
    double HeightMm,
    double? WallDistanceMm,
    double FloorResidualMm,
    int FloorSamples)
{
    /// <summary>The gravity-aligned body frame this pose gives (the same construction as a floor seen in a capture).</summary>
    public BodyFrame Frame => BodyFrame.FromFloor(Floor);
}

/// <summary>The flat board at one distance: depth bias and noise.</summary>
/// <param name="NominalDistanceMm">The distance the technician measured (camera front to board, along the optical axis).</param>
/// <param name="MeasuredDistanceMm">The board plane's distance on the optical axis as the camera reads it (before correction).</param>
/// <param name="BiasMm">Measured after the scale correction minus nominal.</param>
/// <param name="NoiseMm">Median per-frame RMS of the board's depth about its plane.</param>
/// <param name="FlatnessMm">RMS of the fused board about its plane (bend of the board, or uneven depth).</param>
/// <param name="Samples">Board samples the fit rests on.</param>
public sealed record BoardMeasurement(double NominalDistanceMm, double MeasuredDistanceMm, double BiasMm, double NoiseMm, double FlatnessMm, int Samples);

/// <summary>The verdict: passed, or the failures in plain words.</summary>
public sealed record CalibrationVerdict(bool Passed, IReadOnlyList<string> Failures);

/// <summary>
/// One device's calibration: its camera pose against floor and wall for each head position, its depth scale, bias and
/// noise, the intrinsics it was made with, the tolerances and the verdict. Made by <see cref="CalibrationSolver"/>.
/// </summary>
public sealed record DeviceCalibration
{
    /// <summary>Identifies the calibration in every analysis made with it (device serial and creation time).</summary>
    public required string Id { get; init; }

    public required CaptureDevice Device { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The intrinsics the captures carried (the device's own factory calibration).</summary>
    public required CameraIntrinsics Intrinsics { get; init; }

    /// <summary>What was checked about the intrinsics, in plain words.</summary>
    public required string IntrinsicsCheck { get; init; }

    /// <summary>The chessboard calibration of the infrared stream, when one was given; null otherwise.</summary>
    public ChessboardCalibration? Chessboard { get; init; }

    /// <summary>The chessboard result against the device's intrinsics, when a chessboard was given.</summary>
    public ChessboardComparison? ChessboardComparison { get; init; }

    public required CameraPoseCalibration Standing { get; init; }

    /// <summary>The head raised for the forward bend; null when not captured (the forward bend then reads its floor).</summary>
    public CameraPoseCalibration? ForwardBend { get; init; }

    /// <summary>Depth the camera reads per true depth (1.01: 1 % long); 1 without boards.</summary>
    public required double DepthScale { get; init; }

    public required IReadOnlyList<BoardMeasurement> Boards { get; init; }

    public required CalibrationTolerances Tolerances { get; init; }

    public required CalibrationVerdict Verdict { get; init; }

    /// <summary>When the calibration stops being valid.</summary>
    public DateTimeOffset ExpiresAt => CreatedAt.AddDays(Tolerances.ValidDays);

    /// <summary>The pose calibration for a capture pose, or null.</summary>
    public CameraPoseCalibration? For(CapturePose pose) => pose == CapturePose.Standing ? Standing : ForwardBend;
}

/// <summary>A calibration input that cannot give a calibration; the message says what was wrong and what to do.</summary>
public sealed class CalibrationInputException(string message) : Exception(message);
