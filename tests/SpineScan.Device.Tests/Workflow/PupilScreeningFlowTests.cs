using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Device.Analysis;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Replay;
using SpineScan.Models;

namespace SpineScan.Device.Tests.Workflow;

public class PupilScreeningFlowTests
{
    [Fact]
    public async Task Screen_OnePupil_AnalysesTheStandingCaptureOnce()
    {
        var detector = new CountingDetector();
        await using var test = TestStation.Create(configure: services => services.AddSingleton<ILandmarkDetector>(detector));
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");

        var outcome = await test.ScreenAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);

        // Landmarks are found on the standing surface only: one detection per accepted standing capture. The gate's
        // analysis is kept and completed by the forward bend (it used to be repeated at completion: two).
        Assert.NotEqual(ScreeningCategory.Retake, outcome.Analysis.Category);
        Assert.Equal(1, detector.Calls);
    }

    [Fact]
    public async Task Screen_StoredReviewMap_IsTheFusedFrameTheAnalysisMeasuredOn()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var outcome = await test.ScreenAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);
        await using var db = test.Store.CreateContext();
        var stored = JsonSerializer.Deserialize((await db.Results.SingleAsync()).DepthMapJson!, SpineScanJsonContext.Default.ReviewDepthMap)!;

        // The stored raw depth analysed again: its fused frame and unrounded landmarks give the map cell for cell. The
        // map was a plain mean of the raw frames placed from the rounded wire landmarks, which differs at the
        // back's edges (flying pixels the trimmed mean drops) and in its origin.
        using var standing = ReplayCaptureReader.Read(Path.Combine(test.Store.Folder.CapturesDirectory, outcome.ReportId.ToString("N"), "standing"));
        using var analysis = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector()).AnalyzeStanding(standing);
        var expected = ReviewDepthMapBuilder.Build(analysis)!;

        Assert.Equal((expected.Width, expected.Height, expected.MmPerPixel, expected.OriginXMm, expected.OriginYMm), (stored.Width, stored.Height, stored.MmPerPixel, stored.OriginXMm, stored.OriginYMm));
        Assert.Equal(expected.DepthsMm, stored.DepthsMm);
    }

    [Fact]
    public async Task Screen_Report_CarriesTheForwardBendMapOfItsForwardBendCapture()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var outcome = await test.ScreenAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);
        await using var db = test.Store.CreateContext();
        var report = JsonSerializer.Deserialize((await db.Outbox.SingleAsync()).PayloadJson, SpineScanJsonContext.Default.SyncReport)!;

        // The report sent to the server carries the forward bend's map (it carried only the standing one), valid under
        // the contract, of the child's bent back: most cells measured, at the distance the phantom stands.
        Assert.Empty(SyncReportValidator.Validate(report));
        var bend = Assert.IsType<ReviewDepthMap>(report.ForwardBendDepthMap);
        var depths = new ushort[bend.Width * bend.Height];
        bend.CopyDepthsTo(depths);
        var measured = depths.Where(d => d != ReviewDepthMap.NoDepth).ToList();
        Assert.True(measured.Count > depths.Length / 4, $"{measured.Count} of {depths.Length} cells measured");
        Assert.InRange(measured.Order().ElementAt(measured.Count / 2), (ushort)500, (ushort)2500);
        Assert.NotEqual(report.DepthMap!.DepthsMm, bend.DepthsMm);

        // It is the stored forward-bend capture's map: the raw depth read back gives it cell for cell.
        using var stored = ReplayCaptureReader.Read(Path.Combine(test.Store.Folder.CapturesDirectory, outcome.ReportId.ToString("N"), "forward_bend"));
        var expected = ReviewDepthMapBuilder.BuildForwardBend(stored)!;
        Assert.Equal((expected.Width, expected.Height, expected.MmPerPixel, expected.OriginXMm, expected.OriginYMm), (bend.Width, bend.Height, bend.MmPerPixel, bend.OriginXMm, bend.OriginYMm));
        Assert.Equal(expected.DepthsMm, bend.DepthsMm);
    }

    [Theory]
    [InlineData(true, CapturePose.Standing)]
    [InlineData(false, CapturePose.ForwardBend)]
    public async Task CaptureNext_ForwardBendRefused_TheFlowNamesThePoseToTakeAgain(bool retakeShowsNewSubject, CapturePose again)
    {
        // A camera that shows a standing child whatever it is asked: every forward bend is refused as not bending.
        await using var test = ScriptedStation(retakeShowsNewSubject);
        var pupil = await PupilWithConsentAsync(test);
        Assert.True((await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None)).Accepted);

        var step = await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None);

        Assert.False(step.Accepted);
        Assert.Contains(CaptureFindingCodes.NotBending, step.Findings.Select(f => f.Code));
        Assert.Equal(again, step.NextPose);
        Assert.Equal(2, step.RetakesLeft);
        var listed = (await test.Station.FindPupilsAsync((await test.Station.GetCurrentSessionAsync(CancellationToken.None))!.Id, null, CancellationToken.None))[0];
        Assert.Equal(again, listed.NextPose);
    }

    [Fact]
    public async Task CaptureNext_RefusedMoreThanTheRetakes_StopsUntilScreenAgain()
    {
        await using var test = ScriptedStation(retakeShowsNewSubject: false, overrides: new Dictionary<string, string?> { ["MaxRetakes"] = "2" });
        var pupil = await PupilWithConsentAsync(test);
        Assert.True((await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None)).Accepted);

        var refusals = new List<CaptureStepResult>();
        for (var i = 0; i < 3; i++)
        {
            refusals.Add(await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None));
        }

        Assert.Equal([2 - 1, 0, 0], refusals.Select(r => r.RetakesLeft));
        Assert.Equal([false, false, true], refusals.Select(r => r.RetakesUsedUp));
        var stopped = await Assert.ThrowsAsync<StationInputException>(() => test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None));
        Assert.Contains("retakes are used up", stopped.Message, StringComparison.Ordinal);

        var restarted = await test.Station.ScreenAgainAsync(pupil.Id, CancellationToken.None);

        Assert.Equal(CapturePose.Standing, restarted.NextPose);
        Assert.True((await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None)).Accepted);
    }

    private static TestStation ScriptedStation(bool retakeShowsNewSubject, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>()) { ["Source"] = StandingOnlySource.SourceName };
        return TestStation.Create(settings, configure: services => services.AddSingleton<IDepthCameraSource>(new StandingOnlySource(retakeShowsNewSubject)));
    }

    private static async Task<PupilEntry> PupilWithConsentAsync(TestStation test)
    {
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        return await test.Station.RecordConsentAsync(pupil.Id, true, CancellationToken.None);
    }

    private sealed class CountingDetector : ILandmarkDetector
    {
        private readonly ClassicLandmarkDetector _inner = new();
        private int _calls;

        public int Calls => _calls;

        public string Id => _inner.Id;

        public IReadOnlyList<GridLandmark> Detect(BackSurface surface)
        {
            Interlocked.Increment(ref _calls);
            return _inner.Detect(surface);
        }
    }

    // Streams one phantom child's standing frames whatever pose it is shown.
    internal sealed class StandingOnlySource(bool retakeShowsNewSubject) : IDepthCameraSource
    {
        public const string SourceName = "standing-only";

        public string Name => SourceName;

        public DepthCameraSourceState Probe() => new(true, "a standing child, always");

        public IDepthCamera Create() => new Camera(retakeShowsNewSubject);

        private sealed class Camera(bool retakeShowsNewSubject) : IDepthCamera, IStagedCamera
        {
            private readonly SpineScan.Phantom.PhantomChild _child = FirstMeasurableChild();
            private int _next;

            public DepthCameraInfo? Info { get; private set; }

            public CapturePose Pose { get; set; }

            public bool RetakeShowsNewSubject => retakeShowsNewSubject;

            public ValueTask NextSubjectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
            {
                Info = new DepthCameraInfo(_child.Standing.Device, _child.Standing.Intrinsics, _child.Standing.DepthScaleM, 30);
                return ValueTask.FromResult(Info);
            }

            public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(5, cancellationToken);
                var frames = _child.Standing.Frames;
                return frames[_next++ % frames.Count].Clone();
            }

            public ValueTask DisposeAsync()
            {
                _child.Dispose();
                return ValueTask.CompletedTask;
            }

            private static SpineScan.Phantom.PhantomChild FirstMeasurableChild()
            {
                var analyzer = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());
                for (var seed = 1; ; seed++)
                {
                    var child = SpineScan.Phantom.PhantomGenerator.Generate(new SpineScan.Phantom.PhantomOptions { Seed = seed, FrameCount = 10, Sensor = SpineScan.Phantom.PhantomSensor.RealSenseD435 });
                    using (var standing = analyzer.AnalyzeStanding(child.Standing))
                    {
                        if (standing.Accepted)
                        {
                            return child;
                        }
                    }

                    child.Dispose();
                }
            }
        }
    }
}
