using SpineScan.Host.Commands;
using SpineScan.Imaging.Replay;
using SpineScan.Phantom;
using SpineScan.Testing;

namespace SpineScan.Host.Tests.Commands;

/// <summary><c>spinescan analyze --method</c>: the learned back-to-spine model or the classical centres.</summary>
public sealed class AnalyzeMethodTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spinescan-method-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Standing()
    {
        var dir = Path.Combine(_root, "standing");
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 301, FrameCount = 4 });
        ReplayCaptureWriter.Write(child.Standing, dir);
        return dir;
    }

    [Fact]
    // The wire result's models[] names only the landmark detector today (ContractMapper, not this change's): the
    // Core result names the spine model (SpineScan.Inference.Tests), the host says it in its log line.
    public void Analyze_MethodModel_SaysWhatRunsIt()
    {
        var dir = Standing();

        var (code, output, error) = CommandRunner.Invoke(AnalyzeCommand.Create(), "analyze", dir, "--method", "model", "--json");

        Assert.True(code == 0, error);
        Assert.Contains("Spine model spine-centres-1", error, StringComparison.Ordinal);
        Assert.Contains("runs on the CPU execution provider", error, StringComparison.Ordinal);
        Assert.Contains("Vertebral-body centres from", error, StringComparison.Ordinal);
        Assert.Contains("\"schema\":\"spinescan.analysis/2\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_DefaultMethod_ClassicalWithoutTheModel()
    {
        var dir = Standing();

        var (code, output, error) = CommandRunner.Invoke(AnalyzeCommand.Create(), "analyze", dir, "--json");

        Assert.True(code == 0, error);
        Assert.DoesNotContain("spine-centres-1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Spine model", error, StringComparison.Ordinal);
    }
}
