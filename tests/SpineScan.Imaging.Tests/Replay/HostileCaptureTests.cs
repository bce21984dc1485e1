using System.Diagnostics;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Imaging.Replay;

namespace SpineScan.Imaging.Tests.Replay;

/// <summary>Issue 13: a capture folder made to hurt the reader is refused before anything is read, with a message naming the file.</summary>
public sealed class HostileCaptureTests : IDisposable
{
    // Before the checks a FIFO hung the reader and /dev/zero grew to 4 GB: the read runs with a deadline, so such a
    // regression fails the test instead of hanging the run.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-hostile-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string WriteValid(int frames = 3)
    {
        var dir = Path.Combine(_root, "cap");
        var intrinsics = new CameraIntrinsics(40, 30, 30, 30, 20, 15, DistortionModel.BrownConrady, 0, 0, 0, 0, 0);
        var list = new List<DepthFrame>();
        for (var f = 0; f < frames; f++)
        {
            var frame = DepthFrame.Create(40, 30, 0.001, f * 33.333);
            frame.Row(0).Fill(1000);
            list.Add(frame);
        }

        using var capture = new DepthCapture(CapturePose.Standing, intrinsics, new CaptureDevice("Test cam", "42"), "cal-7", list);
        ReplayCaptureWriter.Write(capture, dir);
        return dir;
    }

    private static async Task<string> ReadErrorAsync(string dir)
    {
        var read = Task.Run(() => ReplayCaptureReader.Read(dir).Dispose());
        var finished = await Task.WhenAny(read, Task.Delay(Deadline));
        Assert.True(finished == read, $"The reader was still reading '{dir}' after {Deadline.TotalSeconds:0} s.");
        return (await Assert.ThrowsAsync<InvalidCaptureException>(() => read)).Message;
    }

    [Fact]
    public async Task Frame_SymlinkedToDevZero_IsRefusedAsLeavingTheFolder()
    {
        var dir = WriteValid();
        var frame = Path.Combine(dir, "depth_001.png");
        File.Delete(frame);
        File.CreateSymbolicLink(frame, "/dev/zero");

        var message = await ReadErrorAsync(dir);

        Assert.Contains("depth_001.png is a symbolic link to '/dev/zero', outside the capture folder", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_SymlinkedToAFileOutsideTheFolder_IsRefused()
    {
        var dir = WriteValid();
        var outside = Path.Combine(_root, "elsewhere.json");
        File.Move(Path.Combine(dir, "capture.json"), outside);
        File.CreateSymbolicLink(Path.Combine(dir, "capture.json"), outside);

        Assert.Contains("capture.json is a symbolic link", await ReadErrorAsync(dir), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_IsAFifo_IsRefusedWithoutWaitingForAWriter()
    {
        var dir = WriteValid();
        var frame = Path.Combine(dir, "depth_002.png");
        File.Delete(frame);
        using (var mkfifo = Process.Start("mkfifo", frame))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Contains("depth_002.png is not a regular file (a FIFO)", await ReadErrorAsync(dir), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_SymlinkLoop_IsRefused()
    {
        var dir = WriteValid();
        var a = Path.Combine(dir, "depth_000.png");
        var b = Path.Combine(dir, "depth_001.png");
        File.Delete(a);
        File.Delete(b);
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);

        Assert.Contains("depth_000.png is a symbolic link that does not resolve", await ReadErrorAsync(dir), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_PastTheTotalPixelLimit_AreRefusedFromTheManifestAlone()
    {
        // Eight frames of 4096x4096 are 134 million pixels (268 MB of depth); each side alone is allowed.
        var dir = WriteValid(frames: 8);
        var path = Path.Combine(dir, "capture.json");
        File.WriteAllText(path, File.ReadAllText(path)
            .Replace("\"width\": 40", "\"width\": 4096", StringComparison.Ordinal)
            .Replace("\"height\": 30", "\"height\": 4096", StringComparison.Ordinal));

        var message = await ReadErrorAsync(dir);

        Assert.Contains("8 frames of 4096x4096 are 134217728 pixels, more than the 120000000", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_SymlinkToAFrameInTheSameFolder_IsRead()
    {
        var dir = WriteValid();
        var frame = Path.Combine(dir, "depth_002.png");
        File.Delete(frame);
        File.CreateSymbolicLink(frame, Path.Combine(dir, "depth_000.png"));

        using var capture = ReplayCaptureReader.Read(dir);

        Assert.Equal(3, capture.Frames.Count);
    }
}
