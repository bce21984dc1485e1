using System.Text;
using Microsoft.EntityFrameworkCore;
using SpineScan.Device.Storage;
using SpineScan.DeviceStore;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Tests.Storage;

public class LocalStoreTests
{
    [Fact]
    public async Task OpenAsync_NewFolder_AppliesEveryMigrationInWalMode()
    {
        var folder = TestStation.NewFolder();
        using var store = await StoreChecks.OpenAsync(folder);
        try
        {
            await using var db = store.CreateContext();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal("wal", await store.Database.JournalModeAsync(CancellationToken.None));
            Assert.Equal(0, await db.Outbox.CountAsync());
            Assert.True(File.Exists(Path.Combine(folder, DeviceDatabase.FileName)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_FolderUnderAFile_SaysTheFolderCannotBeWritten()
    {
        var file = Path.GetTempFileName();
        try
        {
            var data = new DataFolder(Path.Combine(file, "data"));
            using var store = new LocalStore(data, new RawDepthArchive(data));

            var ex = await Assert.ThrowsAsync<StationStorageException>(() => store.OpenAsync(sweepOrphans: true, CancellationToken.None));

            Assert.Contains("cannot be written", ex.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(file, "data"), ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Composition_UnwritableDataFolder_FailsAtStartNamingTheFolder()
    {
        var file = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
                () => TestStation.Create(dataDirectory: Path.Combine(file, "data")));

            Assert.Contains("cannot be written", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ImportRoster_BadRow_LeavesTheStoreUnchanged()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("P001,First Pupil,F,2014-01-01,P5A");
        var csv = "pupil_number,name,sex,date_of_birth,class\r\nP002,Second Pupil,M,2014-02-02,P5A\r\nP003,Third Pupil,?,2014-03-03,P5A\r\n";

        var result = await test.Station.ImportRosterAsync(session.Id, new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.Imported);
        Assert.Equal((3, "sex"), (result.Errors[0].Line, result.Errors[0].Column));
        var pupils = await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None);
        Assert.Equal("P001", Assert.Single(pupils).PupilNumber);
        await using var db = test.Store.CreateContext();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "roster_imported"));
    }

    [Fact]
    public async Task Capture_DiskUnderMinimum_StopsWithTheMessageAndKeepsTheStoreIntact()
    {
        var folder = TestStation.NewFolder();
        long screeningId;
        await using (var first = TestStation.Create(dataDirectory: folder))
        {
            first.KeepFolder = true;
            await first.SessionWithRosterAsync("P001,First Pupil,F,2014-01-01,P5A", "P002,Second Pupil,M,2014-02-02,P5A");
            var session = await first.Station.GetCurrentSessionAsync(CancellationToken.None);
            var pupils = await first.Station.FindPupilsAsync(session!.Id, null, CancellationToken.None);
            screeningId = (await first.ScreenAsync(pupils[0].Id)).ScreeningId;
        }

        // The same store, reopened with a free-space minimum no disk meets: the disk is "full".
        await using var station = TestStation.Create(new Dictionary<string, string?> { ["MinFreeDiskMb"] = "1000000000000" }, folder);
        var current = await station.Station.GetCurrentSessionAsync(CancellationToken.None);
        var roster = await station.Station.FindPupilsAsync(current!.Id, null, CancellationToken.None);
        await station.Station.RecordConsentAsync(roster[1].Id, true, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<StationStorageException>(() => station.Station.CaptureNextAsync(roster[1].Id, CancellationToken.None));

        Assert.Contains("MB free", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no new capture was started", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(await station.Station.GetScreeningAsync(screeningId, CancellationToken.None));
        await using var db = station.Store.CreateContext();
        Assert.Equal(1, await db.Screenings.CountAsync());
        Assert.Equal(1, await db.Outbox.CountAsync());
        Assert.Equal(2, await db.Captures.CountAsync());
        Assert.Equal("ok", await StoreChecks.IntegrityAsync(station.Store));
    }
}
