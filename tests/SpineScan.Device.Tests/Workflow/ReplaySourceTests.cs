using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Device.Tests.Support;
using SpineScan.Imaging.Replay;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Device.Tests.Workflow;

public class ReplaySourceTests
{
    [Fact]
    public async Task Screen_ReplayOfAScreeningFolder_FollowsThePoseAndStoresTheSameResultAsTheAnalysis()
    {
        var folder = TestStation.NewFolder() + "-replay";
        try
        {
            // A phantom child that the pipeline measures, written in the replay format as 'spinescan-lab phantom' does, with the
            // burst the device takes from this camera (30 frames on active stereo), so that the station fuses the same frames.
            var analyzer = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());
            ScreeningResult? expected = null;
            for (var seed = 1; expected is null; seed++)
            {
                using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Sensor = PhantomSensor.RealSenseD435 });
                var result = analyzer.Analyze(child.Standing, child.ForwardBend);
                if (result.Category != ScreeningCategory.Retake)
                {
                    ReplayCaptureWriter.Write(child.Standing, Path.Combine(folder, "standing"));
                    ReplayCaptureWriter.Write(child.ForwardBend, Path.Combine(folder, "forward_bend"));
                    expected = result;
                }
            }

            await using var test = TestStation.Create(new Dictionary<string, string?> { ["Source"] = "replay", ["Cameras:Replay:Directory"] = folder });
            var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");

            var outcome = await test.ScreenAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);

            Assert.Equal("replay", test.Station.Camera.Source);
            Assert.True(test.Station.Camera.Ready);
            Assert.Equal(expected.Category.ToString(), outcome.Analysis.Category.ToString());
            Assert.Equal(expected.Cobb!.Largest.AngleDeg, outcome.Analysis.LargestCobbDeg!.Value, 0.01); // the same frames, the same numbers (deg)
            Assert.Equal(expected.AtrDeg!.Value.Value, outcome.Analysis.Metrics.AtrDeg!.Value, 0.01);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
