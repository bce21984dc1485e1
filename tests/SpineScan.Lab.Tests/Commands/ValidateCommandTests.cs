using System.Text.Json;
using SpineScan.Lab.Commands;
using SpineScan.Lab.Tests.Validation;
using SpineScan.Testing;

namespace SpineScan.Lab.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _folder = AasceTestData.WriteSynthetic(3);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args) =>
        CommandRunner.Invoke(ValidateCommand.Create(), args);

    [Fact]
    public void Invoke_AasceHelp_ListsTheOptions()
    {
        var (exitCode, output, _) = Invoke("validate", "aasce", "--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--data", "--split", "--from", "--json", "--fit" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invoke_EndplatesJson_ReproducesSyntheticAngles()
    {
        var (exitCode, output, error) = Invoke("validate", "aasce", "--data", _folder, "--split", "test", "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("n").GetInt32());
        Assert.Equal(3, root.GetProperty("withinHalfDegree").GetInt32());
        Assert.True(root.GetProperty("maeDeg").GetDouble() < 1e-6);
        Assert.True(root.TryGetProperty("smapePct", out _));
        Assert.True(root.TryGetProperty("pearsonR", out _));
        var row = root.GetProperty("rows")[1];
        Assert.Equal(1, row.GetProperty("index").GetInt32());
        Assert.Equal(2, row.GetProperty("imageNumber").GetInt32());
        Assert.Equal(3, row.GetProperty("predictedDeg").GetArrayLength());
    }

    [Fact]
    public void Invoke_CentresTable_PrintsSummary()
    {
        var (exitCode, output, error) = Invoke("validate", "aasce", "--data", _folder, "--split", "both", "--from", "centres");

        Assert.True(exitCode == 0, error);
        Assert.Contains("MAE, largest angle", output, StringComparison.Ordinal);
        Assert.Contains("6", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_MissingFile_ExitsWithErrorNamingIt()
    {
        File.Delete(Path.Combine(_folder, "test_landmarks.csv"));

        var (exitCode, _, error) = Invoke("validate", "aasce", "--data", _folder);

        Assert.Equal(2, exitCode);
        Assert.Contains("test_landmarks.csv", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_UnknownSplit_IsAParseError()
    {
        var (exitCode, _, _) = Invoke("validate", "aasce", "--data", _folder, "--split", "holdout");

        Assert.NotEqual(0, exitCode);
    }
}
