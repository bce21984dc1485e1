using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using SpineScan.Web.Admin;

namespace SpineScan.Web.Tests;

/// <summary>
/// The real server (WebApplicationFactory over Program) on a real database, seeded through the admin verbs:
/// programme P1 (school SCH1, device dev-1, clinician a@p1.test) and P2 (SCH2, dev-2, b@p2.test).
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public const string Password = "Correct-Horse-42";

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public string Device1Credential { get; private set; } = "";

    public string Device2Credential { get; private set; } = "";

    public string RevokedCredential { get; private set; } = "";

    protected abstract string Provider { get; }

    protected abstract string ConnectionString { get; }

    /// <summary>A folder of this fixture's own (the key-ring key on PostgreSQL, the SQLite file), deleted at the end.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "spinescan-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The key-ring key when configured (PostgreSQL: one file for every node, as production's nodes share one); SQLite uses its default.</summary>
    public virtual string? KeyRingKeyFile => null;

    public string[] ConfigArgs =>
        [$"--ConnectionStrings:Default={ConnectionString}", $"--Database:Provider={Provider}", .. KeyRingKeyFile is { } key ? [$"--Database:KeyRingKeyFile={key}"] : Array.Empty<string>()];

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        await CreateDatabaseAsync();
        await AdminAsync("admin", "add-programme", "--code", "P1", "--name", "Programme one");
        await AdminAsync("admin", "add-programme", "--code", "P2", "--name", "Programme two");
        await AdminAsync("admin", "add-school", "--programme", "P1", "--code", "SCH1", "--name", "School one");
        await AdminAsync("admin", "add-school", "--programme", "P2", "--code", "SCH2", "--name", "School two");
        await AdminAsync("admin", "add-clinician", "--programme", "P1", "--email", "a@p1.test", "--password", Password);
        await AdminAsync("admin", "add-clinician", "--programme", "P2", "--email", "b@p2.test", "--password", Password);
        Device1Credential = LastLine(await AdminAsync("admin", "add-device", "--programme", "P1", "--device-id", "dev-1"));
        Device2Credential = LastLine(await AdminAsync("admin", "add-device", "--programme", "P2", "--device-id", "dev-2"));
        RevokedCredential = LastLine(await AdminAsync("admin", "add-device", "--programme", "P1", "--device-id", "dev-revoked"));
        await AdminAsync("admin", "revoke-device", "--device-id", "dev-revoked");
        Factory = CreateFactory();
    }

    public WebApplicationFactory<Program> CreateFactory(Action<IWebHostBuilder>? configure = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Default", ConnectionString);
            b.UseSetting("Database:Provider", Provider);
            if (KeyRingKeyFile is { } key)
            {
                b.UseSetting("Database:KeyRingKeyFile", key);
            }

            b.UseSetting("ParentLinks:FailedLookupsPerWindow", "1000");
            configure?.Invoke(b);
        });

    public async Task<string> AdminAsync(params string[] verb)
    {
        using var output = new StringWriter();
        var code = await AdminCommands.RunAsync([.. verb, .. ConfigArgs], output);
        Assert.True(code == 0, $"admin {string.Join(' ', verb)} exited {code}: {output}");
        return output.ToString();
    }

    public virtual async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await DropDatabaseAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    private static string LastLine(string output) => output.TrimEnd().Split('\n')[^1].Trim();
}

public sealed class SqliteServerFixture : ServerFixture
{
    protected override string Provider => "Sqlite";

    /// <summary>The database file.</summary>
    public string DatabaseFile => Path.Combine(Folder, "data", "spinescan.db");

    protected override string ConnectionString => $"Data Source={DatabaseFile}";

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}

public sealed class PostgresServerFixture : ServerFixture
{
    private readonly string _database = "spinescan_test_" + Guid.NewGuid().ToString("N")[..12];

    public static string? AdminConnection => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable);

    protected override string Provider => "Postgres";

    public override string? KeyRingKeyFile => Path.Combine(Folder, "keyring.key");

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnection) { Database = _database }.ConnectionString;

    public override Task InitializeAsync() => AdminConnection is null ? Task.CompletedTask : base.InitializeAsync();

    public override Task DisposeAsync() => AdminConnection is null ? Task.CompletedTask : base.DisposeAsync();

    protected override async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that runs only where <c>SPINESCAN_TEST_POSTGRES</c> names a PostgreSQL server, and says so when skipped.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "SPINESCAN_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"PostgreSQL tests need {Variable} (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=spinescan).";
        }
    }
}
