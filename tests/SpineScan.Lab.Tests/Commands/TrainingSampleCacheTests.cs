using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Lab.Bench;
using SpineScan.Lab.Commands;
using SpineScan.Lab.Fitting;
using SpineScan.Testing;

namespace SpineScan.Lab.Tests.Commands;

public sealed class TrainingSampleCacheTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("spinescan-cache-");

    public void Dispose() => folder.Delete(recursive: true);

    private static SpinalLineSample Sample(double shift) => new(
        [new SymmetryPoint(900, 1 + shift, -1000, 0.5, 0.1), new SymmetryPoint(904, 2 + shift, -1001, double.NaN, 0.2)],
        1300,
        880,
        [.. Enumerable.Range(0, 18).Select(k => new Vector3d(k, 1300 - (20 * k), -1000))],
        [.. Enumerable.Range(0, 18).Select(k => new Vector3d(k + shift, 1290 - (20 * k), -1070))],
        12.5);

    [Fact]
    public void WriteThenRead_GivesBackEveryChild_RefusalsIncluded()
    {
        var file = new FileInfo(Path.Combine(folder.FullName, "samples.json"));
        var children = new Dictionary<int, SpinalLineSample?> { [1] = Sample(0), [2] = null, [3] = Sample(3) };

        TrainingSampleCache.Write(file, 424242, children);
        var back = TrainingSampleCache.Read(file, 424242);

        Assert.Equal([1, 2, 3], back.Keys.Order());
        Assert.Null(back[2]);
        Assert.True(TrainingSampleCache.Agrees(children[1], back[1]));
        Assert.True(TrainingSampleCache.Agrees(children[3], back[3]));
        Assert.True(double.IsNaN(back[1]!.SymmetryLine[1].RotationDeg));
        Assert.Equal(12.5, back[3]!.TrueCobbDeg);
        Assert.Equal(children[3]!.TrueCentres, back[3]!.TrueCentres);
        Assert.False(File.Exists(file.FullName + ".writing"));
    }

    [Fact]
    public void Agrees_ADifferentLineOrARefusalOnOneSide_IsNotAgreement()
    {
        Assert.False(TrainingSampleCache.Agrees(Sample(0), Sample(0.01)));
        Assert.False(TrainingSampleCache.Agrees(Sample(0), null));
        Assert.True(TrainingSampleCache.Agrees(null, null));
    }

    [Theory]
    [InlineData("{ not json", "is not a training-sample cache")]
    [InlineData("""{"trainingSeed":7,"children":[]}""", "training batch 7, not 424242")]
    [InlineData("""{"trainingSeed":424242,"children":[{"index":1,"sample":null},{"index":1,"sample":null}]}""", "lists child 1 twice")]
    [InlineData("""{"trainingSeed":424242,"children":[{"index":0,"sample":null}]}""", "indices start at 1")]
    [InlineData("""{"trainingSeed":424242}""", "holds no training children")]
    public void Read_DamagedOrForeignFile_ClearErrorThatSaysWhatToDo(string content, string expected)
    {
        var file = new FileInfo(Path.Combine(folder.FullName, "samples.json"));
        File.WriteAllText(file.FullName, content);

        var error = Assert.Throws<InvalidDataException>(() => TrainingSampleCache.Read(file, 424242));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Delete it, or name another file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchFit_DamagedCache_RefusedBeforeAnyWork_AndTheFileIsLeftAsItWas()
    {
        var file = Path.Combine(folder.FullName, "samples.json");
        File.WriteAllText(file, "{ damaged");

        var (exitCode, output, error) = CommandRunner.Invoke(BenchCommand.Create(), "bench", "fit", "--count", "60", "--samples", file);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("is not a training-sample cache", error, StringComparison.Ordinal);
        Assert.Equal("{ damaged", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--hidden", "-1")]
    [InlineData("--hidden", "100000")]
    [InlineData("--epochs", "0")]
    public void BenchFit_ImpossibleNetworkSettings_RefusedWithTheLimits(string option, string value)
    {
        var (exitCode, _, error) = CommandRunner.Invoke(BenchCommand.Create(), "bench", "fit", "--count", "60", option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--hidden 0-{ResidualNetwork.MaxHidden} and --epochs at least 1", error, StringComparison.Ordinal);
    }
}
