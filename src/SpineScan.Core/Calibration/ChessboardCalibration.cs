using System.Globalization;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Calibration;

/// <summary>A planar chessboard: inner corners across (<paramref name="Cols"/>) and down (<paramref name="Rows"/>), square side in mm.</summary>
public sealed record ChessboardPattern(int Cols = 9, int Rows = 6, double SquareMm = 25)
{
    public static ChessboardPattern Default { get; } = new();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Cols}x{Rows} inner corners, {SquareMm:0.#} mm squares");
}

/// <summary>One infrared image given to the chessboard calibration: used, or rejected and why.</summary>
public sealed record ChessboardView(string Name, bool Used, string? Reason);

/// <summary>
/// What a chessboard calibration of the infrared stream found: the camera matrix, the Brown-Conrady coefficients
/// (k1, k2, p1, p2, k3), the RMS reprojection error in pixels over the used views, and each view's fate.
/// </summary>
public sealed record ChessboardCalibration(
    int Width,
    int Height,
    double Fx,
    double Fy,
    double Cx,
    double Cy,
    IReadOnlyList<double> Distortion,
    double RmsReprojectionPx,
    ChessboardPattern Pattern,
    IReadOnlyList<ChessboardView> Views)
{
    public int UsedViews => Views.Count(v => v.Used);
}

/// <summary>
/// The port to a chessboard calibration of infrared images (OpenCV in <c>SpineScan.Imaging</c>). Throws
/// <see cref="CalibrationInputException"/> with a plain message when the images cannot give one.
/// </summary>
public interface IChessboardCalibrator
{
    /// <param name="imagePaths">8-bit infrared images of the board at different poses.</param>
    /// <param name="pattern">The board.</param>
    /// <param name="width">The image width the device's intrinsics are for (every image must have it).</param>
    /// <param name="height">The image height the device's intrinsics are for.</param>
    ChessboardCalibration Calibrate(IReadOnlyList<string> imagePaths, ChessboardPattern pattern, int width, int height);
}

/// <summary>The chessboard result against the device's own intrinsics.</summary>
/// <param name="FxErrorPct">Device fx against the chessboard's, in percent of the chessboard's.</param>
/// <param name="FyErrorPct">Device fy against the chessboard's, in percent.</param>
/// <param name="PrincipalPointErrorPx">Distance between the two principal points, in pixels.</param>
/// <param name="Failures">Plain-words failures (empty: the device's intrinsics hold).</param>
public sealed record ChessboardComparison(double FxErrorPct, double FyErrorPct, double PrincipalPointErrorPx, double RmsReprojectionPx, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;

    /// <summary>Compares <paramref name="chessboard"/> with <paramref name="device"/> under <paramref name="tolerances"/>.</summary>
    public static ChessboardComparison Compare(ChessboardCalibration chessboard, CameraIntrinsics device, CalibrationTolerances tolerances)
    {
        ArgumentNullException.ThrowIfNull(chessboard);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(tolerances);
        var fx = 100 * (device.Fx - chessboard.Fx) / chessboard.Fx;
        var fy = 100 * (device.Fy - chessboard.Fy) / chessboard.Fy;
        var pp = Math.Sqrt(((device.Cx - chessboard.Cx) * (device.Cx - chessboard.Cx)) + ((device.Cy - chessboard.Cy) * (device.Cy - chessboard.Cy)));
        var failures = new List<string>();
        if (!(chessboard.RmsReprojectionPx <= tolerances.MaxReprojectionErrorPx))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"The chessboard's reprojection error is {chessboard.RmsReprojectionPx:0.00} px (at most {tolerances.MaxReprojectionErrorPx:0.0#}): the board was blurred, bent or badly lit; hold a flat board still, light it evenly and capture the views again."));
        }

        if (Math.Abs(fx) > tolerances.MaxFocalErrorPct || Math.Abs(fy) > tolerances.MaxFocalErrorPct)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"The device's focal length is {fx:+0.0;-0.0} % (fx) and {fy:+0.0;-0.0} % (fy) off the chessboard's ({chessboard.Fx:0.0}, {chessboard.Fy:0.0} px; at most {tolerances.MaxFocalErrorPct:0.#} %): check --square-mm and --chessboard-size; if they are right, the camera's factory calibration is wrong and it needs service."));
        }

        if (pp > tolerances.MaxPrincipalPointErrorPx)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"The device's principal point ({device.Cx:0.0}, {device.Cy:0.0}) is {pp:0.0} px from the chessboard's ({chessboard.Cx:0.0}, {chessboard.Cy:0.0}; at most {tolerances.MaxPrincipalPointErrorPx:0.#} px): capture views with the board in every part of the picture; if it stays, the camera needs service."));
        }

        return new ChessboardComparison(fx, fy, pp, chessboard.RmsReprojectionPx, failures);
    }

    /// <summary>One line for the summary and the file.</summary>
    public string Describe(ChessboardCalibration chessboard) => string.Create(CultureInfo.InvariantCulture,
        $"chessboard ({chessboard.Pattern}) on {chessboard.UsedViews} of {chessboard.Views.Count} infrared views: fx {chessboard.Fx:0.0}, fy {chessboard.Fy:0.0}, cx {chessboard.Cx:0.0}, cy {chessboard.Cy:0.0}, reprojection error {RmsReprojectionPx:0.000} px RMS; the device's own differ by {FxErrorPct:+0.00;-0.00} % (fx), {FyErrorPct:+0.00;-0.00} % (fy), {PrincipalPointErrorPx:0.0} px (principal point): {(Passed ? "they hold" : "they do NOT hold")}");
}
