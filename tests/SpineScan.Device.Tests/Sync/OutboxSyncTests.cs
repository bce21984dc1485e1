using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Device.Store;
using SpineScan.Device.Tests.Support;

namespace SpineScan.Device.Tests.Sync;

public class OutboxSyncTests
{
    private static async Task<(TestStation Test, Guid ReportId)> ScreenedAsync(StubSyncServer server)
    {
        var test = TestStation.Create(new Dictionary<string, string?> { ["ServerUrl"] = server.Url, ["DeviceKey"] = StubSyncServer.Credential });
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        var outcome = await test.ScreenAsync(pupil.Id);
        return (test, outcome.ReportId);
    }

    [Fact]
    public async Task Sync_ServerDownThenUp_SendsTheReportOnce()
    {
        await using var server = StubSyncServer.Reserve();
        var (test, reportId) = await ScreenedAsync(server);
        await using (test)
        {
            var down = await test.Station.SyncNowAsync(CancellationToken.None);

            Assert.Equal((1, 0), (down.Waiting, down.Sent));
            Assert.Contains("could not be reached", down.LastError, StringComparison.Ordinal);

            await server.UpAsync();
            var up = await test.Station.SyncNowAsync(CancellationToken.None);
            var again = await test.Station.SyncNowAsync(CancellationToken.None);

            Assert.Equal((0, 1), (up.Waiting, up.Sent));
            Assert.Null(up.LastError);
            Assert.Equal((0, 1), (again.Waiting, again.Sent));
            Assert.Equal(1, server.Posts[reportId]);
            Assert.True(server.Stored.ContainsKey(reportId));
            await using var db = test.Store.CreateContext();
            var row = await db.Outbox.SingleAsync();
            Assert.Equal(OutboxState.Sent, row.State);
            Assert.Equal(2, row.Attempts);
            Assert.NotNull(row.SentAt);
        }
    }

    [Fact]
    public async Task Sync_ServerAlreadyHasTheReport_DuplicateAnswerCountsAsSent()
    {
        await using var server = await StubSyncServer.StartAsync();
        var (test, reportId) = await ScreenedAsync(server);
        await using (test)
        {
            await using (var db = test.Store.CreateContext())
            {
                server.Preload(JsonSerializer.Deserialize((await db.Outbox.SingleAsync()).PayloadJson, SpineScanJsonContext.Default.SyncReport)!);
            }

            var status = await test.Station.SyncNowAsync(CancellationToken.None);

            Assert.Equal((0, 1, 0), (status.Waiting, status.Sent, status.Failed));
            Assert.Equal(1, server.Posts[reportId]);
        }
    }

    [Fact]
    public async Task Sync_ServerAnswers400_MarksFailedWithTheProblemDetailAndDoesNotRetry()
    {
        await using var server = await StubSyncServer.StartAsync();
        server.RejectAll = true;
        var (test, reportId) = await ScreenedAsync(server);
        await using (test)
        {
            var first = await test.Station.SyncNowAsync(CancellationToken.None);
            var second = await test.Station.SyncNowAsync(CancellationToken.None);

            Assert.Equal((0, 0, 1), (first.Waiting, first.Sent, first.Failed));
            Assert.Contains("HTTP 400", first.LastError, StringComparison.Ordinal);
            Assert.Contains("Unknown school for this programme.", first.LastError, StringComparison.Ordinal);
            Assert.Equal(1, second.Failed);
            Assert.Equal(1, server.Posts[reportId]); // the resilience pipeline does not retry a 400, and the next sync skips the row
            await using var db = test.Store.CreateContext();
            Assert.Equal(OutboxState.Failed, (await db.Outbox.SingleAsync()).State);
        }
    }

    [Fact]
    public async Task Sync_WrongCredential_KeepsTheReportWaiting()
    {
        await using var server = await StubSyncServer.StartAsync();
        var test = TestStation.Create(new Dictionary<string, string?> { ["ServerUrl"] = server.Url, ["DeviceKey"] = StubSyncServer.DeviceId + ".wrong" });
        await using (test)
        {
            var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
            await test.ScreenAsync(Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);

            var status = await test.Station.SyncNowAsync(CancellationToken.None);

            Assert.Equal((1, 0, 0), (status.Waiting, status.Sent, status.Failed));
            Assert.Contains("credential", status.LastError, StringComparison.Ordinal);
            Assert.Empty(server.Stored);
        }
    }
}
