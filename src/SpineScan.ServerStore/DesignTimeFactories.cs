using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SpineScan.ServerStore;

/// <summary>Lets <c>dotnet ef</c> build the SQLite flavour without the web host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSpineScanDbContext>
{
    public SqliteSpineScanDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteSpineScanDbContext>();
        ServerStoreServiceCollectionExtensions.ConfigureSqlite(builder, "Data Source=design.db");
        return new SqliteSpineScanDbContext(builder.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL flavour without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSpineScanDbContext>
{
    public PostgresSpineScanDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresSpineScanDbContext>();
        ServerStoreServiceCollectionExtensions.ConfigurePostgres(builder, "Host=localhost;Database=design");
        return new PostgresSpineScanDbContext(builder.Options);
    }
}
