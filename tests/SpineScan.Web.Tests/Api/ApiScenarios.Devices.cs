using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Admin;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Api;

/// <summary>What a device learns about itself (<c>GET /api/v1/devices/me</c>) and what the server does with a screen-again.</summary>
internal static partial class ApiScenarios
{
    public static async Task DevicesMe_GivesEveryDeviceOfAProgrammeTheSameKey_OverItsCredentialOnly(ServerFixture f)
    {
        var second = (await f.AdminAsync("admin", "add-device", "--programme", "P1", "--device-id", "dev-" + Guid.NewGuid().ToString("N")[..8])).TrimEnd().Split('\n')[^1].Trim();
        var one = await RegistrationAsync(Device(f, f.Device1Credential));
        var two = await RegistrationAsync(Device(f, second));
        var other = await RegistrationAsync(Device(f, f.Device2Credential));

        Assert.Equal("dev-1", one.DeviceId);
        Assert.Equal("P1", one.ProgrammeCode);
        Assert.Equal(second.Split('.')[0], two.DeviceId);
        var key = ProgrammeKeys.Parse(one.PseudonymKey);
        Assert.NotNull(key);
        Assert.Equal(one.PseudonymKey, two.PseudonymKey);
        Assert.Equal("P2", other.ProgrammeCode);
        Assert.NotNull(ProgrammeKeys.Parse(other.PseudonymKey));
        Assert.NotEqual(one.PseudonymKey, other.PseudonymKey);

        // Encrypted at rest: the programme's row does not hold the key or its bytes in any plain form.
        await using (var scope = f.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            var stored = await db.Programmes.Where(p => p.Code == "P1").Select(p => p.PseudonymKeyProtected).SingleAsync();
            Assert.NotNull(stored);
            Assert.DoesNotContain(one.PseudonymKey!, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(key!), stored, StringComparison.OrdinalIgnoreCase);

            // Every hand-out of the key is audited with the device as the actor, and the audit holds no key.
            var issued = await db.AuditEntries.Where(a => a.Action == AuditLog.PseudonymKeyIssued && a.Actor == "device:dev-1").ToListAsync();
            Assert.NotEmpty(issued);
            Assert.All(issued, a => Assert.DoesNotContain(one.PseudonymKey!, a.Detail ?? "", StringComparison.Ordinal));
        }

        // Only a device credential: none, a wrong one, a revoked device, an EHR client and a clinician's cookie get 401 and no key.
        var ehr = (await f.AdminAsync("admin", "add-ehr-client", "--programme", "P1", "--client-id", "ehr-" + Guid.NewGuid().ToString("N")[..8])).TrimEnd().Split('\n')[^1].Trim();
        var clinician = await SignInAsync(f, "a@p1.test");
        foreach (var client in new[] { f.Factory.CreateClient(), Device(f, "dev-1.wrong-secret"), Device(f, f.RevokedCredential), Device(f, ehr), clinician })
        {
            using var refused = await client.GetAsync("/api/v1/devices/me");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.DoesNotContain(one.PseudonymKey!, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    public static async Task DevicesMe_GivesTheParentsPublicAddress(ServerFixture f)
    {
        await using var factory = f.CreateFactory(b => b.UseSetting("ParentLinks:PublicBaseUrl", "https://screening.example.org/"));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", f.Device1Credential);
        Assert.Equal("https://screening.example.org", (await RegistrationAsync(client)).PublicBaseUrl);
        Assert.Null((await RegistrationAsync(Device(f, f.Device1Credential))).PublicBaseUrl);
    }

    public static async Task IssuePseudonymKey_ImportsTheDevicesKeyForAnOlderProgrammeAndNeverReplacesIt(ServerFixture f)
    {
        // A programme made before keys were issued (its row as the migration leaves it: no key).
        var code = "OLD" + Guid.NewGuid().ToString("N")[..6];
        await using (var scope = f.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            db.Programmes.Add(new Programme { Code = code, Name = "Older programme" });
            await db.SaveChangesAsync();
        }

        var device = (await f.AdminAsync("admin", "add-device", "--programme", code, "--device-id", "dev-" + Guid.NewGuid().ToString("N")[..8])).TrimEnd().Split('\n')[^1].Trim();
        Assert.Null((await RegistrationAsync(Device(f, device))).PseudonymKey);

        var itsKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var file = Path.Combine(f.Folder, code + ".key");
        await File.WriteAllTextAsync(file, itsKey + "\n");
        await f.AdminAsync("admin", "issue-pseudonym-key", "--programme", code, "--key-file", file);
        Assert.Equal(itsKey, (await RegistrationAsync(Device(f, device))).PseudonymKey);

        // A second issue is refused, and the key stays.
        using var output = new StringWriter();
        Assert.Equal(1, await AdminCommands.RunAsync(["admin", "issue-pseudonym-key", "--programme", code, .. f.ConfigArgs], output));
        Assert.Equal(itsKey, (await RegistrationAsync(Device(f, device))).PseudonymKey);

        // A key too short to be one is refused before anything changes.
        var shortFile = Path.Combine(f.Folder, code + ".short");
        await File.WriteAllTextAsync(shortFile, Convert.ToBase64String(new byte[16]));
        Assert.Equal(1, await AdminCommands.RunAsync(["admin", "issue-pseudonym-key", "--programme", "P1", "--key-file", shortFile, .. f.ConfigArgs], output));
    }

    public static async Task ScreenAgain_QueueShowsTheCurrentScreeningAndTheEarlierStaysReachable(ServerFixture f)
    {
        var (who, queue, scope) = await ClinicianP1Async(f);
        await using var lease = scope;
        var device = Device(f, f.Device1Credential);
        const int pupil = 7101;
        var first = SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 24, atr: 8);
        var again = SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 9, atr: 3, capturedAt: first.CapturedAt.AddMinutes(4)) with { Supersedes = first.ReportId };
        await PostCreatedAsync(device, first);
        await PostCreatedAsync(device, again);

        var ids = await AllQueueIdsAsync(queue, who);
        Assert.Contains(again.ReportId, ids);
        Assert.DoesNotContain(first.ReportId, ids);

        var current = await queue.DetailAsync(who, await IdOfAsync(f, again.ReportId), default);
        var earlier = await queue.DetailAsync(who, await IdOfAsync(f, first.ReportId), default);
        Assert.NotNull(earlier);
        Assert.Equal(earlier.Id, current!.SupersedesId);
        Assert.Equal(current.Id, earlier.SupersededById);
        Assert.Null(current.SupersededById);

        // The child's history and the previous-screening panel hold the current one only.
        Assert.DoesNotContain(await queue.TimelineAsync(who, first.PupilPseudonym, default), p => p.Id == earlier.Id);
        Assert.Null(current.Previous);

        // A repeat of the screen-again stores nothing twice and changes nothing.
        using var repeat = await device.PostAsync("/api/v1/reports", Json(again));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.DoesNotContain(first.ReportId, await AllQueueIdsAsync(queue, who));
    }

    public static async Task ScreenAgain_SyncedBeforeTheScreeningItReplaces_StillLeavesOneCurrent(ServerFixture f)
    {
        var (who, queue, scope) = await ClinicianP1Async(f);
        await using var lease = scope;
        var device = Device(f, f.Device1Credential);
        const int pupil = 7102;
        var first = SampleReports.Report("dev-1", "SCH1", pupil: pupil);
        var again = SampleReports.Report("dev-1", "SCH1", pupil: pupil, capturedAt: first.CapturedAt.AddMinutes(3)) with { Supersedes = first.ReportId };
        await PostCreatedAsync(device, again);
        await PostCreatedAsync(device, first);

        var ids = await AllQueueIdsAsync(queue, who);
        Assert.Contains(again.ReportId, ids);
        Assert.DoesNotContain(first.ReportId, ids);
        Assert.Equal(await IdOfAsync(f, again.ReportId), (await queue.DetailAsync(who, await IdOfAsync(f, first.ReportId), default))!.SupersededById);
    }

    public static async Task ScreenAgain_NamingAnotherChildOrItself_Is400AndStoresNothing(ServerFixture f)
    {
        var (who, queue, scope) = await ClinicianP1Async(f);
        await using var lease = scope;
        var device = Device(f, f.Device1Credential);
        var someone = SampleReports.Report("dev-1", "SCH1", pupil: 7103);
        await PostCreatedAsync(device, someone);
        var other = SampleReports.Report("dev-1", "SCH1", pupil: 7104) with { Supersedes = someone.ReportId };
        var selfId = Guid.CreateVersion7();
        var itself = SampleReports.Report("dev-1", "SCH1", reportId: selfId) with { Supersedes = selfId };

        foreach (var bad in new[] { other, itself })
        {
            using var response = await device.PostAsync("/api/v1/reports", Json(bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("supersedes", out _), problem.RootElement.ToString());
            Assert.Equal(0, await CountAsync(f, bad.ReportId));
        }

        // The other child's screening is untouched and still current.
        Assert.Contains(someone.ReportId, await AllQueueIdsAsync(queue, who));
    }

    private static async Task<DeviceRegistrationInfo> RegistrationAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/devices/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(SpineScanJsonContext.Default.DeviceRegistrationInfo))!;
    }

    private static async Task PostCreatedAsync(HttpClient device, SyncReport report)
    {
        using var response = await device.PostAsync("/api/v1/reports", Json(report));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(ClinicianScope Who, ScreeningService Queue, AsyncServiceScope Scope)> ClinicianP1Async(ServerFixture f)
    {
        var scope = f.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        var programme = await db.Programmes.Where(p => p.Code == "P1").Select(p => p.Id).SingleAsync();
        return (new ClinicianScope("a@p1.test", programme), scope.ServiceProvider.GetRequiredService<ScreeningService>(), scope);
    }

    private static async Task<List<Guid>> AllQueueIdsAsync(ScreeningService queue, ClinicianScope who)
    {
        var ids = new List<Guid>();
        for (var page = 0; ; page++)
        {
            var rows = (await queue.QueueAsync(who, new QueueQuery(Reviewed: null, Page: page, PageSize: 100), default)).Rows;
            ids.AddRange(rows.Select(r => r.ReportId));
            if (rows.Count < 100)
            {
                return ids;
            }
        }
    }

    private static async Task<long> IdOfAsync(ServerFixture f, Guid reportId)
    {
        await using var scope = f.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        return await db.Screenings.Where(s => s.ReportId == reportId).Select(s => s.Id).SingleAsync();
    }
}
