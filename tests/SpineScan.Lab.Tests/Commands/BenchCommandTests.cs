using System.Text.Json;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Spine;
using SpineScan.Lab.Commands;
using SpineScan.Models;
using SpineScan.Phantom;
using SpineScan.Testing;

namespace SpineScan.Lab.Tests.Commands;

public class BenchCommandTests
{
    private static readonly string[] IssueFields =
    [
        "n", "cobbMaeDeg", "cobbRmseDeg", "pearsonR", "sensitivity10", "specificity10", "sensitivity20", "specificity20",
        "atrMaeDeg", "repeatabilitySdDeg", "refusedShare", "centresCobbMaeDeg", "centresMedianCobbMaeDeg", "referredShare20", "normalShare20",
    ];

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args) =>
        CommandRunner.Invoke(BenchCommand.Create(), args);

    [Fact]
    public void Accuracy_Json_CarriesTheIssueFieldsAndAgreesWithItsRowsAndTheAnalyzer()
    {
        var (exitCode, output, error) = Invoke("bench", "accuracy", "--count", "3", "--seed", "31", "--repeats", "2", "--repeat-children", "1", "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        foreach (var field in IssueFields)
        {
            Assert.True(root.TryGetProperty(field, out _), $"The report has no {field}.");
        }

        Assert.Equal(3, root.GetProperty("n").GetInt32());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);

        // The summary is the rows' arithmetic.
        static double Number(JsonElement row, string name) => row.GetProperty(name).GetDouble();
        var measured = rows.Where(r => r.GetProperty("estimatedCobbDeg").ValueKind == JsonValueKind.Number).ToList();
        Assert.NotEmpty(measured);
        Assert.Equal(measured.Average(r => Math.Abs(Number(r, "estimatedCobbDeg") - Number(r, "trueCobbDeg"))), Number(root, "cobbMaeDeg"), 9);
        Assert.Equal(rows.Average(r => Math.Abs(Number(r, "centresMedianCobbDeg") - Number(r, "trueCobbDeg"))), Number(root, "centresMedianCobbMaeDeg"), 9);
        var maeInterval = root.GetProperty("cobbMaeCi95");
        Assert.InRange(Number(root, "cobbMaeDeg"), Number(maeInterval, "low"), Number(maeInterval, "high"));
        Assert.Equal(measured.Count(r => Number(r, "trueCobbDeg") >= 20), root.GetProperty("positives20").GetInt32());

        // A row is what the analyzer reads on that child, and its floor is the tilt model's median on the true centres.
        var first = measured[0];
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = first.GetProperty("seed").GetInt32() });
        var result = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector()).Analyze(child.Standing, child.ForwardBend);
        Assert.Equal(child.Truth.CobbDeg[0], Number(first, "trueCobbDeg"), 9);
        Assert.Equal(result.Cobb!.Largest.AngleDeg, Number(first, "estimatedCobbDeg"), 9);
        var centres = SpinalLineReconstructor.FrontalCentres([.. child.Truth.Standing.Spine.Select(s => s.BodyCentreBodyMm)]);
        Assert.Equal(EndplateCobbPrediction.MedianDeg(centres, PhantomTiltModel.Parameters), Number(first, "centresMedianCobbDeg"), 9);
    }

    [Theory]
    [InlineData("0", "31")]
    [InlineData("3", "424242")]
    public void Accuracy_NoChildrenOrTheTrainingSeed_RefusedWithTheReason(string count, string seed)
    {
        var (exitCode, output, error) = Invoke("bench", "accuracy", "--count", count, "--seed", seed, "--json");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("--count must be at least 1 and --seed must differ from the training seed 424242", error, StringComparison.Ordinal);
    }
}
