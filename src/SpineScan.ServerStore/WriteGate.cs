namespace SpineScan.ServerStore;

/// <summary>
/// Serialises this process's hot writes on SQLite, which takes one writer at a time: concurrent writers would otherwise
/// meet SQLITE_BUSY and sleep in the busy handler (measured: 16 concurrent ingests ran slower than 4). A no-op on
/// PostgreSQL, whose row locks let writers run side by side.
/// </summary>
public sealed class WriteGate(bool serialise) : IDisposable
{
    private readonly SemaphoreSlim? _gate = serialise ? new SemaphoreSlim(1, 1) : null;

    /// <summary>Waits for the gate; dispose the result to leave it.</summary>
    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Releaser(_gate);
    }

    public void Dispose() => _gate?.Dispose();

    /// <summary>Leaves the gate.</summary>
    public readonly struct Releaser(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
