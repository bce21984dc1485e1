using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Imaging.Cameras;
using SpineScan.Imaging.Replay;

namespace SpineScan.Imaging.Tests.Cameras;

public sealed class ReplayCameraTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-replaycam-" + Guid.NewGuid().ToString("N"));

    public ReplayCameraTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Three 20x10 frames at 0, 10 and 30 ms; frame f holds 1000 + f everywhere.
    private string WriteCapture()
    {
        var dir = Path.Combine(_root, "cap");
        var intrinsics = new CameraIntrinsics(20, 10, 30, 30, 10, 5, DistortionModel.None);
        double[] timestamps = [0, 10, 30];
        var frames = new List<DepthFrame>();
        for (var f = 0; f < timestamps.Length; f++)
        {
            var frame = DepthFrame.Create(20, 10, 0.001, timestamps[f]);
            frame.Pixels.Fill((ushort)(1000 + f));
            frames.Add(frame);
        }

        using var capture = new DepthCapture(CapturePose.Standing, intrinsics, new CaptureDevice("Test cam", "42"), null, frames);
        ReplayCaptureWriter.Write(capture, dir);
        return dir;
    }

    [Fact]
    public async Task NextFrameAsync_ValidCapture_PlaysFramesInLoopWithIncreasingTimestamps()
    {
        await using var camera = new ReplayCamera(WriteCapture());

        var info = await camera.StartAsync(CancellationToken.None);
        var values = new List<ushort>();
        var stamps = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            using var frame = await camera.NextFrameAsync(CancellationToken.None);
            Assert.Equal(20, frame.Width);
            Assert.Equal(10, frame.Height);
            values.Add(frame[3, 4]);
            stamps.Add(frame.TimestampMs);
        }

        Assert.Equal(new CaptureDevice("Test cam", "42"), info.Device);
        Assert.Equal(20, info.Intrinsics.Width);
        Assert.Equal(1000.0 / 15, info.FramesPerSecond, 1e-9);
        Assert.Equal(new ushort[] { 1000, 1001, 1002, 1000, 1001, 1002, 1000 }, values);

        // A loop lasts the 30 ms span plus one 15 ms mean period.
        Assert.Equal(new double[] { 0, 10, 30, 45, 55, 75, 90 }, stamps);
    }

    [Fact]
    public async Task NextFrameAsync_GivenFrameRate_StampsFramesAtThatRate()
    {
        await using var camera = new ReplayCamera(WriteCapture(), framesPerSecond: 200);

        var info = await camera.StartAsync(CancellationToken.None);
        var stamps = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            using var frame = await camera.NextFrameAsync(CancellationToken.None);
            stamps.Add(frame.TimestampMs);
        }

        Assert.Equal(200, info.FramesPerSecond, 1e-9);
        Assert.Equal(new double[] { 0, 5, 10, 15 }, stamps);
    }

    [Fact]
    public async Task NextFrameAsync_CallerDisposesFrame_CameraKeepsPlaying()
    {
        await using var camera = new ReplayCamera(WriteCapture(), framesPerSecond: 500);
        await camera.StartAsync(CancellationToken.None);

        var first = await camera.NextFrameAsync(CancellationToken.None);
        first.Dispose();
        for (var i = 0; i < 3; i++)
        {
            using var again = await camera.NextFrameAsync(CancellationToken.None);
            Assert.Equal(1000 + ((i + 1) % 3), again[0, 0]);
        }
    }

    [Fact]
    public async Task StartAsync_MissingFolder_ThrowsUnavailableWithReadersMessage()
    {
        var dir = Path.Combine(_root, "nothing-here");
        await using var camera = new ReplayCamera(dir);

        var error = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());

        var inner = Assert.IsType<InvalidCaptureException>(error.InnerException);
        Assert.Contains(inner.Message, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Null(camera.Info);
    }

    [Fact]
    public async Task StartAsync_FolderWithoutManifest_ThrowsUnavailable()
    {
        var dir = Path.Combine(_root, "empty");
        Directory.CreateDirectory(dir);
        await using var camera = new ReplayCamera(dir);

        var error = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());

        Assert.Contains(ReplayCaptureReader.ManifestFileName, error.Message, StringComparison.Ordinal);
    }
}
