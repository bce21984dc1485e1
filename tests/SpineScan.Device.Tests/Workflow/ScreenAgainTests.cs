using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Tests.Workflow;

public sealed class ScreenAgainTests
{
    [Fact]
    public async Task ScreenAgain_TheEarlierScreeningIsSupersededAndTheNewReportNamesIt()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("9101,Tsang Hoi Yee,female,2014-05-06,P5A");
        var pupil = (await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Single();
        var first = await test.ScreenAsync(pupil.Id);

        await test.Station.ScreenAgainAsync(pupil.Id, CancellationToken.None);
        var second = await test.ScreenAsync(pupil.Id);

        Assert.NotEqual(first.ReportId, second.ReportId);
        Assert.True((await test.Station.GetScreeningAsync(first.ScreeningId, CancellationToken.None))!.Superseded);
        Assert.False((await test.Station.GetScreeningAsync(second.ScreeningId, CancellationToken.None))!.Superseded);
        Assert.Equal(second.ScreeningId, (await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Single().LatestScreeningId);

        await using var db = test.Store.CreateContext();
        var reports = (await db.Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync())
            .Select(o => JsonSerializer.Deserialize(o.PayloadJson, SpineScanJsonContext.Default.SyncReport)!).ToList();
        Assert.Equal(2, reports.Count);
        Assert.Null(reports[0].Supersedes);
        Assert.Equal(first.ReportId, reports[1].Supersedes);
        Assert.Contains(await db.Audit.AsNoTracking().Select(a => a.Action).ToListAsync(), a => a == "screening_superseded");
    }
}
