using System.Text.Json.Nodes;
using System.Text.Json;
using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Device.Analysis;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Device.Tests.Analysis;

/// <summary>
/// The analysis result of a fixed set of phantom children, as the device sends it (timings left out), against the
/// goldens in <c>Golden/</c>. A change to the pipeline or its models that moves any output fails here: when it is meant,
/// raise <see cref="ScreeningResult.AlgorithmVersion"/> and rewrite the goldens with
/// <c>SPINESCAN_UPDATE_GOLDEN=1 dotnet test tests/SpineScan.Device.Tests --filter GoldenAnalysisTests</c>, which refuses
/// to rewrite changed outputs under the version they were made with.
/// </summary>
public class GoldenAnalysisTests
{
    /// <summary>Ten children of batch 7701 (camera drawn per child) and two of batch 7702 on the ToF camera.</summary>
    public static TheoryData<string, int, int, bool> Children()
    {
        var data = new TheoryData<string, int, int, bool>();
        for (var i = 1; i <= 10; i++)
        {
            data.Add(FormattableString.Invariant($"children_child_{i:0000}"), 7701, i, false);
        }

        data.Add("kinect_child_0001", 7702, 1, true);
        data.Add("kinect_child_0002", 7702, 2, true);
        return data;
    }

    private static string Folder => Path.Combine(FindRepository(), "tests", "SpineScan.Device.Tests", "Golden");

    private static bool Updating => Environment.GetEnvironmentVariable("SPINESCAN_UPDATE_GOLDEN") == "1";

    // The version the goldens were made with, read once per run (an update rewrites the file as it goes).
    private static readonly Lazy<string?> RecordedVersion = new(() =>
    {
        var path = Path.Combine(Folder, "algorithm-version.txt");
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    });

    [Theory]
    [MemberData(nameof(Children))]
    public void Analyze_FixedPhantomChild_MatchesItsGolden(string name, int batch, int index, bool kinect)
    {
        var options = new PhantomOptions { Seed = PhantomSeeds.ForChild(batch, index), Sensor = kinect ? PhantomSensor.AzureKinectNfov : null };
        using var child = PhantomGenerator.Generate(options);
        var analyzer = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());
        var actual = Canonical(ContractMapper.ToContract(analyzer.Analyze(child.Standing, child.ForwardBend)));
        var path = Path.Combine(Folder, name + ".json");
        var versionPath = Path.Combine(Folder, "algorithm-version.txt");
        var goldenVersion = RecordedVersion.Value;
        var golden = File.Exists(path) ? File.ReadAllText(path) : null;
        if (Updating)
        {
            Assert.False(
                golden is not null && golden != actual && goldenVersion == ScreeningResult.AlgorithmVersion,
                $"{name}: the output changed but ScreeningResult.AlgorithmVersion is still {goldenVersion}. Raise it before rewriting the goldens.");
            File.WriteAllText(path, actual);
            File.WriteAllText(versionPath, ScreeningResult.AlgorithmVersion + "\n");
            return;
        }

        Assert.True(golden is not null, $"No golden for {name}: write them with SPINESCAN_UPDATE_GOLDEN=1.");
        Assert.True(
            golden == actual,
            $"The analysis of {name} differs from its golden ({path}). If the change is meant, raise ScreeningResult.AlgorithmVersion (now {ScreeningResult.AlgorithmVersion}) and rewrite the goldens with SPINESCAN_UPDATE_GOLDEN=1.");
        Assert.Equal(ScreeningResult.AlgorithmVersion, goldenVersion);
    }

    // The wire JSON, indented, without the timings (which differ run to run).
    private static string Canonical(AnalysisResult result)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(result, SpineScanJsonContext.Default.AnalysisResult))!.AsObject();
        node.Remove("timingsMs");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SpineScan.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository (SpineScan.sln) was not found above the test's folder.");
    }
}
