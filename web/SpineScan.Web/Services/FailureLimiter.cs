using System.Threading.RateLimiting;

namespace SpineScan.Web.Services;

/// <summary>
/// Counts failures per key in fixed windows: a key that has used up its failures is refused until its window ends.
/// Successes cost nothing, so a real user is never slowed by someone else's guesses on another key.
/// </summary>
public sealed class FailureLimiter(int failuresPerWindow, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failuresPerWindow,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>True while the key still has failures left.</summary>
    public bool IsAllowed(string key) => _limiter.GetStatistics(key)?.CurrentAvailablePermits is not 0;

    /// <summary>Counts one failure.</summary>
    public void RecordFailure(string key)
    {
        using var lease = _limiter.AttemptAcquire(key);
    }

    public void Dispose() => _limiter.Dispose();
}
