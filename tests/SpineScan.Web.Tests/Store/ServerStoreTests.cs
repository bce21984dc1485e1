using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Tests.Api;

namespace SpineScan.Web.Tests.Store;

/// <summary>The server's store on SQLite: the write gate, durability, file modes, the key ring at rest, the migration.</summary>
[SupportedOSPlatform("linux")]
public sealed class ServerStoreTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task SaveChanges_AnyCaller_WaitsForTheFilesWriteGate()
    {
        var gate = WriteGate.For(fixture.DatabaseFile);
        await gate.WaitAsync();
        Task save;
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        try
        {
            // The audit log is not the ingest path: the gate no longer lives at one call site.
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            db.AuditEntries.Add(new AuditEntry { Actor = "test", Action = "gate-test", AtUtc = DateTime.UtcNow, ProgrammeId = 1 });
            save = db.SaveChangesAsync();
            var first = await Task.WhenAny(save, Task.Delay(TimeSpan.FromSeconds(1)));
            Assert.NotSame(save, first);
        }
        finally
        {
            gate.Release();
        }

        await save;
        Assert.Equal(1, await fixture.Factory.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<SpineScanDbContext>()
            .AuditEntries.CountAsync(a => a.Action == "gate-test"));
    }

    [Fact]
    public async Task Sqlite_IsDurableAndPrivate()
    {
        using var posted = await ApiScenarios.Device(fixture, fixture.Device1Credential).PostAsync("/api/v1/reports", ApiScenarios.Json(SampleReports.Report("dev-1", "SCH1")));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        await db.Database.OpenConnectionAsync();
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.CommandText = "PRAGMA synchronous;";
            Assert.Equal(2L, await command.ExecuteScalarAsync()); // FULL: an acknowledged report survives power loss
        }

        await db.Database.CloseConnectionAsync();
        var folder = Path.GetDirectoryName(fixture.DatabaseFile)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        foreach (var file in Directory.GetFiles(folder))
        {
            Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }

        Assert.Contains(fixture.DatabaseFile + "-wal", Directory.GetFiles(folder));
        Assert.Contains(fixture.DatabaseFile + ".keyring-key", Directory.GetFiles(folder));
    }

    [Fact]
    public async Task DataProtectionKeys_AreEncryptedAtRest()
    {
        // Signing in makes the key ring (antiforgery and the cookie need a key).
        await ApiScenarios.SignInAsync(fixture, "a@p1.test");
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<SpineScanDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.Contains("encryptedSecret", k.Xml!, StringComparison.Ordinal);
            Assert.Contains(KeyRingEncryptor.Element, k.Xml!, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", k.Xml!, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task MigrationServerStoreV2_CarriesExistingRowsOver()
    {
        var folder = Path.Combine(fixture.Folder, "migration");
        Directory.CreateDirectory(folder);
        var options = new DbContextOptionsBuilder<SqliteSpineScanDbContext>().UseSqlite($"Data Source={Path.Combine(folder, "old.db")}").Options;
        await using (var db = new SqliteSpineScanDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261127092719_QueueIndexes");
            var analysis = System.Text.Json.JsonSerializer.Serialize(SampleReports.Analysis(24, 7), SpineScanJsonContext.Default.AnalysisResult);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO Programmes (Id, Code, Name, ReferCobbDeg, ReferAtrDeg, RescreenCobbDeg, RescreenAtrDeg) VALUES (1, 'P', 'P', 20, 7, 10, 5);" +
                "INSERT INTO Schools (Id, ProgrammeId, Code, Name) VALUES (1, 1, 'S', 'S');" +
                "INSERT INTO Screenings (Id, ReportId, ProgrammeId, SchoolId, DeviceId, PupilPseudonym, AgeMonths, Sex, Grade, CapturedAtUtc, CapturedOffsetMinutes, ReceivedAtUtc, DeviceCategory, Category, Priority, QualityAccepted, Reviewed, BodySha256) VALUES " +
                "(1, 'A0000000-0000-7000-8000-000000000001', 1, 1, 'd', 'p', 130, 1, 'P5', '2025-09-15 01:30:00', 480, '2025-09-15 10:00:00', 2, 1, 1, 1, 1, 'h1')," +
                "(2, 'A0000000-0000-7000-8000-000000000002', 1, 1, 'd', 'p', 130, 1, 'P5', '2025-09-16 01:30:00', 480, '2025-09-16 10:00:00', 2, 2, 0, 1, 0, 'h2');" +
                "INSERT INTO ScreeningPayloads (ScreeningId, AnalysisJson, DepthMapJson) VALUES (1, {0}, NULL), (2, {0}, NULL);", analysis);
        }

        await using (var db = new SqliteSpineScanDbContext(options))
        {
            await db.Database.MigrateAsync();
            var rows = await db.Screenings.AsNoTracking().Include(s => s.Payload).OrderBy(s => s.Id).ToListAsync();
            Assert.Equal([(int)ScreeningCategory.Rescreen, null], rows.Select(r => r.ReviewedCategory));
            Assert.All(rows, r => Assert.Equal((int)ScreeningCategory.Refer, r.AssessedCategory));
            Assert.Equal([true, false], rows.Select(r => r.Reviewed));
            Assert.Equal([1, 0], rows.Select(r => r.Priority));
            Assert.All(rows, r => Assert.Equal(24, StoredReport.Read(r.Payload!.Body).Analysis.LargestCobbDeg));
            Assert.Equal(["h1", "h2"], rows.Select(r => r.BodySha256));
            Assert.All(rows, r => Assert.Equal((21.0, 28.0), (r.LargestCobbLower90Deg, r.LargestCobbUpper90Deg))); // CobbIntervalColumns, from the body
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Migrations_OfBothProviders_HoldTheWholeModel()
    {
        // A model change that only edited a snapshot, or only one provider's migrations, shows here.
        using var sqlite = new SqliteSpineScanDbContext(new DbContextOptionsBuilder<SqliteSpineScanDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite: the model has changes no migration holds (dotnet ef migrations add, see web/README.md).");
        using var postgres = new PostgresSpineScanDbContext(new DbContextOptionsBuilder<PostgresSpineScanDbContext>().UseNpgsql("Host=127.0.0.1").Options);
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL: the model has changes no migration holds (dotnet ef migrations add, see web/README.md).");
    }
}
