using Xunit.Abstractions;
using SpineScan.Core.Calibration;
using SpineScan.Core.Depth;
using SpineScan.Imaging.Calibration;
using SpineScan.Phantom;

namespace SpineScan.Imaging.Tests.Calibration;

/// <summary>The chessboard calibration on phantom infrared views written as real PNG files, with real OpenCV.</summary>
public sealed class OpenCvChessboardCalibratorTests(ITestOutputHelper output) : IDisposable
{
    private static readonly CameraIntrinsics Camera = CameraIntrinsics.RealSenseD435 with { K1 = -0.05, K2 = 0.02 };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-chess-" + Guid.NewGuid().ToString("N"));

    private List<string> Write(int views, int seed)
    {
        var images = PhantomChessboard.Render(Camera, ChessboardPattern.Default, views, seed);
        var paths = new List<string>();
        for (var i = 0; i < images.Count; i++)
        {
            var path = Path.Combine(_root, $"ir-{i:00}.png");
            OpenCvChessboardCalibrator.WritePng(path, images[i], Camera.Width, Camera.Height);
            paths.Add(path);
        }

        return paths;
    }

    [Fact]
    public void Calibrate_PhantomViews_RecoversTheCamera()
    {
        var result = new OpenCvChessboardCalibrator().Calibrate(Write(12, 7001), ChessboardPattern.Default, Camera.Width, Camera.Height);

        output.WriteLine(FormattableString.Invariant($"views {result.UsedViews}/{result.Views.Count} fx {100 * (result.Fx - Camera.Fx) / Camera.Fx:+0.000;-0.000} % fy {100 * (result.Fy - Camera.Fy) / Camera.Fy:+0.000;-0.000} % cx {result.Cx - Camera.Cx:+0.00;-0.00} px cy {result.Cy - Camera.Cy:+0.00;-0.00} px k1 {result.Distortion[0]:0.0000} k2 {result.Distortion[1]:0.0000} rms {result.RmsReprojectionPx:0.000} px"));
        Assert.InRange(result.UsedViews, 10, 12);
        Assert.InRange(Math.Abs(result.Fx - Camera.Fx) / Camera.Fx, 0, 0.01);
        Assert.InRange(Math.Abs(result.Fy - Camera.Fy) / Camera.Fy, 0, 0.01);
        Assert.InRange(Math.Abs(result.Cx - Camera.Cx), 0, 3);
        Assert.InRange(Math.Abs(result.Cy - Camera.Cy), 0, 3);
        Assert.InRange(result.RmsReprojectionPx, 0, 0.5);
        Assert.True(ChessboardComparison.Compare(result, Camera, CalibrationTolerances.Default).Passed);
        var wrong = ChessboardComparison.Compare(result, Camera with { Fx = Camera.Fx * 1.05, Fy = Camera.Fy * 1.05 }, CalibrationTolerances.Default);
        Assert.False(wrong.Passed);
        Assert.StartsWith("The device's focal length is +", wrong.Failures[0], StringComparison.Ordinal);
        Assert.Contains("at most 2 %", wrong.Failures[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_TooFewViewsWrongSizeNotAnImage_ClearErrors()
    {
        var two = Write(2, 7002);
        var blank = Path.Combine(_root, "blank.png");
        OpenCvChessboardCalibrator.WritePng(blank, new byte[Camera.Width * Camera.Height], Camera.Width, Camera.Height);
        var junk = Path.Combine(_root, "junk.png");
        File.WriteAllText(junk, "not a png");
        var calibrator = new OpenCvChessboardCalibrator();

        var few = Assert.Throws<CalibrationInputException>(() => calibrator.Calibrate([.. two, blank], ChessboardPattern.Default, Camera.Width, Camera.Height));
        var size = Assert.Throws<CalibrationInputException>(() => calibrator.Calibrate(two, ChessboardPattern.Default, 640, 480));
        var unreadable = Assert.Throws<CalibrationInputException>(() => calibrator.Calibrate([junk], ChessboardPattern.Default, Camera.Width, Camera.Height));

        Assert.StartsWith("The chessboard (9x6 inner corners, 25 mm squares) was found in 2 of 3 infrared images; at least 3", few.Message, StringComparison.Ordinal);
        Assert.Contains("at different angles", few.Message, StringComparison.Ordinal);
        Assert.Contains("is 848x480 but the depth stream's intrinsics are for 640x480", size.Message, StringComparison.Ordinal);
        Assert.Contains("is not a readable image", unreadable.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
