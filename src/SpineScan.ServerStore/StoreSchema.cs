using Microsoft.EntityFrameworkCore;

namespace SpineScan.ServerStore;

/// <summary>What a database has of this build's schema: whether it answers, and the migrations it still lacks.</summary>
/// <param name="Reachable">The database accepted a connection.</param>
/// <param name="Applied">The last migration applied (null: none, or unreachable).</param>
/// <param name="Pending">This build's migrations the database has not applied.</param>
/// <param name="Error">Why it could not be reached (the exception's message, never the connection string).</param>
public sealed record SchemaState(bool Reachable, string? Applied, IReadOnlyList<string> Pending, string? Error)
{
    /// <summary>Reachable and up to date: the server can take requests.</summary>
    public bool Ready => Reachable && Pending.Count == 0;
}

/// <summary>The server store's schema versions (the EF Core migrations this build carries) and a database's state.</summary>
public static class StoreSchema
{
    /// <summary>The migration ids this build carries for a provider, oldest first (no connection is opened).</summary>
    public static IReadOnlyList<string> Migrations(DatabaseProvider provider)
    {
        using var db = DesignContext(provider);
        return [.. db.Database.GetMigrations()];
    }

    /// <summary>The newest migration's name without its timestamp (the same on both providers, e.g. <c>ProgrammeProbabilities</c>).</summary>
    public static string LatestName(DatabaseProvider provider) => NameOf(Migrations(provider)[^1]);

    /// <summary><c>20261203093127_ProgrammeProbabilities</c> -> <c>ProgrammeProbabilities</c>.</summary>
    public static string NameOf(string migrationId)
    {
        ArgumentNullException.ThrowIfNull(migrationId);
        var underscore = migrationId.IndexOf('_', StringComparison.Ordinal);
        return underscore < 0 ? migrationId : migrationId[(underscore + 1)..];
    }

    /// <summary>Connects and compares the applied migrations with this build's; an unreachable database is a state, not an exception.</summary>
    public static async Task<SchemaState> CheckAsync(SpineScanDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            var pending = db.Database.GetMigrations().Except(applied, StringComparer.Ordinal).ToList();
            return new SchemaState(true, applied.Count > 0 ? applied[^1] : null, pending, null);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            return new SchemaState(false, null, [], ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static SpineScanDbContext DesignContext(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresSpineScanDbContext>();
            ServerStoreServiceCollectionExtensions.ConfigurePostgres(postgres, "Host=localhost;Database=unused");
            return new PostgresSpineScanDbContext(postgres.Options);
        }

        var sqlite = new DbContextOptionsBuilder<SqliteSpineScanDbContext>();
        ServerStoreServiceCollectionExtensions.ConfigureSqlite(sqlite, "Data Source=:memory:");
        return new SqliteSpineScanDbContext(sqlite.Options);
    }
}
