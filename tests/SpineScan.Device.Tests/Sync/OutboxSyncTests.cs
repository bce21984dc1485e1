using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.DeviceStore;
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

    [Fact]
    public async Task Sync_ReportQueuedBeforeTheDeviceKnewItsId_SendsTheStoredBytesExactly()
    {
        await using var server = await StubSyncServer.StartAsync();
        var folder = TestStation.NewFolder();
        await using (var offline = TestStation.Create(dataDirectory: folder))
        {
            offline.KeepFolder = true;
            var session = await offline.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
            await offline.ScreenAsync(Assert.Single(await offline.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);
        }

        await using var test = TestStation.Create(new Dictionary<string, string?> { ["ServerUrl"] = server.Url, ["DeviceKey"] = StubSyncServer.Credential }, folder);

        var status = await test.Station.SyncNowAsync(CancellationToken.None);

        // The report was stamped again in the store with the credential's device id, then sent as stored, byte for byte
        // (it used to be deserialised and serialised again on the way out, leaving the store's copy unregistered).
        Assert.Equal((1, 0), (status.Sent, status.Waiting));
        await using var db = test.Store.CreateContext();
        var payload = (await db.Outbox.SingleAsync()).PayloadJson;
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(payload), Assert.Single(server.Bodies));
        Assert.Equal(StubSyncServer.DeviceId, JsonSerializer.Deserialize(payload, SpineScanJsonContext.Default.SyncReport)!.DeviceId);
    }

    [Fact]
    public async Task Sync_SelfMadeKeyAndTheProgrammeIssuesOne_RefusesAndSaysToRegisterThenSendsUnderTheProgrammeKey()
    {
        var programmeKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var server = await StubSyncServer.StartAsync();
        server.ProgrammeKey = programmeKey;
        var folder = TestStation.NewFolder();
        await using (var offline = TestStation.Create(new Dictionary<string, string?> { ["ProgrammeKey"] = null }, folder))
        {
            offline.KeepFolder = true;
            var session = await offline.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
            await offline.ScreenAsync(Assert.Single(await offline.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Id);
        }

        await using var test = TestStation.Create(new Dictionary<string, string?> { ["ProgrammeKey"] = null, ["ServerUrl"] = server.Url, ["DeviceKey"] = StubSyncServer.Credential }, folder);

        var refused = await test.Station.SyncNowAsync(CancellationToken.None);

        Assert.Equal((0, 1), (refused.Sent, refused.Waiting));
        Assert.Empty(server.Bodies);
        Assert.Contains("made its own pseudonym key", refused.LastError, StringComparison.Ordinal);
        Assert.Contains("spinescan register", refused.LastError, StringComparison.Ordinal);

        await test.RegisterAsync(server);
        var sent = await test.Station.SyncNowAsync(CancellationToken.None);

        Assert.Equal((1, 0), (sent.Sent, sent.Waiting));
        var report = Assert.Single(server.Stored.Values);
        Assert.Equal(PupilPseudonym.Compute(Convert.FromBase64String(programmeKey), "P001"), report.PupilPseudonym);
    }

    [Fact]
    public async Task RetryFailed_AfterTheCauseIsFixed_SendsTheRefusedReport()
    {
        await using var server = await StubSyncServer.StartAsync();
        server.RejectAll = true;
        var (test, reportId) = await ScreenedAsync(server);
        await using (test)
        {
            Assert.Equal(1, (await test.Station.SyncNowAsync(CancellationToken.None)).Failed);
            server.RejectAll = false;

            var again = await test.Station.SyncNowAsync(CancellationToken.None);
            var retried = await test.Station.RetryFailedAsync(CancellationToken.None);

            Assert.Equal((0, 0, 1), (again.Sent, again.Waiting, again.Failed)); // a plain sync leaves a refused report alone
            Assert.Equal((1, 0, 0), (retried.Sent, retried.Waiting, retried.Failed));
            Assert.True(server.Stored.ContainsKey(reportId));
            await using var db = test.Store.CreateContext();
            Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "report_requeued"));
        }
    }
}
