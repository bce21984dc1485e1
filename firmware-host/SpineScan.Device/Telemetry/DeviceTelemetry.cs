using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Device.Storage;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Telemetry;

/// <summary>
/// The device's instruments (meter <see cref="MeterName"/>): analysis latency per stage, captures refused by reason, the
/// outbox's depth and the age of its oldest waiting report, and the data disk's free space. A host exports them
/// (OpenTelemetry in the kiosk); unexported they cost a counter add.
/// </summary>
public sealed class DeviceTelemetry : IDisposable
{
    public const string MeterName = "SpineScan.Device";

    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _refused;
    private readonly LocalStore _store;
    private readonly TimeProvider _time;

    public DeviceTelemetry(LocalStore store, DataFolder folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);
        _store = store;
        _time = time;
        Meter = new Meter(MeterName);
        _stageDuration = Meter.CreateHistogram<double>("spinescan.analysis.stage.duration", "s", "Wall time of each analysis stage of a completed screening, by stage.");
        _refused = Meter.CreateCounter<long>("spinescan.captures.refused", "{capture}", "Captures refused by the quality gate, by pose and finding code.");
        Meter.CreateObservableGauge("spinescan.outbox.waiting", () => Outbox().Waiting, "{report}", "Reports waiting in the outbox.");
        Meter.CreateObservableGauge("spinescan.outbox.oldest_waiting_age", () => Outbox().OldestAge, "s", "How long the oldest waiting report has waited (0 when none waits).");
        Meter.CreateObservableGauge("spinescan.disk.free", () => new DriveInfo(folder.Path).AvailableFreeSpace, "By", "Free space on the data folder's disk.");
    }

    /// <summary>This station's meter (tests listen to this one only).</summary>
    public Meter Meter { get; }

    /// <summary>Records a screening's stage timings (<see cref="ScreeningResult.TimingsMs"/>).</summary>
    public void AnalysisTimed(IReadOnlyDictionary<string, double> timingsMs)
    {
        ArgumentNullException.ThrowIfNull(timingsMs);
        foreach (var (stage, ms) in timingsMs)
        {
            _stageDuration.Record(ms / 1000, new KeyValuePair<string, object?>("stage", stage));
        }
    }

    /// <summary>Counts a refused capture once per finding code (its reasons).</summary>
    public void CaptureRefused(CapturePose pose, IReadOnlyList<CaptureFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var poseName = DepthCapture.PoseName(pose);
        foreach (var finding in findings)
        {
            _refused.Add(1, new KeyValuePair<string, object?>("pose", poseName), new KeyValuePair<string, object?>("reason", finding.Code));
        }
    }

    /// <summary>The outbox as a gauge sees it; nothing before the store is opened (a gauge must not open it).</summary>
    private (Measurement<long> Waiting, Measurement<double> OldestAge) Outbox()
    {
        try
        {
            using var db = _store.CreateContext();
            var waiting = db.Outbox.AsNoTracking().Where(o => o.State == OutboxState.Waiting);
            var count = waiting.LongCount();
            // Ids grow with time: the lowest waiting id is the oldest (SQLite cannot order by a DateTimeOffset).
            var oldest = waiting.OrderBy(o => o.Id).Select(o => (DateTimeOffset?)o.CreatedAt).FirstOrDefault();
            var age = oldest is { } at ? Math.Max(0, (_time.GetUtcNow() - at).TotalSeconds) : 0;
            return (new Measurement<long>(count), new Measurement<double>(age));
        }
        catch (InvalidOperationException)
        {
            return (new Measurement<long>(0), new Measurement<double>(0));
        }
    }

    public void Dispose() => Meter.Dispose();
}
