using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Device.Cameras;
using SpineScan.Imaging.Positioning;
using SpineScan.Phantom;

namespace SpineScan.Device.Tests.Cameras;

public class LivePositioningTests
{
    [Fact]
    public void Frame_WithoutAPicture_GivesTheSameGuidanceAndAnEmptyJpeg()
    {
        // Where OpenCV's native library is absent the station streams guidance without a picture (StationCamera).
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 4, FrameCount = 1, Sensor = PhantomSensor.RealSenseD435 });
        var frame = child.Standing.Frames[0];
        using var picture = new PositioningPicture();

        var drawn = LivePositioning.Frame(frame, child.Standing.Intrinsics, CapturePose.Standing, new PositioningGuide(), picture);
        var guidanceOnly = LivePositioning.Frame(frame, child.Standing.Intrinsics, CapturePose.Standing, new PositioningGuide(), picture: null);

        Assert.NotEmpty(drawn.Jpeg);
        Assert.Empty(guidanceOnly.Jpeg);
        Assert.Equal(drawn.Guidance.Select(g => g.Code), guidanceOnly.Guidance.Select(g => g.Code));
        Assert.Equal(drawn.Ready, guidanceOnly.Ready);
        Assert.Equal(drawn.DistanceMm, guidanceOnly.DistanceMm);
    }
}
