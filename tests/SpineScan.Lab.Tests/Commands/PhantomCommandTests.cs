using System.Text.Json;
using SpineScan.Core.Capture;
using SpineScan.Imaging.Replay;
using SpineScan.Lab.Commands;
using SpineScan.Testing;

namespace SpineScan.Lab.Tests.Commands;

public sealed class PhantomCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "spinescan-phantom-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args) =>
        CommandRunner.Invoke(PhantomCommand.Create(), args);

    [Fact]
    public void Invoke_TwoChildren_WritesReadableCapturesAndTruth()
    {
        var (exitCode, output, error) = Invoke("phantom", "--count", "2", "--seed", "7", "--frames", "2", "--out", _folder);

        Assert.True(exitCode == 0, error);
        Assert.Contains("Wrote 2 phantom children", output, StringComparison.Ordinal);
        foreach (var child in new[] { "child_0001", "child_0002" })
        {
            using (var standing = ReplayCaptureReader.Read(Path.Combine(_folder, child, "standing")))
            {
                Assert.Equal(CapturePose.Standing, standing.Pose);
                Assert.Equal(2, standing.Frames.Count);
                Assert.True(standing.Frames[0].CountValid() > standing.Intrinsics.Width * standing.Intrinsics.Height / 2);
            }

            using (var bend = ReplayCaptureReader.Read(Path.Combine(_folder, child, "forward_bend")))
            {
                Assert.Equal(CapturePose.ForwardBend, bend.Pose);
            }

            using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, child, "truth.json")));
            var cobb = truth.RootElement.GetProperty("cobbDeg");
            Assert.InRange(cobb.GetArrayLength(), 1, 3);
            Assert.InRange(cobb[0].GetDouble(), 0, 90);
            Assert.InRange(truth.RootElement.GetProperty("atrDeg").GetDouble(), -40, 40);
            var landmarks = truth.RootElement.GetProperty("standing").GetProperty("landmarks");
            var names = landmarks.EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToList();
            Assert.Contains(names, n => n!.Contains("c7", StringComparison.OrdinalIgnoreCase));
            Assert.True(names.Count >= 9);
        }
    }

    [Fact]
    public void Invoke_SameSeedTwice_WritesIdenticalFiles()
    {
        var first = Path.Combine(_folder, "a");
        var second = Path.Combine(_folder, "b");

        Assert.Equal(0, Invoke("phantom", "--count", "1", "--seed", "3", "--frames", "1", "--out", first).ExitCode);
        Assert.Equal(0, Invoke("phantom", "--count", "1", "--seed", "3", "--frames", "1", "--out", second).ExitCode);

        foreach (var file in Directory.GetFiles(first, "*", SearchOption.AllDirectories))
        {
            var twin = Path.Combine(second, Path.GetRelativePath(first, file));
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(twin)), $"{file} differs");
        }
    }

    [Fact]
    public void Invoke_ExistingOutput_RefusesWithClearMessageAndKeepsIt()
    {
        Assert.Equal(0, Invoke("phantom", "--count", "1", "--seed", "3", "--frames", "1", "--out", _folder).ExitCode);
        var truthPath = Path.Combine(_folder, "child_0001", "truth.json");
        var before = File.ReadAllText(truthPath);

        var (exitCode, _, error) = Invoke("phantom", "--count", "1", "--seed", "4", "--frames", "1", "--out", _folder);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("never overwritten", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(truthPath));
    }

    [Fact]
    public void Invoke_Help_ListsOptions()
    {
        var (exitCode, output, _) = Invoke("phantom", "--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--count", "--seed", "--out", "--frames", "--camera" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }
}
