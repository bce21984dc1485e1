using System.Collections.Concurrent;

namespace SpineScan.ServerStore;

/// <summary>
/// Serialises this process's writes to one SQLite file, which takes one writer at a time: concurrent writers would
/// otherwise meet SQLITE_BUSY and sleep in the busy handler (measured: 16 concurrent ingests ran slower than 4).
/// <see cref="SqliteSpineScanDbContext"/> takes it inside every <c>SaveChanges</c>, so no caller can forget it.
/// PostgreSQL's row locks let writers run side by side: its context takes no gate.
/// </summary>
internal static class WriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate of one database file (by full path), shared by every context of the process.</summary>
    public static SemaphoreSlim For(string databaseFile) =>
        Gates.GetOrAdd(string.IsNullOrEmpty(databaseFile) || databaseFile.StartsWith(':') ? databaseFile : Path.GetFullPath(databaseFile), _ => new SemaphoreSlim(1, 1));
}
