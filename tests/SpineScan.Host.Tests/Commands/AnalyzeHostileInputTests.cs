using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Host.Commands;
using SpineScan.Imaging.Replay;
using SpineScan.Testing;

namespace SpineScan.Host.Tests.Commands;

public sealed class AnalyzeHostileInputTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-analyze-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Analyze_FrameSymlinkedToDevZero_OnePlainLineAndExit2()
    {
        var dir = Path.Combine(_root, "standing");
        var frames = Enumerable.Range(0, 3).Select(f => DepthFrame.Create(40, 30, 0.001, f * 33.3)).ToList();
        using (var capture = new DepthCapture(CapturePose.Standing, new CameraIntrinsics(40, 30, 30, 30, 20, 15, DistortionModel.BrownConrady, 0, 0, 0, 0, 0),
            new CaptureDevice("Test cam", "1"), "cal-1", frames))
        {
            ReplayCaptureWriter.Write(capture, dir);
        }

        File.Delete(Path.Combine(dir, "depth_001.png"));
        File.CreateSymbolicLink(Path.Combine(dir, "depth_001.png"), "/dev/zero");

        var run = Task.Run(() => CommandRunner.Invoke(AnalyzeCommand.Create(), "analyze", dir));
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) == run, "analyze was still reading /dev/zero after 30 s.");
        var (code, _, error) = await run;

        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: depth_001.png is a symbolic link to '/dev/zero', outside the capture folder", line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
