using System.Text.Json;
using SpineScan.Core.Analysis;
using SpineScan.Core.Ports;
using SpineScan.Lab.Bench;
using SpineScan.Lab.Commands;
using SpineScan.Testing;

namespace SpineScan.Lab.Tests.Commands;

/// <summary>The lab's verbs of the learned back-to-spine model: its training set, and the bench with <c>--method model</c>.</summary>
public sealed class SpineModelBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spinescan-grids-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args) =>
        CommandRunner.Invoke(BenchCommand.Create(), args);

    [Fact]
    public void Grids_TwoChildren_WritesTheFormatTheTrainerReads()
    {
        var file = Path.Combine(_folder, "grids.bin");

        var (exitCode, output, error) = Invoke("bench", "grids", "--count", "2", "--first", "7", "--out", file);

        Assert.True(exitCode == 0, error);
        Assert.Contains("children 7-8", output, StringComparison.Ordinal);
        using var reader = new BinaryReader(File.OpenRead(file));
        Assert.Equal(GridSet.Magic, reader.ReadBytes(GridSet.Magic.Length));
        var count = reader.ReadInt32();
        Assert.InRange(count, 1, 2);
        Assert.Equal([BackGrid.Channels, BackGrid.Rows, BackGrid.Columns, SpineCentrePrediction.Levels], [reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32()]);
        const int Record = 8 + (4 * (BackGrid.Length + (3 * SpineCentrePrediction.Levels)));
        Assert.Equal(28 + (count * Record), new FileInfo(file).Length);
        reader.ReadInt32();
        Assert.InRange(reader.ReadSingle(), 0, 90);

        // The true centres lie a few centimetres from the chord at most, and in front of the back plane.
        reader.BaseStream.Seek(28 + 8 + (4 * BackGrid.Length), SeekOrigin.Begin);
        var targets = Enumerable.Range(0, 2 * SpineCentrePrediction.Levels).Select(_ => reader.ReadSingle()).ToArray();
        Assert.All(targets[..SpineCentrePrediction.Levels], t => Assert.InRange(t, -0.3, 0.3));
        Assert.All(targets[SpineCentrePrediction.Levels..], t => Assert.InRange(t, -0.5, 0));
    }

    [Fact]
    public void Accuracy_MethodModel_ReportsTheMethodAndHowManyCapturesUsedTheModel()
    {
        var (exitCode, output, error) = Invoke("bench", "accuracy", "--count", "2", "--seed", "41", "--repeat-children", "0", "--method", "model", "--json");

        Assert.True(exitCode == 0, error);
        Assert.Contains("runs on the CPU execution provider", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(AccuracyBench.Model, json.RootElement.GetProperty("method").GetString());
        Assert.InRange(json.RootElement.GetProperty("modelShare").GetDouble(), 0, 1);
    }

    [Fact]
    public void Accuracy_UnknownMethod_Refused()
    {
        var (exitCode, _, error) = Invoke("bench", "accuracy", "--count", "1", "--method", "neural");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("neural", error, StringComparison.Ordinal);
    }
}
