using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using SpineScan.Contracts;

namespace SpineScan.DeviceStore;

/// <summary>
/// The device's SQLite database (<c>spinescan.db</c> in the data folder): created readable by its owner only (0600; SQLite
/// gives its WAL and shared-memory files the same mode), migrated and switched to WAL on first open, once per process.
/// Rows written before the identifiers were encrypted are encrypted on that open.
/// </summary>
public sealed class DeviceDatabase : IDisposable
{
    public const string FileName = "spinescan.db";

    // SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN: the disk or folder cannot take the write.
    private const int SqliteFull = 13;
    private const int SqliteIoError = 10;
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly DbContextOptions<DeviceDbContext> _options;
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private volatile bool _opened;

    public DeviceDatabase(string dataDirectory, FieldProtector protector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Protector = protector ?? throw new ArgumentNullException(nameof(protector));
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = Path.Combine(DataDirectory, FileName);
        var connection = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        _options = new DbContextOptionsBuilder<DeviceDbContext>()
            .UseSqlite(connection)
            .ReplaceService<IModelCacheKeyFactory, ProtectorModelCacheKeyFactory>()
            .Options;
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    /// <summary>The protector of this database's encrypted columns (and its blind index of pupil numbers).</summary>
    public FieldProtector Protector { get; }

    /// <summary>Creates (0600), migrates and opens the database in WAL mode, once per process.</summary>
    /// <exception cref="DeviceStoreException">The database cannot be opened or migrated; the message says why.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken)
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
                await OpenOnceAsync(cancellationToken).ConfigureAwait(false);
                _opened = true;
            }
        }
        finally
        {
            _openLock.Release();
        }
    }

    public DeviceDbContext CreateContext() => new(_options, Protector);

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

    /// <summary>True for the failures that mean the disk or folder cannot take a write (full, I/O error, read-only).</summary>
    public static bool IsStorageFailure(Exception ex) => ex switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteFull or SqliteIoError or SqliteReadOnly or SqliteCantOpen,
        IOException or UnauthorizedAccessException => true,
        DbUpdateException { InnerException: { } inner } => IsStorageFailure(inner),
        _ => ex.InnerException is { } nested && IsStorageFailure(nested),
    };

    public void Dispose() => _openLock.Dispose();

    private async Task OpenOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            CreateOwnerOnly(DatabasePath);
            await using var db = CreateContext();
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);

            // WAL: readers (the kiosk's lists) never wait for the writer, and a kill mid-write leaves the last commit intact.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await EncryptLegacyRowsAsync(db, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw new DeviceStoreException($"The local store at '{DatabasePath}' cannot be opened ({ex.Message.TrimEnd('.')}). Check the disk and the folder's permissions.", ex);
        }
    }

    // SQLite creates its -wal and -shm files with the database file's mode, so the mode set here covers all three.
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        }
        else if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        foreach (var companion in (string[])[path + "-wal", path + "-shm", path + "-journal"])
        {
            if (File.Exists(companion) && (File.GetUnixFileMode(companion) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(companion, OwnerOnly);
            }
        }
    }

    // A store written before its identifiers were encrypted: each such row is read (the converters pass plain values
    // through) and written back, encrypted and with its pupil number's blind index, in one transaction.
    private static async Task EncryptLegacyRowsAsync(DeviceDbContext db, CancellationToken cancellationToken)
    {
        var pupils = await db.Pupils.FromSqlRaw("SELECT * FROM pupils WHERE PupilNumberKey IS NULL OR substr(Name, 1, 5) <> 'enc1:'").ToListAsync(cancellationToken).ConfigureAwait(false);
        var screenings = await db.Screenings.FromSqlRaw("SELECT * FROM screenings WHERE ParentLinkToken IS NOT NULL AND substr(ParentLinkToken, 1, 5) <> 'enc1:'").ToListAsync(cancellationToken).ConfigureAwait(false);
        if (pupils.Count == 0 && screenings.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var pupil in pupils)
        {
            pupil.PupilNumberKey = db.Protector.Index(PupilPseudonym.Normalize(pupil.PupilNumber));
            db.Entry(pupil).State = EntityState.Modified;
        }

        foreach (var screening in screenings)
        {
            db.Entry(screening).State = EntityState.Modified;
        }

        db.Audit.Add(new AuditRow { At = DateTimeOffset.UtcNow, Action = "store_encrypted", Detail = FormattableString.Invariant($"{pupils.Count} pupils, {screenings.Count} parent links") });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blind index a pupil number is stored and looked up under (of its normalized form, as the pseudonym uses it).</summary>
    public string PupilNumberKey(string pupilNumber) => Protector.Index(PupilPseudonym.Normalize(pupilNumber));
}
