using SpineScan.Phantom;
using Xunit;

namespace SpineScan.Phantom.Tests;

public class PhantomCalibrationSceneTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.02)]
    public void Board_AtItsDistance_ReadsItTimesTheDepthScale(double scaleError)
    {
        using var board = PhantomGenerator.Generate(new PhantomOptions { Seed = 31, Scene = PhantomScene.Board, BoardDistanceMm = 1200, DepthScaleError = scaleError, NoiseFree = true, CameraPitchDeg = 0, CameraRollDeg = 0 });
        var frame = board.Standing.Frames[0];
        var i = board.Standing.Intrinsics;

        // The board's centre lies on the optical axis; square to it, its depth there is the distance (to the depth unit).
        Assert.InRange(frame.DepthMmAt((int)i.Cx, (int)i.Cy), (1200 * (1 + scaleError)) - 1.5, (1200 * (1 + scaleError)) + 1.5);
    }
}
