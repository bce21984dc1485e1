using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Core.Analysis;
using SpineScan.Core.Ports;
using SpineScan.Device.Storage;
using SpineScan.Device.Telemetry;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Tests.Workflow;
using SpineScan.DeviceStore;
using SpineScan.Testing;

namespace SpineScan.Device.Tests.Telemetry;

/// <summary>The device's instruments measure what the station does: stage timings, refusals, the outbox, the disk.</summary>
public sealed class DeviceTelemetryTests
{
    [Fact]
    public async Task ScreenOnePupil_RecordsEachStageTiming_AndTheOutboxWaitsWithOneReport()
    {
        await using var test = TestStation.Create();
        using var recorder = new MeterRecorder(test.Services.GetRequiredService<DeviceTelemetry>().Meter);
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));

        await test.ScreenAsync(pupil.Id);
        recorder.Observe();

        await using var db = test.Store.CreateContext();
        var payload = JsonNode.Parse((await db.Outbox.SingleAsync()).PayloadJson)!;
        var timings = payload["analysis"]!["timingsMs"]!.AsObject().ToDictionary(t => t.Key, t => t.Value!.GetValue<double>(), StringComparer.Ordinal);
        Assert.NotEmpty(timings);
        var stages = recorder.All("spinescan.analysis.stage.duration").ToDictionary(m => (string)m.Tags["stage"]!, m => m.Value, StringComparer.Ordinal);
        Assert.Equal(timings.Keys.Order(StringComparer.Ordinal), stages.Keys.Order(StringComparer.Ordinal));
        foreach (var (stage, ms) in timings)
        {
            Assert.Equal(ms / 1000, stages[stage], 1e-4); // the payload rounds to 0.01 ms
        }

        Assert.Equal(1, recorder.Last("spinescan.outbox.waiting"));
        Assert.InRange(recorder.Last("spinescan.outbox.oldest_waiting_age"), 0, 600);
        Assert.Equal(new DriveInfo(test.DataDirectory).AvailableFreeSpace, recorder.Last("spinescan.disk.free"), 50e6); // within 50 MB: other writers share the disk
    }

    [Fact]
    public async Task RefusedForwardBend_IsCountedByPoseAndReason()
    {
        var settings = new Dictionary<string, string?> { ["Source"] = PupilScreeningFlowTests.StandingOnlySource.SourceName };
        await using var test = TestStation.Create(settings, configure: s => s.AddSingleton<IDepthCameraSource>(new PupilScreeningFlowTests.StandingOnlySource(false)));
        using var recorder = new MeterRecorder(test.Services.GetRequiredService<DeviceTelemetry>().Meter);
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = await test.Station.RecordConsentAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id, true, CancellationToken.None);
        Assert.True((await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None)).Accepted);

        var step = await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None);

        Assert.False(step.Accepted);
        var refused = recorder.All("spinescan.captures.refused").ToList();
        Assert.Equal(step.Findings.Count, refused.Count);
        Assert.Contains(refused, m => Equals(m.Tags["pose"], "forward_bend") && Equals(m.Tags["reason"], CaptureFindingCodes.NotBending) && m.Value == 1);
        recorder.Observe();
        Assert.Equal(0, recorder.Last("spinescan.outbox.waiting"));
        Assert.Equal(0, recorder.Last("spinescan.outbox.oldest_waiting_age"));
    }
}
