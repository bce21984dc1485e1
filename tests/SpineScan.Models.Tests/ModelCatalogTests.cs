using SpineScan.Core.Analysis;
using SpineScan.Core.Spine;

namespace SpineScan.Models.Tests;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spinescan-models-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Shipped_LoadsTheSpinalLineModel_CheckedAgainstItsCard()
    {
        var catalog = ModelCatalog.Shipped;

        Assert.Empty(catalog.SpinalLine.Problems());
        Assert.Empty(catalog.Cobb.Problems());
        Assert.Equal(ModelCatalog.Sha256Of(catalog.SpinalLineFile.Path), catalog.SpinalLineFile.Card.Sha256);
        var settings = catalog.Settings();
        Assert.Equal([catalog.SpinalLineFile.Info], settings.Models);
    }

    [Fact]
    public void WriteSpinalLine_ThenLoad_GivesTheSameModelAndReplacesTheOldOne()
    {
        var shipped = ModelCatalog.Shipped;
        ModelCatalog.WriteSpinalLine(_folder, Card("spinal-line-a"), shipped.SpinalLine, shipped.Cobb);
        var written = ModelCatalog.WriteSpinalLine(_folder, Card("spinal-line-b"), shipped.SpinalLine, shipped.Cobb with { LinearGain = 0.5 });

        var loaded = ModelCatalog.Load(_folder);

        Assert.Equal("spinal-line-b", loaded.SpinalLineFile.Card.Id);
        Assert.Equal(written.Sha256, loaded.SpinalLineFile.Card.Sha256);
        Assert.Equal(shipped.SpinalLine.LateralFilter, loaded.SpinalLine.LateralFilter);
        Assert.Equal(shipped.SpinalLine.LateralResidual!.ToBase64(), loaded.SpinalLine.LateralResidual!.ToBase64());
        Assert.Equal(shipped.Cobb with { LinearGain = 0.5 }, loaded.Cobb);
        Assert.Equal(["spinal-line-b.card.json", "spinal-line-b.json"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_ModelFileChangedAfterItsCard_RefusedNamingTheFileAndBothHashes()
    {
        var written = WriteUniform("spinal-line-x");
        var path = Path.Combine(_folder, written.File);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"deviationGain\": 1", "\"deviationGain\": 2", StringComparison.Ordinal));

        var error = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_folder));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(written.Sha256, error.Message, StringComparison.Ordinal);
        Assert.Contains("changed or damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolderFileOrModel_SaysWhatIsMissing()
    {
        Assert.Contains("holds no spinal-line model", Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_folder)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(Path.Combine(_folder, "nothing"))).Message, StringComparison.Ordinal);

        var written = WriteUniform("spinal-line-y");
        File.Delete(Path.Combine(_folder, written.File));
        Assert.Contains("is missing", Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_folder)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DamagedCardOrACardNamingAnotherFolder_Refused()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.card.json"), "{ \"id\": ");
        Assert.Contains("cannot be read", Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_folder)).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(_folder, "broken.card.json"));
        var written = WriteUniform("spinal-line-z");
        var cardPath = Path.Combine(_folder, "spinal-line-z" + ModelCatalog.CardSuffix);
        File.WriteAllBytes(cardPath, ModelCatalog.Serialize(written with { File = "../elsewhere.json" }));
        Assert.Contains("in its own folder", Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_folder)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AFileWhoseNumbersMakeNoModel_RefusedWithTheProblems()
    {
        var broken = SpinalLineModel.Uniform with { LevelFractions = [0.5] };
        ModelCatalog.WriteSpinalLine(_folder, Card("spinal-line-short"), broken, CentreLineCobbOptions.Default);

        var error = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_folder));

        Assert.True(error.Message.Contains("LevelFractions needs 18 finite values", StringComparison.Ordinal), error.Message);
    }

    private ModelCard WriteUniform(string id) => ModelCatalog.WriteSpinalLine(_folder, Card(id), SpinalLineModel.Uniform, CentreLineCobbOptions.Default);

    private static ModelCard Card(string id) => new()
    {
        Id = id,
        Kind = ModelKinds.SpinalLine,
        File = string.Empty,
        Sha256 = string.Empty,
        Description = "test",
        Command = "test",
        Training = new ModelTraining("test", 1, 1, 1),
    };
}
