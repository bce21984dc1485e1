using System.Text.Json;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Spine;
using SpineScan.Lab.Bench;
using SpineScan.Lab.Commands;
using SpineScan.Models;
using SpineScan.Phantom;
using SpineScan.Testing;

namespace SpineScan.Lab.Tests.Commands;

public class BenchCommandTests
{
    // Issue 17's figures, per reading (the estimate and the floor).
    private static readonly string[] ReadingFields =
    [
        "maeDeg", "rmseDeg", "biasDeg", "slope", "pearsonR", "maeByBandDeg", "sensitivity20", "specificity20", "coverage90",
        "referred20", "normal20", "referred30", "referredUnder10", "read40Below30", "schoolReferralRate", "schoolPpv20",
    ];

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args) =>
        CommandRunner.Invoke(BenchCommand.Create(), args);

    [Fact]
    public void Accuracy_Json_CarriesTheIssueFieldsAndAgreesWithItsRowsAndTheAnalyzer()
    {
        var (exitCode, output, error) = Invoke("bench", "accuracy", "--count", "3", "--seed", "31", "--repeats", "2", "--repeat-children", "1", "--world", "in-range", "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("in-range", root.GetProperty("world").GetString());
        foreach (var reading in new[] { "estimate", "floor" })
        {
            foreach (var field in ReadingFields)
            {
                Assert.True(root.GetProperty(reading).TryGetProperty(field, out _), $"The report's {reading} has no {field}.");
            }
        }

        Assert.True(root.TryGetProperty("refusedByReason", out _));
        Assert.Equal(3, root.GetProperty("n").GetInt32());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);

        // The summary is the rows' arithmetic.
        static double Number(JsonElement row, string name) => row.GetProperty(name).GetDouble();
        var measured = rows.Where(r => r.GetProperty("estimatedCobbDeg").ValueKind == JsonValueKind.Number).ToList();
        Assert.NotEmpty(measured);
        var estimate = root.GetProperty("estimate");
        var floor = root.GetProperty("floor");
        Assert.Equal(measured.Average(r => Math.Abs(Number(r, "estimatedCobbDeg") - Number(r, "trueCobbDeg"))), Number(estimate, "maeDeg"), 9);
        Assert.Equal(measured.Average(r => Math.Abs(Number(r, "floorCobbDeg") - Number(r, "trueCobbDeg"))), Number(floor, "maeDeg"), 9);
        var maeInterval = estimate.GetProperty("maeCi95");
        Assert.InRange(Number(estimate, "maeDeg"), Number(maeInterval, "low"), Number(maeInterval, "high"));
        Assert.Equal(measured.Count(r => Number(r, "trueCobbDeg") >= 20), root.GetProperty("positives20").GetInt32());
        Assert.Equal(measured.Count(r => Number(r, "trueCobbDeg") >= Number(r, "floorLower90") && Number(r, "trueCobbDeg") <= Number(r, "floorUpper90")) / (double)measured.Count, Number(floor, "coverage90"), 9);

        // A row is what the analyzer reads on that child, and its floor is the tilt model's distribution on the true centres.
        var first = measured[0];
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = first.GetProperty("seed").GetInt32(), World = PhantomWorld.InRange });
        var result = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector()).Analyze(child.Standing, child.ForwardBend);
        Assert.Equal(child.Truth.CobbDeg[0], Number(first, "trueCobbDeg"), 9);
        Assert.Equal(result.Cobb!.Largest.AngleDeg, Number(first, "estimatedCobbDeg"), 9);
        var centres = SpinalLineReconstructor.FrontalCentres([.. child.Truth.Standing.Spine.Select(s => s.BodyCentreBodyMm)]);
        var (lower, median, upper) = EndplateCobbPrediction.Distribution(centres, AccuracyBench.FloorTilts(PhantomWorld.InRange));
        Assert.Equal(median, Number(first, "floorCobbDeg"), 9);
        Assert.Equal(lower, Number(first, "floorLower90"), 9);
        Assert.Equal(upper, Number(first, "floorUpper90"), 9);
    }

    [Fact]
    public void Worlds_TwoChildrenPerWorld_OneReportPerBenchmarkedWorldAndAPlot()
    {
        var folder = Directory.CreateTempSubdirectory("spinescan-worlds-").FullName;
        try
        {
            var json = Path.Combine(folder, "worlds.json");
            var plot = Path.Combine(folder, "worlds.svg");
            var (exitCode, output, error) = Invoke("bench", "worlds", "--count", "2", "--seed", "77", "--repeats", "1", "--json", json, "--plot", plot);

            Assert.True(exitCode == 0, error);
            using var document = JsonDocument.Parse(File.ReadAllText(json));
            var worlds = document.RootElement.GetProperty("worlds").EnumerateArray().Select(w => w.GetProperty("world").GetString()).ToList();
            Assert.Equal(PhantomWorld.Benchmarked.Select(w => w.Name), worlds);
            Assert.All(PhantomWorld.Benchmarked, w => Assert.Contains(w.Name, output, StringComparison.Ordinal));
            var svg = System.Xml.Linq.XDocument.Load(plot);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal(PhantomWorld.Benchmarked.Count * 2, svg.Descendants().Count(e => e.Name.LocalName == "circle") + RefusedRows(document));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static int RefusedRows(JsonDocument document) => document.RootElement.GetProperty("worlds").EnumerateArray()
            .Sum(w => w.GetProperty("rows").EnumerateArray().Count(r => r.GetProperty("estimatedCobbDeg").ValueKind != JsonValueKind.Number));
    }

    // A world run alone keeps the seed it has in the whole run, so its rows are the whole run's rows.
    [Fact]
    public void Worlds_OneWorldAlone_SameRowsAsInTheWholeRunAndAMarkdownTable()
    {
        var folder = Directory.CreateTempSubdirectory("spinescan-worlds-").FullName;
        try
        {
            var json = Path.Combine(folder, "one.json");
            var markdown = Path.Combine(folder, "one.md");
            var (exitCode, _, error) = Invoke("bench", "worlds", "--count", "2", "--seed", "78", "--repeat-children", "0", "--worlds", "shifted-body", "--json", json, "--markdown", markdown);
            Assert.True(exitCode == 0, error);
            var (wholeExit, _, wholeError) = Invoke("bench", "worlds", "--count", "2", "--seed", "78", "--repeat-children", "0", "--worlds", "in-range", "shifted-body", "--json", json + ".whole");
            Assert.True(wholeExit == 0, wholeError);

            using var alone = JsonDocument.Parse(File.ReadAllText(json));
            using var whole = JsonDocument.Parse(File.ReadAllText(json + ".whole"));
            var aloneWorlds = alone.RootElement.GetProperty("worlds").EnumerateArray().ToList();
            Assert.Equal("shifted-body", Assert.Single(aloneWorlds).GetProperty("world").GetString());
            var inWhole = whole.RootElement.GetProperty("worlds").EnumerateArray().Single(w => w.GetProperty("world").GetString() == "shifted-body");
            Assert.Equal(inWhole.GetProperty("rows").GetRawText(), aloneWorlds[0].GetProperty("rows").GetRawText());
            var lines = File.ReadAllLines(markdown);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("| world | method (model share) | measured / N |", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("| shifted-body | classical | ", lines[2], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Worlds_UnknownWorld_RefusedNamingTheWorlds()
    {
        var (exitCode, _, error) = Invoke("bench", "worlds", "--count", "2", "--seed", "78", "--worlds", "mars");

        Assert.Equal(2, exitCode);
        Assert.Contains("no benchmarked world is called 'mars'; the worlds are in-range, ", error, StringComparison.Ordinal);
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

    // The interval is fitted on the training children's evidence and applied to the analyzer's: a quality the cache did not
    // keep is fitted as 0 and then meets real values at run time.
    [Fact]
    public void TrainingSample_InRangeChild_KeepsTheEvidenceTheAnalyzerGivesTheInterval()
    {
        var analyzer = new ScreeningAnalyzer(new AnalysisSettings { SpinalLine = SpinalLineModel.Uniform, Cobb = CentreLineCobbOptions.Default }, new ClassicLandmarkDetector());

        var sample = BenchCommand.TrainingSample(analyzer, 1, PhantomWorld.InRange);

        Assert.NotNull(sample?.Quality);
        foreach (var name in new[] { "distanceMm", "validShare", "depthNoiseMm" })
        {
            Assert.True(sample.Quality.TryGetValue(name, out var value) && double.IsFinite(value) && value > 0, $"{name} not kept");
        }
    }
}
