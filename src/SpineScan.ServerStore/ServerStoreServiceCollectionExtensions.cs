using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.DataProtection;
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

    /// <summary>The connection string (from <c>ConnectionStrings:Default</c>).</summary>
    [Required]
    public string ConnectionString { get; set; } = "";
}

/// <summary>Registers the EF Core store, Identity's stores and the Data Protection key ring.</summary>
public static class ServerStoreServiceCollectionExtensions
{
    /// <summary>The default SQLite file, relative to the working folder.</summary>
    public const string DefaultSqliteConnection = "Data Source=data/spinescan.db";

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
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (options.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextPool<SpineScanDbContext, PostgresSpineScanDbContext>(o => ConfigurePostgres(o, options.ConnectionString));
        }
        else
        {
            EnsureSqliteFolder(options.ConnectionString);
            services.AddDbContextPool<SpineScanDbContext, SqliteSpineScanDbContext>(o => ConfigureSqlite(o, options.ConnectionString));
        }

        services.AddSingleton(new WriteGate(serialise: options.Provider == DatabaseProvider.Sqlite));
        services.AddDataProtection().SetApplicationName("SpineScan").PersistKeysToDbContext<SpineScanDbContext>();
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

    private static void EnsureSqliteFolder(string connectionString)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
        if (!string.IsNullOrEmpty(csb.DataSource) && !csb.DataSource.StartsWith(':') && folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>
    /// Per-connection SQLite settings: WAL-friendly durability and a busy timeout. Set once per native connection, not on
    /// every open from the pool (the PRAGMAs' parsing showed in the ingestion profile).
    /// </summary>
    private sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
    {
        public static readonly SqlitePragmaInterceptor Instance = new();

        private static readonly ConditionalWeakTable<object, object> Configured = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!FirstOpen(connection))
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
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
                command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
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
