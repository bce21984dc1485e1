using System.Diagnostics;
using System.Text.Json.Nodes;
using SpineScan.Imaging;

namespace SpineScan.Host.Tests.Operations;

/// <summary>
/// The built <c>spinescan</c> from a copy of its folder without OpenCV's native library (and without it in the deps file),
/// as on linux-arm64: it says so in one line, screens with the managed PNG codec, and analyses to the same result.
/// </summary>
public sealed class OpenCvHiddenTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-nocv-" + Guid.NewGuid().ToString("N"));

    public OpenCvHiddenTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Analysis_WithOpenCvHidden_IsTheSameAsWithOpenCv()
    {
        var hidden = HideOpenCv();
        var withCv = Path.Combine(_root, "with-cv");
        var withoutCv = Path.Combine(_root, "without-cv");

        var screenWith = await RunAsync(AppContext.BaseDirectory, "screen", "--source", "phantom", "--pupils", "1", "--data", withCv, "--seed", "3");
        var screenWithout = await RunAsync(hidden, "screen", "--source", "phantom", "--pupils", "1", "--data", withoutCv, "--seed", "3");

        Assert.True(screenWith.ExitCode == 0, screenWith.Error);
        Assert.DoesNotContain(OpenCvProbe.AbsentLine, screenWith.Error, StringComparison.Ordinal);
        Assert.True(screenWithout.ExitCode == 0, screenWithout.Error);
        Assert.Contains(OpenCvProbe.AbsentLine, screenWithout.Error, StringComparison.Ordinal);
        Assert.Single(screenWithout.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("OpenCV", StringComparison.Ordinal));

        // Each screening's raw depth (written by OpenCV, or by the managed codec) analysed by both builds.
        foreach (var data in new[] { withCv, withoutCv })
        {
            var screening = Assert.Single(Directory.GetDirectories(Path.Combine(data, "captures")));
            var results = new List<string>();
            foreach (var folder in new[] { AppContext.BaseDirectory, hidden })
            {
                var analysis = await RunAsync(folder, "analyze", Path.Combine(screening, "standing"), "--forward-bend", Path.Combine(screening, "forward_bend"), "--json");
                Assert.True(analysis.ExitCode == 0, analysis.Error);
                results.Add(WithoutTimings(analysis.Output));
            }

            Assert.Contains("\"cobbDeg\"", results[0], StringComparison.Ordinal);
            Assert.Equal(results[0], results[1]);
        }

        // The same phantom child screened by either build: the same depths on disk, so the same analysis.
        var a = Assert.Single(Directory.GetDirectories(Path.Combine(withCv, "captures")));
        var b = Assert.Single(Directory.GetDirectories(Path.Combine(withoutCv, "captures")));
        var fromCv = await RunAsync(AppContext.BaseDirectory, "analyze", Path.Combine(a, "standing"), "--forward-bend", Path.Combine(a, "forward_bend"), "--json");
        var fromManaged = await RunAsync(AppContext.BaseDirectory, "analyze", Path.Combine(b, "standing"), "--forward-bend", Path.Combine(b, "forward_bend"), "--json");
        Assert.Equal(WithoutTimings(fromCv.Output), WithoutTimings(fromManaged.Output));
    }

    /// <summary>The analysis JSON without its wall-clock stage timings (which differ run to run).</summary>
    private static string WithoutTimings(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("timingsMs");
        return node.ToJsonString();
    }

    /// <summary>A copy of the test's output folder (hard links where the file system allows) without OpenCV's native library.</summary>
    private string HideOpenCv()
    {
        var copy = Path.Combine(_root, "bin");
        if (Cp("-al", copy) != 0)
        {
            Assert.Equal(0, Cp("-a", copy));
        }

        var native = Path.Combine(copy, "libOpenCvSharpExtern.so");
        Assert.True(File.Exists(native), "The test expects OpenCV's native library beside the tests (linux-x64).");
        File.Delete(native);
        foreach (var deps in Directory.GetFiles(copy, "*.deps.json"))
        {
            var root = JsonNode.Parse(File.ReadAllText(deps))!;
            foreach (var target in root["targets"]!.AsObject())
            {
                foreach (var library in target.Value!.AsObject())
                {
                    if (library.Value?["native"] is JsonObject natives && natives.Any(n => n.Key.Contains("OpenCvSharpExtern", StringComparison.Ordinal)))
                    {
                        library.Value.AsObject().Remove("native");
                    }
                }
            }

            File.WriteAllText(deps, root.ToJsonString());
        }

        return copy;

        int Cp(string flags, string target)
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            var start = new ProcessStartInfo("cp") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var arg in new[] { flags, AppContext.BaseDirectory.TrimEnd('/'), target })
            {
                start.ArgumentList.Add(arg);
            }

            using var cp = Process.Start(start)!;
            cp.WaitForExit();
            return cp.ExitCode;
        }
    }

    /// <summary>Runs the host's dll in <paramref name="folder"/> with that folder's deps and runtime config.</summary>
    internal static async Task<(int ExitCode, string Output, string Error)> RunAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["exec", "--runtimeconfig", Path.Combine(folder, "SpineScan.Host.Tests.runtimeconfig.json"), "--depsfile", Path.Combine(folder, "SpineScan.Host.Tests.deps.json"), Path.Combine(folder, "spinescan.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
