using SpineScan.Core.Calibration;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Calibration;

public sealed class ChessboardComparisonTests
{
    private static readonly CameraIntrinsics Device = CameraIntrinsics.RealSenseD435;

    private static ChessboardCalibration Board(double scale, double cxShift, double rms) => new(
        Device.Width, Device.Height, Device.Fx * scale, Device.Fy * scale, Device.Cx + cxShift, Device.Cy, [0, 0, 0, 0, 0], rms, ChessboardPattern.Default, [new("a.png", true, null)]);

    [Fact]
    public void Compare_WithinTolerances_Passes()
    {
        Assert.True(ChessboardComparison.Compare(Board(1.01, 4, 0.2), Device, CalibrationTolerances.Default).Passed);
    }

    [Fact]
    public void Compare_FocalPrincipalPointAndRmsOff_FailsWithEach()
    {
        var result = ChessboardComparison.Compare(Board(1.05, 15, 0.8), Device, CalibrationTolerances.Default);

        Assert.Equal(3, result.Failures.Count);
        Assert.StartsWith("The chessboard's reprojection error is 0.80 px", result.Failures[0], StringComparison.Ordinal);
        Assert.StartsWith("The device's focal length is -4.8 %", result.Failures[1], StringComparison.Ordinal);
        Assert.StartsWith("The device's principal point (424.0, 240.0) is 15.0 px", result.Failures[2], StringComparison.Ordinal);
    }
}
