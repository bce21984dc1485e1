using Microsoft.EntityFrameworkCore;
using SpineScan.Device.Workflow;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Storage;

/// <summary>
/// The station's store as the application layer uses it: the data folder prepared (owner-only), the database opened
/// with the folder's store key, and the station's raw depth swept of orphans; writes that the disk cannot take become
/// one <see cref="StationStorageException"/> that says nothing stored was lost.
/// </summary>
public sealed class LocalStore(DataFolder folder, RawDepthArchive rawDepth) : IDisposable
{
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private DeviceDatabase? _database;
    private bool _swept;

    public DataFolder Folder => folder;

    /// <summary>The open database (after <see cref="OpenAsync"/>).</summary>
    public DeviceDatabase Database => _database ?? throw new InvalidOperationException("Open the store first.");

    /// <summary>
    /// Prepares the folder and opens the database, once per process; the station (the only writer of raw depth) also
    /// sweeps raw depth no committed capture names. The sync and purge verbs do not sweep: a kiosk may be mid-screening.
    /// </summary>
    /// <exception cref="StationStorageException">The folder cannot be written or the database cannot be opened.</exception>
    public async Task OpenAsync(bool sweepOrphans, CancellationToken cancellationToken)
    {
        if (_database is not null && (_swept || !sweepOrphans))
        {
            return;
        }

        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_database is null)
            {
                folder.Prepare();
                var database = new DeviceDatabase(folder.Path, new FieldProtector(folder.StoreKey()));
                try
                {
                    await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DeviceStoreException ex)
                {
                    database.Dispose();
                    throw new StationStorageException(ex.Message, ex);
                }

                _database = database;
            }

            if (sweepOrphans && !_swept)
            {
                await using var db = _database.CreateContext();
                var referenced = await db.Captures.Where(c => c.ArchiveFile != null).Select(c => c.ArchiveFile!).ToListAsync(cancellationToken).ConfigureAwait(false);
                rawDepth.SweepOrphans(referenced);
                _swept = true;
            }
        }
        finally
        {
            _openLock.Release();
        }
    }

    public DeviceDbContext CreateContext() => Database.CreateContext();

    /// <summary>Runs a write; a disk that cannot take it is one plain <see cref="StationStorageException"/>.</summary>
    public async Task WriteAsync(Func<DeviceDbContext, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var db = CreateContext();
        try
        {
            await write(db).ConfigureAwait(false);
        }
        catch (Exception ex) when (DeviceDatabase.IsStorageFailure(ex))
        {
            throw new StationStorageException(
                $"The local store could not take the write ({ex.GetBaseException().Message.TrimEnd('.')}): the disk may be full or the folder unwritable. Nothing already stored was lost; free space and try again.",
                ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>An audit line (ids only, never a name or pupil number).</summary>
    public static AuditRow Audit(TimeProvider time, string action, string detail) => new() { At = time.GetUtcNow(), Action = action, Detail = detail };

    public void Dispose()
    {
        _database?.Dispose();
        _openLock.Dispose();
    }
}
