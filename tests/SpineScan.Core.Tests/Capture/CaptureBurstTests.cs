using SpineScan.Core.Capture;

namespace SpineScan.Core.Tests.Capture;

public class CaptureBurstTests
{
    [Theory]
    [InlineData("Intel RealSense D435", 30)]
    [InlineData("Intel RealSense D455 (phantom)", 30)]
    [InlineData("Azure Kinect NFOV unbinned (phantom)", 10)]
    [InlineData("Orbbec Femto Bolt", 10)]
    [InlineData("", 10)]
    public void FramesFor_ActiveStereoTakesALongerBurst(string model, int frames)
    {
        Assert.Equal(frames, CaptureBurst.FramesFor(new CaptureDevice(model, "SERIAL-1")));
    }
}
