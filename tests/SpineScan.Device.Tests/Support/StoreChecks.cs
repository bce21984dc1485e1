using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SpineScan.Device.Storage;

namespace SpineScan.Device.Tests.Support;

/// <summary>Reads of a station's store that the tests assert on.</summary>
internal static class StoreChecks
{
    /// <summary>A data folder's store as a verb opens it (no sweep of raw depth).</summary>
    public static async Task<LocalStore> OpenAsync(string folder)
    {
        var data = new DataFolder(folder);
        var store = new LocalStore(data, new RawDepthArchive(data));
        await store.OpenAsync(sweepOrphans: false, CancellationToken.None);
        return store;
    }

    public static async Task<string> IntegrityAsync(LocalStore store)
    {
        await using var db = store.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>Every screening has its result, its outbox row and both raw-depth folders; no folder is left without a screening.</summary>
    public static async Task AssertWholeAsync(LocalStore store)
    {
        await using var db = store.CreateContext();
        var screenings = await db.Screenings.AsNoTracking().ToListAsync();
        foreach (var screening in screenings)
        {
            Assert.Equal(1, await db.Results.CountAsync(r => r.ScreeningId == screening.Id));
            Assert.Equal(1, await db.Outbox.CountAsync(o => o.ScreeningId == screening.Id && o.ReportId == screening.ReportId));
            var captures = await db.Captures.Where(c => c.ScreeningId == screening.Id).ToListAsync();
            Assert.Equal(["forward_bend", "standing"], captures.Select(c => c.Pose).Order(StringComparer.Ordinal));
            Assert.All(captures, c => Assert.True(File.Exists(Path.Combine(store.Folder.Path, c.ArchiveFile!, "capture.json")), c.ArchiveFile));
        }

        Assert.Equal(screenings.Count, await db.Results.CountAsync());
        Assert.Equal(screenings.Count, await db.Outbox.CountAsync());
        var folders = Directory.Exists(store.Folder.CapturesDirectory) ? Directory.GetDirectories(store.Folder.CapturesDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
        Assert.Equal(screenings.Select(s => s.ReportId.ToString("N")).Order(StringComparer.Ordinal), folders);
        Assert.Equal(screenings.Count(s => s.SupersededAt is null), screenings.Where(s => s.SupersededAt is null).Select(s => s.PupilId).Distinct().Count());
        Assert.Equal("ok", await IntegrityAsync(store));
    }
}
