using System.Text.Json;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Ports;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Inference.Tests;

public sealed class OnnxSpineCentreModelTests : IDisposable
{
    private readonly string _temporary = Directory.CreateTempSubdirectory("spinescan-onnx-").FullName;

    private static LoadedModel Shipped() => ModelCatalog.Shipped.Models.Single(m => m.Card.Kind == OnnxSpineCentreModel.Kind);

    public void Dispose() => Directory.Delete(_temporary, recursive: true);

    [Fact]
    public void FromCatalog_ShippedModel_LoadsOnTheCpuNamedByItsCardsIdAndHash()
    {
        var card = Shipped().Card;

        using var model = OnnxSpineCentreModel.FromCatalog(ModelCatalog.Shipped, new InferenceOptions(PreferCuda: false));

        Assert.NotNull(model);
        Assert.Equal(card.Id, model.Info.Id);
        Assert.Equal(card.Sha256, model.Info.Sha256);
        Assert.Equal(ModelCatalog.Sha256Of(Shipped().Path), model.Info.Sha256);
        Assert.Equal(InferenceProvider.Cpu, model.Provider);
        Assert.Null(model.ProviderNote);
        Assert.InRange(model.MaxTrustedSigma, 1e-4, 1);
        Assert.InRange(new FileInfo(Shipped().Path).Length, 1, 10 * 1024 * 1024);
        Assert.Contains(card.Id, model.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ChangedFile_RefusedNamingTheFileBothHashesAndWhatToDo()
    {
        var shipped = Shipped();
        var bytes = File.ReadAllBytes(shipped.Path);
        bytes[bytes.Length / 2] ^= 0x01;
        var changed = Path.Combine(_temporary, shipped.Card.File);
        File.WriteAllBytes(changed, bytes);

        var e = Assert.Throws<ModelLoadException>(() => OnnxSpineCentreModel.Load(shipped with { Path = changed }));

        Assert.Contains(changed, e.Message, StringComparison.Ordinal);
        Assert.Contains(shipped.Card.Sha256, e.Message, StringComparison.Ordinal);
        Assert.Contains(ModelCatalog.Sha256Of(changed), e.Message, StringComparison.Ordinal);
        Assert.Contains("Reinstall SpineScan", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_RefusedSayingWhatToDo()
    {
        var shipped = Shipped();

        var e = Assert.Throws<ModelLoadException>(() => OnnxSpineCentreModel.Load(shipped with { Path = Path.Combine(_temporary, "absent.onnx") }));

        Assert.Contains("absent.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("Reinstall SpineScan", e.Message, StringComparison.Ordinal);
    }

    // This build has the CPU runtime only (the CI machine has no GPU): asking for CUDA must end on the CPU with one line.
    [Fact]
    public void Load_CudaAskedForWhereAbsent_RunsOnTheCpuAndSaysSoInOneLine()
    {
        Assert.False(InferenceOptions.GpuBuild);

        using var model = OnnxSpineCentreModel.Load(Shipped(), new InferenceOptions(PreferCuda: true));

        Assert.Equal(InferenceProvider.Cpu, model.Provider);
        Assert.NotNull(model.ProviderNote);
        Assert.StartsWith("CUDA is not available here", model.ProviderNote, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', model.ProviderNote);
        var prediction = new float[SpineCentrePrediction.Length];
        model.Predict(new float[BackGrid.Length], prediction);
        Assert.All(prediction, v => Assert.True(float.IsFinite(v)));
    }

    // The known answer: one validation child's grid, and what PyTorch gave for it when the model was exported.
    [Fact]
    public void Predict_ReferenceGrid_GivesPyTorchsAnswer()
    {
        var shipped = Shipped();
        using var reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", shipped.Card.Id + ".reference.json")));
        Assert.Equal(shipped.Card.Sha256, reference.RootElement.GetProperty("sha256").GetString());
        var grid = reference.RootElement.GetProperty("grid").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var expected = reference.RootElement.GetProperty("centres").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        using var model = OnnxSpineCentreModel.Load(shipped, new InferenceOptions(PreferCuda: false));
        var prediction = new float[SpineCentrePrediction.Length];

        model.Predict(grid, prediction);

        // Shares of the trunk length: 1e-4 is 0.05 mm on a 450 mm trunk.
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.InRange(prediction[k], expected[k] - 1e-4f, expected[k] + 1e-4f);
        }

        // Sigmas are positive; the sagittal centres lie in front of the back plane (negative: toward the belly).
        Assert.All(prediction[(2 * SpineCentrePrediction.Levels)..], s => Assert.True(s > 0));
        Assert.All(prediction[SpineCentrePrediction.Levels..(2 * SpineCentrePrediction.Levels)], s => Assert.True(s < 0));
    }

    [Fact]
    public void Predict_WrongLengths_ThrowsSayingTheLengths()
    {
        using var model = OnnxSpineCentreModel.Load(Shipped(), new InferenceOptions(PreferCuda: false));

        var e = Assert.Throws<ArgumentException>(() => model.Predict(new float[10], new float[SpineCentrePrediction.Length]));

        Assert.Contains($"{BackGrid.Length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WithTheShippedModel_ResultNamesItsIdAndHash()
    {
        using var model = OnnxSpineCentreModel.Load(Shipped(), new InferenceOptions(PreferCuda: false));
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 301, FrameCount = 4 });
        var analyzer = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector(), model);

        var result = analyzer.Analyze(child.Standing, null);

        Assert.Empty(result.Issues);
        Assert.Contains(result.Models, m => m.Id == model.Info.Id && m.Sha256 == Shipped().Card.Sha256);
        Assert.Contains(result.Models, m => m.Id == ModelCatalog.Shipped.SpinalLineFile.Card.Id);
        Assert.InRange(result.Cobb!.Largest.AngleDeg, 0, 90);
    }
}
