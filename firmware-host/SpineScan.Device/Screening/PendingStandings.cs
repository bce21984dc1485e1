using SpineScan.Core.Analysis;
using SpineScan.Device.Storage;

namespace SpineScan.Device.Screening;

/// <summary>An accepted standing capture waiting for its forward bend: its analysis (kept, not repeated) and its raw depth on disk.</summary>
/// <param name="ReportId">The report id the screening will have (UUIDv7); a retake of standing keeps it.</param>
/// <param name="Analysis">The standing analysis, with the fused frame the review depth map is drawn from.</param>
/// <param name="Folder">The raw depth folder, relative to the data folder.</param>
/// <param name="FrameCount">Frames in the standing burst.</param>
public sealed record PendingStanding(Guid ReportId, StandingAnalysis Analysis, string Folder, int FrameCount);

/// <summary>
/// The standing captures waiting for their forward bend, one per pupil, in memory (a restart loses them and standing
/// is captured again). Thread-safe: the kiosk's lists read them while a capture runs.
/// </summary>
public sealed class PendingStandings(RawDepthArchive rawDepth) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, PendingStanding> _pending = [];

    /// <summary>True when the pupil's standing capture waits for the forward bend.</summary>
    public bool Holds(long pupilId)
    {
        lock (_lock)
        {
            return _pending.ContainsKey(pupilId);
        }
    }

    public PendingStanding? For(long pupilId)
    {
        lock (_lock)
        {
            return _pending.GetValueOrDefault(pupilId);
        }
    }

    /// <summary>Keeps a pupil's accepted standing (replacing an earlier one, whose analysis is released).</summary>
    public void Set(long pupilId, PendingStanding standing)
    {
        PendingStanding? old;
        lock (_lock)
        {
            _pending.Remove(pupilId, out old);
            _pending[pupilId] = standing;
        }

        if (old is not null && !ReferenceEquals(old.Analysis, standing.Analysis))
        {
            old.Analysis.Dispose();
        }
    }

    /// <summary>Forgets a pupil's standing; its raw depth is deleted too unless the screening was stored (<paramref name="keepFolder"/>).</summary>
    public void Drop(long pupilId, bool keepFolder = false)
    {
        PendingStanding? pending;
        lock (_lock)
        {
            _pending.Remove(pupilId, out pending);
        }

        if (pending is not null)
        {
            pending.Analysis.Dispose();
            if (!keepFolder)
            {
                rawDepth.Delete(pending.ReportId);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var pending in _pending.Values)
            {
                pending.Analysis.Dispose();
            }

            _pending.Clear();
        }
    }
}
