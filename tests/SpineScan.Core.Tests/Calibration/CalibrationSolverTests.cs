using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Models;
using SpineScan.Phantom;
using Xunit;

namespace SpineScan.Core.Tests.Calibration;

public class CalibrationSolverTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    // A camera pitched 3 deg down and rolled -2 deg, reading depth 1 % long, with the procedure's boards at 1.0 and 1.6 m.
    private static PhantomOptions TiltedCamera => new() { Seed = 4711, CameraPitchDeg = 3, CameraRollDeg = -2, DepthScaleError = 0.01 };

    private static DeviceCalibration Calibrate(PhantomOptions camera)
    {
        using var scenes = PhantomCalibrationScenes.Render(camera, [1000, 1600]);
        return CalibrationSolver.Solve(scenes.EmptyStanding, scenes.EmptyForwardBend, [.. scenes.Boards.Select(b => new BoardCapture(b.Capture, b.DistanceMm))], CalibrationTolerances.Default, Now);
    }

    [Fact]
    public void Solve_TiltedCameraWithDepthScaleError_RecoversPoseAndScale()
    {
        var calibration = Calibrate(TiltedCamera);
        using var child = PhantomGenerator.Generate(TiltedCamera with { FrameCount = 0 });
        var truth = child.Truth.Standing.Camera;

        // Tenths of a degree of tilt read as tenths of a degree of pelvic obliquity: the pose must be far better than that.
        Assert.InRange(calibration.Standing.PitchDeg - truth.PitchDeg, -0.1, 0.1);
        Assert.InRange(calibration.Standing.RollDeg - truth.RollDeg, -0.1, 0.1);
        Assert.InRange(calibration.DepthScale, 1.005, 1.015);
        Assert.NotNull(calibration.ForwardBend);
        Assert.InRange(calibration.ForwardBend!.PitchDeg - child.Truth.ForwardBend.Camera.PitchDeg, -0.2, 0.2);
        Assert.Equal(2, calibration.Boards.Count);
        Assert.All(calibration.Boards, b => Assert.InRange(b.NoiseMm, 0.5, 8));
        Assert.True(calibration.Verdict.Passed, string.Join(" ", calibration.Verdict.Failures));
        Assert.Equal("PHANTOM-4711-20261203T090000Z", calibration.Id);
        Assert.Equal(Now.AddDays(180), calibration.ExpiresAt);
    }

    [Fact]
    public void Solve_CameraLookingUpAtTheWall_SaysNoFloorInView()
    {
        using var scenes = PhantomCalibrationScenes.Render(new PhantomOptions { Seed = 4712, CameraPitchDeg = -25 }, []);

        var e = Assert.Throws<CalibrationInputException>(() => CalibrationSolver.Solve(scenes.EmptyStanding, null, [], CalibrationTolerances.Default, Now));

        Assert.Contains("No floor in view", e.Message, StringComparison.Ordinal);
        Assert.Contains("capture the empty scene again", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_BowedBoard_SaysTheBoardIsNotFlat()
    {
        var camera = new PhantomOptions { Seed = 4713 };
        using var scenes = PhantomCalibrationScenes.Render(camera, []);
        using var bowed = PhantomGenerator.Generate(camera with { Scene = PhantomScene.Board, BoardDistanceMm = 1200, BoardBowMm = 40, WallGapMm = PhantomCalibrationScenes.WallGapMm });

        var e = Assert.Throws<CalibrationInputException>(() => CalibrationSolver.Solve(scenes.EmptyStanding, null, [new BoardCapture(bowed.Standing, 1200)], CalibrationTolerances.Default, Now));

        Assert.Contains("The board at 1200 mm is not flat", e.Message, StringComparison.Ordinal);
        Assert.Contains("rigid flat board", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_BoardFromAnotherCamera_NamesBothSerials()
    {
        using var scenes = PhantomCalibrationScenes.Render(new PhantomOptions { Seed = 4714 }, [1200]);
        using var other = PhantomCalibrationScenes.Render(new PhantomOptions { Seed = 4715 }, [1200]);

        var e = Assert.Throws<CalibrationInputException>(() => CalibrationSolver.Solve(scenes.EmptyStanding, null, [new BoardCapture(other.Boards[0].Capture, 1200)], CalibrationTolerances.Default, Now));

        Assert.Contains("another camera (serial PHANTOM-4715, the empty scene's is PHANTOM-4714)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_StandTiltedBeyondTolerance_FailsTheVerdictSayingWhatToDo()
    {
        var calibration = Calibrate(new PhantomOptions { Seed = 4716, CameraPitchDeg = 1, CameraRollDeg = 4 });

        var strict = CalibrationSolver.Solve(
            Render(new PhantomOptions { Seed = 4716, CameraPitchDeg = 1, CameraRollDeg = 4 }, out var scenes).EmptyStanding, null, [], CalibrationTolerances.Default with { MaxStandTiltDeg = 3 }, Now);
        scenes.Dispose();

        Assert.True(calibration.Verdict.Passed);
        Assert.False(strict.Verdict.Passed);
        Assert.Contains("level the stand", Assert.Single(strict.Verdict.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SameStandAgain_HoldsAndRolledStand_Moved()
    {
        var camera = new PhantomOptions { Seed = 4717, CameraPitchDeg = 1, CameraRollDeg = 1 };
        var calibration = Calibrate(camera);
        using var again = PhantomGenerator.Generate(camera with { Scene = PhantomScene.Empty, WallGapMm = PhantomCalibrationScenes.WallGapMm, NoiseSeed = 99 });
        using var rolled = PhantomGenerator.Generate(camera with { Scene = PhantomScene.Empty, WallGapMm = PhantomCalibrationScenes.WallGapMm, NoiseSeed = 99, CameraRollDeg = 2 });

        var same = CalibrationCheck.Compare(calibration, again.Standing, Now.AddDays(1));
        var moved = CalibrationCheck.Compare(calibration, rolled.Standing, Now.AddDays(1));
        var late = CalibrationCheck.Compare(calibration, again.Standing, Now.AddDays(181));

        Assert.True(same.Passed, string.Join("; ", same.Findings));
        Assert.True(moved.Moved);
        Assert.Contains(moved.Findings, f => f.StartsWith("roll", StringComparison.Ordinal) && f.Contains("MOVED", StringComparison.Ordinal));
        Assert.True(late.Expired);
        Assert.False(late.Moved);
    }

    [Fact]
    public void Analyze_CameraTiltedAndNoFloorInView_CalibrationGivesTheGravityFrame()
    {
        // Looking 5 deg up with the wall close behind the child: the capture shows no floor, so without a calibration the
        // analysis takes the camera as level and the whole body frame is 5 deg off gravity.
        var child = new PhantomOptions { Seed = 4718, CameraPitchDeg = -5, CameraRollDeg = 4, CameraDistanceMm = 900, WallGapMm = 100 };
        var calibration = Calibrate(child);
        using var captured = PhantomGenerator.Generate(child);
        var settings = ModelCatalog.Shipped.Settings();
        var truth = captured.Truth.Standing.Camera;
        var gravity = new Vector3d(truth.RightAxis.Y, truth.DownAxis.Y, truth.ForwardAxis.Y).Normalized();

        double FrameErrorDeg(AnalysisSettings s)
        {
            BodyFrame? frame = null;
            new ScreeningAnalyzer(s, new ClassicLandmarkDetector()).InspectStanding(captured.Standing, i => frame = i.Pose.Frame);
            Assert.NotNull(frame);
            return Math.Acos(Math.Clamp(Vector3d.Dot(frame!.Value.Up, gravity), -1, 1)) * 180 / Math.PI;
        }

        Assert.InRange(FrameErrorDeg(settings), 4, 8);
        Assert.InRange(FrameErrorDeg(settings with { Calibration = calibration }), 0, 0.1);
    }

    private static PhantomCalibrationScenes Render(PhantomOptions camera, out PhantomCalibrationScenes scenes) =>
        scenes = PhantomCalibrationScenes.Render(camera, []);
}
