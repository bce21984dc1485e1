using SpineScan.Device.Calibration;
using SpineScan.Host.Commands;
using SpineScan.Imaging.Replay;
using SpineScan.Phantom;
using SpineScan.Testing;

namespace SpineScan.Host.Tests.Commands;

/// <summary>The calibration verbs on phantom captures written in the replay format, as a technician's captures would be.</summary>
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-calibrate-" + Guid.NewGuid().ToString("N"));

    // The installation captures of one phantom camera (pitched 2 deg down, rolled 1 deg, depth 1 % long) and a child it sees.
    private string WriteInstallation(int seed)
    {
        var camera = new PhantomOptions { Seed = seed, CameraPitchDeg = 2, CameraRollDeg = 1, DepthScaleError = 0.01 };
        using var scenes = PhantomCalibrationScenes.Render(camera, [1000, 1600]);
        ReplayCaptureWriter.Write(scenes.EmptyStanding, Path.Combine(_root, "empty"));
        ReplayCaptureWriter.Write(scenes.EmptyForwardBend, Path.Combine(_root, "empty-bend"));
        ReplayCaptureWriter.Write(scenes.Boards[0].Capture, Path.Combine(_root, "board-1000"));
        ReplayCaptureWriter.Write(scenes.Boards[1].Capture, Path.Combine(_root, "board-1600"));
        using var child = PhantomGenerator.Generate(camera);
        ReplayCaptureWriter.Write(child.Standing, Path.Combine(_root, "child", "standing"));
        return Path.Combine(_root, "calibration.json");
    }

    [Fact]
    public void Calibrate_InstallationCaptures_WritesAPassedFileThatAnalyzeAndCheckUse()
    {
        var file = WriteInstallation(5101);

        var (code, output, error) = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate",
            Path.Combine(_root, "empty"), Path.Combine(_root, "empty-bend"),
            "--board", Path.Combine(_root, "board-1000") + "=1000", "--board", Path.Combine(_root, "board-1600") + "=1600", "--out", file);

        Assert.True(code == 0, output + error);
        Assert.Contains("PASSED", output, StringComparison.Ordinal);
        Assert.Contains("pitch +2.0", output, StringComparison.Ordinal);
        Assert.Contains("Depth scale: the camera reads +", output, StringComparison.Ordinal);
        var calibration = CalibrationFile.Read(file);
        Assert.InRange(calibration.DepthScale, 1.004, 1.016);
        Assert.Equal("PHANTOM-5101", calibration.Device.Serial);
        Assert.NotNull(calibration.ForwardBend);

        var (checkCode, checkOutput, _) = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", "--check", Path.Combine(_root, "empty"), "--calibration", file);
        Assert.Equal(0, checkCode);
        Assert.Contains("the stand has not moved", checkOutput, StringComparison.Ordinal);

        var (plainCode, plain, _) = CommandRunner.Invoke(AnalyzeCommand.Create(), "analyze", Path.Combine(_root, "child", "standing"), "--json");
        var (calibratedCode, calibrated, _) = CommandRunner.Invoke(AnalyzeCommand.Create(), "analyze", Path.Combine(_root, "child", "standing"), "--json", "--calibration", file);
        Assert.Equal((0, 0), (plainCode, calibratedCode));
        Assert.Contains("\"code\":\"uncalibrated\"", plain, StringComparison.Ordinal);
        Assert.Contains("\"calibrationId\":null", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("uncalibrated", calibrated, StringComparison.Ordinal);
        Assert.Contains($"\"calibrationId\":\"{calibration.Id}\"", calibrated, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_CaptureFromAnotherCamera_RefusesTheCalibrationInOneLine()
    {
        var file = WriteInstallation(5102);
        Assert.Equal(0, CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", Path.Combine(_root, "empty"), "--out", file).ExitCode);
        using (var other = PhantomGenerator.Generate(new PhantomOptions { Seed = 5103 }))
        {
            ReplayCaptureWriter.Write(other.Standing, Path.Combine(_root, "other"));
        }

        var (code, _, error) = CommandRunner.Invoke(AnalyzeCommand.Create(), "analyze", Path.Combine(_root, "other"), "--calibration", file);

        Assert.Equal(2, code);
        Assert.StartsWith("error: the capture comes from camera PHANTOM-5103 but the calibration PHANTOM-5102-", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_BadBoardArgumentAndNoFloor_ClearErrorsExit2()
    {
        using (var up = PhantomCalibrationScenes.Render(new PhantomOptions { Seed = 5104, CameraPitchDeg = -25 }, []))
        {
            ReplayCaptureWriter.Write(up.EmptyStanding, Path.Combine(_root, "up"));
        }

        var noFloor = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", Path.Combine(_root, "up"), "--out", Path.Combine(_root, "c.json"));
        var badBoard = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", Path.Combine(_root, "up"), "--board", "somewhere", "--out", Path.Combine(_root, "c.json"));

        Assert.Equal(2, noFloor.ExitCode);
        Assert.StartsWith("error: No floor in view in the empty scene", noFloor.Error, StringComparison.Ordinal);
        Assert.Equal(2, badBoard.ExitCode);
        Assert.Contains("must be DIR=MM", badBoard.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "c.json")));
    }

    private string WriteChessboard(SpineScan.Core.Depth.CameraIntrinsics camera, int views, string name)
    {
        var folder = Path.Combine(_root, name);
        var images = PhantomChessboard.Render(camera, SpineScan.Core.Calibration.ChessboardPattern.Default, views, 7101);
        for (var i = 0; i < images.Count; i++)
        {
            SpineScan.Imaging.Calibration.OpenCvChessboardCalibrator.WritePng(Path.Combine(folder, $"ir-{i:00}.png"), images[i], camera.Width, camera.Height);
        }

        return folder;
    }

    [Fact]
    public void Calibrate_WithChessboard_WritesTheReprojectionErrorAndFailsAWrongDevice()
    {
        var file = WriteInstallation(5105);
        SpineScan.Core.Depth.CameraIntrinsics device;
        using (var empty = ReplayCaptureReader.Read(Path.Combine(_root, "empty")))
        {
            device = empty.Intrinsics;
        }

        var right = WriteChessboard(device, 10, "ir");
        var scaled = WriteChessboard(device with { Fx = device.Fx * 1.05, Fy = device.Fy * 1.05 }, 10, "ir-other");
        var few = WriteChessboard(device, 2, "ir-few");

        var (code, output, error) = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", Path.Combine(_root, "empty"), "--chessboard", right, "--out", file);
        var written = File.ReadAllText(file);
        var (wrongCode, wrongOutput, _) = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", Path.Combine(_root, "empty"), "--chessboard", scaled, "--out", Path.Combine(_root, "wrong.json"));
        var (fewCode, _, fewError) = CommandRunner.Invoke(CalibrateCommand.Create(), "calibrate", Path.Combine(_root, "empty"), "--chessboard", few, "--out", file);

        Assert.True(code == 0, output + error);
        Assert.Contains("Chessboard: reprojection error 0.", output, StringComparison.Ordinal);
        Assert.Contains("they hold", output, StringComparison.Ordinal);
        var calibration = CalibrationFile.Read(file);
        Assert.NotNull(calibration.Chessboard);
        Assert.InRange(calibration.Chessboard.RmsReprojectionPx, 0, 0.5);
        Assert.True(calibration.ChessboardComparison!.Passed);
        Assert.Equal(1, wrongCode);
        Assert.Contains("FAILED: The device's focal length is -4.", wrongOutput, StringComparison.Ordinal);
        Assert.Equal(2, fewCode);
        Assert.StartsWith("error: The chessboard (9x6 inner corners, 25 mm squares) was found in 2 of 2", fewError, StringComparison.Ordinal);
        Assert.Equal(written, File.ReadAllText(file));
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
