using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Storage;
using SpineScan.Device.Tests.Support;

namespace SpineScan.Device.Tests.Storage;

public class RawDepthPurgeTests
{
    [Fact]
    public async Task Purge_OnlyAfterTheReportWasSynced_DeletesRawDepthAndKeepsTheResult()
    {
        await using var server = await StubSyncServer.StartAsync();
        await using var test = TestStation.Create(new Dictionary<string, string?>
        {
            ["ServerUrl"] = server.Url,
            ["DeviceKey"] = StubSyncServer.Credential,
            ["RawDepthRetentionDays"] = "0",
        });
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var outcome = await test.ScreenAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);
        var purge = test.Services.GetRequiredService<RawDepthPurge>();
        var folder = Path.Combine(test.Store.Folder.CapturesDirectory, outcome.ReportId.ToString("N"));

        var beforeSync = await purge.PurgeAsync(CancellationToken.None);
        Assert.Equal(0, beforeSync);
        Assert.True(Directory.Exists(Path.Combine(folder, "standing")));

        await test.Station.SyncNowAsync(CancellationToken.None);
        var afterSync = await purge.PurgeAsync(CancellationToken.None);

        Assert.Equal(2, afterSync);
        Assert.False(Directory.Exists(folder));
        await using var db = test.Store.CreateContext();
        Assert.All(await db.Captures.ToListAsync(), c => Assert.True(c.ArchiveFile is null && c.PurgedAt is not null));
        Assert.NotNull(await test.Station.GetScreeningAsync(outcome.ScreeningId, CancellationToken.None));
        Assert.NotEmpty(await test.Station.RenderSlipAsync(outcome.ScreeningId, Reports.Pdf.ReportLanguage.English, CancellationToken.None));
    }
}
