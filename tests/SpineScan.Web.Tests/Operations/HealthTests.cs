using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Operations;

namespace SpineScan.Web.Tests.Operations;

/// <summary><c>/healthz</c>, <c>/readyz</c>, <c>/version</c> and <c>--version</c> on the real server.</summary>
public sealed class HealthTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Healthz_And_Readyz_MigratedDatabase_Return200()
    {
        using var client = fixture.Factory.CreateClient();
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var database = body.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Healthy", database.GetProperty("status").GetString());
        Assert.True(database.GetProperty("data").GetProperty("reachable").GetBoolean());
        Assert.Equal(StoreSchema.Migrations(DatabaseProvider.Sqlite)[^1], database.GetProperty("data").GetProperty("applied").GetString());
        Assert.Equal("", database.GetProperty("data").GetProperty("pending").GetString());
    }

    [Fact]
    public async Task Readyz_DatabaseWithoutMigrations_Returns503NamingThem_WhileHealthzIs200()
    {
        var file = Path.Combine(fixture.Folder, "unmigrated", "s.db");
        await using var factory = fixture.CreateFactory(b =>
        {
            b.UseSetting("ConnectionStrings:Default", $"Data Source={file}");
            b.UseSetting("Database:MigrateOnStart", "false");
        });
        using var client = factory.CreateClient();

        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var text = await ready.Content.ReadAsStringAsync();
        Assert.Contains("MigrateOnStart", text, StringComparison.Ordinal);
        Assert.Contains(StoreSchema.Migrations(DatabaseProvider.Sqlite)[^1], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_DatabaseUnreachable_Returns503SayingSo()
    {
        var closedPort = FreePort(); // nothing listens there
        await using var factory = fixture.CreateFactory(b =>
        {
            b.UseSetting("Database:Provider", "Postgres");
            b.UseSetting("ConnectionStrings:Default", $"Host=127.0.0.1;Port={closedPort};Username=u;Password=p;Database=d;Timeout=3");
            b.UseSetting("Database:KeyRingKeyFile", Path.Combine(fixture.Folder, "unreachable.key"));
            b.UseSetting("Database:MigrateOnStart", "false");
        });
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var database = body.RootElement.GetProperty("checks").GetProperty("database");
        Assert.False(database.GetProperty("data").GetProperty("reachable").GetBoolean());
        Assert.StartsWith("The database cannot be reached", database.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Password=p", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_NamesTheCheckedOutCommitAndTheSchemas()
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/version", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GitCheckout.Head(), root.GetProperty("commit").GetString());
        Assert.Equal(SyncReport.SchemaV1, root.GetProperty("reportSchema").GetString());
        Assert.Equal(AnalysisResult.SchemaV2, root.GetProperty("analysisSchema").GetString());
        Assert.Equal(StoreSchema.Migrations(DatabaseProvider.Sqlite)[^1], root.GetProperty("databaseSchema").GetProperty("sqlite").GetString());
        Assert.Equal(StoreSchema.Migrations(DatabaseProvider.Postgres)[^1], root.GetProperty("databaseSchema").GetProperty("postgres").GetString());
    }

    [Fact]
    public async Task VersionOption_OfTheBuiltServer_PrintsCommitAndSchemasAndExits0()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SpineScan.Web.dll"));
        start.ArgumentList.Add("--version");
        using var server = Process.Start(start)!;
        var output = await server.StandardOutput.ReadToEndAsync();
        await server.WaitForExitAsync();

        Assert.Equal(0, server.ExitCode);
        Assert.Contains($"commit {GitCheckout.Head()}", output, StringComparison.Ordinal);
        Assert.Contains($"report schema {SyncReport.SchemaV1}", output, StringComparison.Ordinal);
        Assert.Contains($"sqlite {StoreSchema.Migrations(DatabaseProvider.Sqlite)[^1]}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0.0+5406c58e49b29777e38f02afac09bd17f4fb02c1", "1.0.0", "5406c58e49b29777e38f02afac09bd17f4fb02c1")]
    [InlineData("1.0.0", "1.0.0", ServerVersion.UnknownCommit)] // built outside a checkout: the SDK adds no +commit
    [InlineData("1.0.0+", "1.0.0", ServerVersion.UnknownCommit)]
    [InlineData("", "0.0.0", ServerVersion.UnknownCommit)]
    public void Split_InformationalVersion_GivesVersionAndCommit(string informational, string version, string commit) =>
        Assert.Equal((version, commit), ServerVersion.Split(informational));

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
