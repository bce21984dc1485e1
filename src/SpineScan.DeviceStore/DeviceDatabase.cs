using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SpineScan.Core.Capture;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Replay;

namespace SpineScan.Device.Store;

/// <summary>
/// The data folder: the SQLite store (<c>spinescan.db</c>, WAL journal, migrated on open), the raw depth of each
/// screening and the programme key when none is configured.
/// <para>
/// Raw depth lives beside the database as capture folders in the replay format (<c>captures/{reportId}/standing</c>
/// and <c>forward_bend</c>): the 16-bit PNG frames are already deflate-compressed, a zip or a Brotli blob would not
/// shrink them further, and a folder in the replay format can be re-analysed by every tool as it lies
/// (<c>spinescan analyze</c>). Keeping them out of the database keeps it small and fast to back up, and the purge frees
/// the disk at once instead of leaving free pages. Folders are written (staged, then renamed) before the screening's
/// transaction commits; a folder that no committed capture row names is an orphan of an interrupted screening and is
/// swept when the store opens.
/// </para>
/// </summary>
internal sealed class StationStore : IDisposable
{
    public const string DatabaseFileName = "spinescan.db";
    public const string CapturesFolderName = "captures";
    public const string ProgrammeKeyFileName = "programme.key";

    // SQLITE_FULL and SQLITE_IOERR: the disk cannot take the write.
    private const int SqliteFull = 13;
    private const int SqliteIoError = 10;

    private readonly DbContextOptions<StationDbContext> _options;
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private volatile bool _opened;

    public StationStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = Path.Combine(DataDirectory, DatabaseFileName);
        CapturesDirectory = Path.Combine(DataDirectory, CapturesFolderName);
        var connection = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        _options = new DbContextOptionsBuilder<StationDbContext>().UseSqlite(connection).Options;
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    public string CapturesDirectory { get; }

    /// <summary>Checks the folder can be written, with a message fit to show as is (null when it can).</summary>
    public static string? CheckWritable(string dataDirectory)
    {
        var full = Path.GetFullPath(dataDirectory);
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, ".write-test-" + Guid.NewGuid().ToString("N")[..8]);
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"The data folder '{full}' cannot be written ({ex.Message.TrimEnd('.')}). Choose another folder (--data or Station:DataDirectory) or fix its permissions.";
        }
    }

    /// <summary>
    /// Creates the folder, applies migrations and turns on WAL, once per process; the station (the only writer of raw
    /// depth) also sweeps orphaned raw depth. The sync and purge verbs do not sweep: a kiosk may be mid-screening.
    /// </summary>
    /// <exception cref="StationStorageException">The folder cannot be written or the database cannot be opened.</exception>
    public async Task OpenAsync(bool sweepOrphans, CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_opened)
            {
                await OpenOnceAsync(sweepOrphans, cancellationToken).ConfigureAwait(false);
                _opened = true;
            }
        }
        finally
        {
            _openLock.Release();
        }
    }

    private async Task OpenOnceAsync(bool sweepOrphans, CancellationToken cancellationToken)
    {
        if (CheckWritable(DataDirectory) is { } problem)
        {
            throw new StationStorageException(problem);
        }

        try
        {
            Directory.CreateDirectory(CapturesDirectory);
            await using var db = CreateContext();
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);

            // WAL: readers (the kiosk's lists) never wait for the writer, and a kill mid-write leaves the last commit intact.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            if (sweepOrphans)
            {
                var referenced = await db.Captures.Where(c => c.ArchiveFile != null).Select(c => c.ArchiveFile!).ToListAsync(cancellationToken).ConfigureAwait(false);
                SweepOrphans(referenced);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw new StationStorageException($"The local store at '{DatabasePath}' cannot be opened ({ex.Message.TrimEnd('.')}). Check the disk and the folder's permissions.", ex);
        }
    }

    public StationDbContext CreateContext() => new(_options);

    /// <summary>The journal mode SQLite reports (wal once opened).</summary>
    public async Task<string> JournalModeAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>Free space on the data folder's disk, in MB.</summary>
    public long FreeDiskMb()
    {
        var info = new DriveInfo(DataDirectory);
        return info.AvailableFreeSpace / (1024 * 1024);
    }

    /// <summary>Stops a capture before it starts when the disk is nearly full.</summary>
    /// <exception cref="StationStorageException">Less than <paramref name="minFreeMb"/> MB are free.</exception>
    public void EnsureFreeSpace(long minFreeMb)
    {
        var free = FreeDiskMb();
        if (free < minFreeMb)
        {
            throw new StationStorageException(FormattableString.Invariant(
                $"The disk holding '{DataDirectory}' has {free} MB free, under the {minFreeMb} MB minimum: no new capture was started and everything stored is intact. Sync, then run 'spinescan purge' or free space, and continue."));
        }
    }

    /// <summary>Writes one pose's raw depth as <c>captures/{reportId}/{pose}</c> (replay format) and returns its relative path.</summary>
    /// <exception cref="StationStorageException">The disk cannot take it; nothing is left behind.</exception>
    public string WriteRawDepth(Guid reportId, DepthCapture capture, IReadOnlyList<byte[]>? encodedFrames = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var relative = Path.Combine(CapturesFolderName, reportId.ToString("N"), DepthCapture.PoseName(capture.Pose));
        var target = Path.Combine(DataDirectory, relative);
        try
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true); // a retake of this pose replaces the uncommitted earlier one
            }

            ReplayCaptureWriter.Write(capture, target, encodedFrames);
            return relative;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StationStorageException($"The raw depth could not be written to '{DataDirectory}' ({ex.Message.TrimEnd('.')}): the disk may be full. Nothing of this screening was stored; free space and capture again.", ex);
        }
    }

    /// <summary>Deletes one screening's raw depth folder (all poses).</summary>
    public void DeleteRawDepth(Guid reportId)
    {
        var folder = Path.Combine(CapturesDirectory, reportId.ToString("N"));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Deletes a raw depth folder named by a capture row.</summary>
    public void DeleteRawDepth(string relativePath)
    {
        var folder = Path.GetFullPath(Path.Combine(DataDirectory, relativePath));
        if (folder.StartsWith(CapturesDirectory, StringComparison.Ordinal) && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var parent = Path.GetDirectoryName(folder);
        if (parent is not null && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
        }
    }

    /// <summary>The programme key: configured, else the one this data folder made for itself on first use.</summary>
    public byte[] ProgrammeKey(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Convert.FromBase64String(configured.Trim());
        }

        var path = Path.Combine(DataDirectory, ProgrammeKeyFileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    /// <summary>True for the failures that mean the disk or folder cannot take a write (full, I/O error, read-only).</summary>
    public static bool IsStorageFailure(Exception ex) => ex switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteFull or SqliteIoError or 8 /* READONLY */ or 14 /* CANTOPEN */,
        IOException or UnauthorizedAccessException => true,
        DbUpdateException { InnerException: { } inner } => IsStorageFailure(inner),
        _ => ex.InnerException is { } nested && IsStorageFailure(nested),
    };

    public void Dispose() => _openLock.Dispose();

    private void SweepOrphans(List<string> referenced)
    {
        var keep = new HashSet<string>(referenced.Select(r => Path.GetFullPath(Path.Combine(DataDirectory, r))), StringComparer.Ordinal);
        foreach (var screening in Directory.EnumerateDirectories(CapturesDirectory))
        {
            foreach (var pose in Directory.EnumerateDirectories(screening))
            {
                if (!keep.Contains(Path.GetFullPath(pose)))
                {
                    Directory.Delete(pose, recursive: true);
                }
            }

            if (!Directory.EnumerateFileSystemEntries(screening).Any())
            {
                Directory.Delete(screening);
            }
        }
    }
}
