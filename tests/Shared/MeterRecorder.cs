using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace SpineScan.Testing;

/// <summary>Every measurement of one meter's instruments (a host's own meter: other tests' meters are not heard).</summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MeterRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable gauges now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public IEnumerable<(double Value, Dictionary<string, object?> Tags)> All(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags));

    /// <summary>The sum of an instrument's measurements that carry <paramref name="tag"/> = <paramref name="value"/>.</summary>
    public double Sum(string instrument, string tag, object value) =>
        All(instrument).Where(m => m.Tags.TryGetValue(tag, out var v) && Equals(v, value)).Sum(m => m.Value);

    public double Last(string instrument) => _measurements.Last(m => m.Instrument == instrument).Value;

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}

/// <summary>The checkout the tests were built from.</summary>
public static class GitCheckout
{
    /// <summary><c>git rev-parse HEAD</c> in the folder of the calling source file.</summary>
    public static string Head([CallerFilePath] string source = "")
    {
        var start = new ProcessStartInfo("git", "rev-parse HEAD") { WorkingDirectory = Path.GetDirectoryName(source)!, RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(start)!;
        var head = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        if (git.ExitCode != 0 || head.Length != 40)
        {
            throw new InvalidOperationException("These tests compare the build's commit with git rev-parse HEAD: run them in a checkout.");
        }

        return head;
    }
}
