using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Host.Operations;
using SpineScan.Models;
using SpineScan.Testing;

namespace SpineScan.Host.Tests.Operations;

public sealed class DeviceVersionTests
{
    [Fact]
    public async Task VersionOption_NamesTheCommitTheAlgorithmAndEachShippedModelWithItsHash()
    {
        var (exitCode, output, error) = await OpenCvHiddenTests.RunAsync(AppContext.BaseDirectory, "--version");

        Assert.True(exitCode == 0, error);
        Assert.Contains($"commit {GitCheckout.Head()}", output, StringComparison.Ordinal);
        Assert.Contains($"algorithm {ScreeningResult.AlgorithmVersion}", output, StringComparison.Ordinal);
        Assert.Contains(AnalysisResult.SchemaV2, output, StringComparison.Ordinal);
        Assert.NotEmpty(ModelCatalog.Shipped.Models);
        foreach (var model in ModelCatalog.Shipped.Models)
        {
            Assert.Contains($"model {model.Card.Id} sha256 {model.Card.Sha256}", output, StringComparison.Ordinal);
            Assert.Equal(model.Card.Sha256, ModelCatalog.Sha256Of(model.Path), StringComparer.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Text_ModelsThatDoNotLoad_NamesTheProblemInOneLine()
    {
        var text = DeviceVersion.Text(() => throw new ModelLoadException("The models folder /nowhere does not exist."));

        Assert.Contains("models: The models folder /nowhere does not exist.", text, StringComparison.Ordinal);
        Assert.Contains("commit ", text, StringComparison.Ordinal);
    }
}
