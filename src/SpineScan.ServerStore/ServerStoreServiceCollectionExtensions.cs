using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpineScan.ServerStore;

/// <summary>Which database the server keeps its data in.</summary>
public enum DatabaseProvider
{
    /// <summary>One node, a file in a data folder.</summary>
    Sqlite,

    /// <summary>Many nodes on one PostgreSQL database.</summary>
    Postgres,
}

/// <summary>The <c>Database</c> section: the provider and whether to migrate on start.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The connection string (from <c>ConnectionStrings:Default</c>); a relative SQLite file is under the application's folder.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The file holding the key that encrypts the Data Protection key ring at rest (32 random bytes, base64; created with
    /// mode 0600 when missing). Default on SQLite: beside the database file. Required on PostgreSQL, and the same file on
    /// every node.
    /// </summary>
    public string? KeyRingKeyFile { get; set; }
}

/// <summary>Registers the EF Core store, Identity's stores and the Data Protection key ring.</summary>
public static class ServerStoreServiceCollectionExtensions
{
    /// <summary>The default SQLite file, relative to the application's folder (never the working folder).</summary>
    public const string DefaultSqliteConnection = "Data Source=data/spinescan.db";

    /// <summary>Owner read and write only: the database, its WAL and the key files.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static IServiceCollection AddSpineScanServerStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = ReadOptions(configuration);
        services.AddOptions<DatabaseOptions>()
            .Configure(o =>
            {
                o.Provider = options.Provider;
                o.MigrateOnStart = options.MigrateOnStart;
                o.ConnectionString = options.ConnectionString;
                o.KeyRingKeyFile = options.KeyRingKeyFile;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (options.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextPool<SpineScanDbContext, PostgresSpineScanDbContext>(o => ConfigurePostgres(o, options.ConnectionString));
        }
        else
        {
            SecureSqliteFiles(options.ConnectionString);
            services.AddDbContextPool<SpineScanDbContext, SqliteSpineScanDbContext>(o => ConfigureSqlite(o, options.ConnectionString));
        }

        var keyFile = options.KeyRingKeyFile is { Length: > 0 } configured
            ? InApplicationFolder(configured)
            : options.Provider == DatabaseProvider.Sqlite && SqliteFile(options.ConnectionString) is { } database ? database + ".keyring-key" : null;
        services.AddSingleton(_ => KeyRingKey.Load(keyFile
            ?? throw new InvalidOperationException($"Set {DatabaseOptions.Section}:{nameof(DatabaseOptions.KeyRingKeyFile)} (the same file on every node): it encrypts the Data Protection key ring at rest.")));
        services.AddDataProtection().SetApplicationName("SpineScan").PersistKeysToDbContext<SpineScanDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<KeyRingKey>((o, key) => o.XmlEncryptor = new KeyRingEncryptor(key));
        return services;
    }

    /// <summary>Adds Identity's EF Core stores for clinicians.</summary>
    public static IdentityBuilder AddSpineScanIdentityStores(this IdentityBuilder builder) =>
        builder.AddEntityFrameworkStores<SpineScanDbContext>();

    /// <summary>Reads <c>Database:Provider</c>, <c>Database:MigrateOnStart</c> and <c>ConnectionStrings:Default</c>.</summary>
    public static DatabaseOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.Section).Bind(options);
        options.ConnectionString = configuration.GetConnectionString("Default") ?? DefaultSqliteConnection;
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // A relative file is under the application's folder, so a server started from another folder finds its data.
            var csb = new SqliteConnectionStringBuilder(options.ConnectionString);
            if (SqliteFile(options.ConnectionString) is { } file)
            {
                csb.DataSource = file;
                options.ConnectionString = csb.ConnectionString;
            }
        }

        return options;
    }

    /// <summary>Applies pending migrations (EF Core takes a lock, so several nodes may start at once).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).AddInterceptors(SqlitePragmaInterceptor.Instance);

    internal static void ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString);

    /// <summary>A path as given when absolute, else under the application's folder.</summary>
    public static string InApplicationFolder(string path) => Path.GetFullPath(path, AppContext.BaseDirectory);

    /// <summary>The database file of a SQLite connection string (absolute), or null for an in-memory database.</summary>
    internal static string? SqliteFile(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return string.IsNullOrEmpty(source) || source.StartsWith(':') ? null : InApplicationFolder(source);
    }

    /// <summary>
    /// Creates the data folder (0700) and the database file (0600) before SQLite opens it: SQLite gives its WAL and
    /// shared-memory files the database file's mode. Files made by an older version are narrowed to 0600 too.
    /// </summary>
    private static void SecureSqliteFiles(string connectionString)
    {
        if (SqliteFile(connectionString) is not { } file || OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Path.GetDirectoryName(file)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(file))
        {
            try
            {
                using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process made it first.
            }
        }

        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            if (File.Exists(path) && File.GetUnixFileMode(path) != PrivateFile)
            {
                File.SetUnixFileMode(path, PrivateFile);
            }
        }
    }

    /// <summary>
    /// Per-connection SQLite settings: <c>synchronous=FULL</c>, so a report the server has acknowledged survives power loss
    /// (WAL with NORMAL may lose the last commits), a busy timeout and foreign keys. Set once per native connection, not on
    /// every open from the pool (the PRAGMAs' parsing showed in the ingestion profile).
    /// </summary>
    private sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
    {
        public static readonly SqlitePragmaInterceptor Instance = new();

        private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

        private static readonly ConditionalWeakTable<object, object> Configured = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!FirstOpen(connection))
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!FirstOpen(connection))
            {
                return;
            }

            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>True the first time this native connection is opened (pooled opens reuse the handle).</summary>
        private static bool FirstOpen(DbConnection connection)
        {
            if (connection is not SqliteConnection { Handle: { } handle })
            {
                return true;
            }

            return Configured.TryAdd(handle, handle);
        }
    }
}
