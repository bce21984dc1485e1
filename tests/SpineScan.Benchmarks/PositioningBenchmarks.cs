using BenchmarkDotNet.Attributes;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Device.Cameras;
using SpineScan.Imaging.Positioning;
using SpineScan.Phantom;

namespace SpineScan.Benchmarks;

/// <summary>
/// One frame of the kiosk's live positioning view, as the station makes it: the 848x480 depth frame halved, the
/// positioning guide's assessment, and the colour picture with the target outline encoded as JPEG. The view's rate
/// is the camera's (30 fps) or one over this time, whichever is lower (the kiosk's target is 10 fps or more).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class PositioningBenchmarks : IDisposable
{
    private readonly PositioningGuide _guide = new();
    private PhantomChild _child = null!;
    private PositioningPicture _picture = null!;

    [GlobalSetup]
    public void Setup()
    {
        _child = PhantomGenerator.Generate(new PhantomOptions { Seed = 31, FrameCount = 1, Sensor = PhantomSensor.RealSenseD435, CameraDistanceMm = 1200 });
        _picture = new PositioningPicture();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _picture?.Dispose();
        _child?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int LiveFrame() =>
        LivePositioning.Frame(_child.Standing.Frames[0], _child.Standing.Intrinsics, CapturePose.Standing, _guide, _picture).Jpeg.Length;
}
