using SpineScan.Core.Depth;

namespace SpineScan.Core.Cameras;

/// <summary>
/// Paces a simulated camera on a <see cref="TimeProvider"/>: the first frame is due at once, each next one a given
/// gap after the previous one was released. A consumer that falls behind is not paid back with a burst: like a live
/// camera, the schedule goes on from when the late frame was taken.
/// </summary>
public sealed class FramePacer(TimeProvider timeProvider)
{
    private long _previousTicks;
    private bool _started;

    /// <summary>Waits until <paramref name="sincePrevious"/> has passed since the previous frame was released (not at all for the first).</summary>
    public async ValueTask WaitAsync(TimeSpan sincePrevious, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        if (_started)
        {
            var due = _previousTicks + (long)Math.Round(sincePrevious.TotalSeconds * timeProvider.TimestampFrequency);
            if (due > now)
            {
                await Task.Delay(timeProvider.GetElapsedTime(now, due), timeProvider, cancellationToken).ConfigureAwait(false);
                now = due;
            }
        }

        _started = true;
        _previousTicks = now;
    }

    /// <summary>A deep copy of <paramref name="frame"/> on a fresh pooled buffer, stamped <paramref name="timestampMs"/>.</summary>
    public static DepthFrame CopyAt(DepthFrame frame, double timestampMs)
    {
        var copy = DepthFrame.Create(frame.Width, frame.Height, frame.DepthScaleM, timestampMs);
        for (var y = 0; y < frame.Height; y++)
        {
            frame.Row(y).CopyTo(copy.Row(y));
        }

        return copy;
    }
}
