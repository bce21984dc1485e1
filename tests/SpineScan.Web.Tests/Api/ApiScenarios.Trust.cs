using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Api;

/// <summary>The server trusts nothing it is sent: what it stores, the category it decides, the input it refuses.</summary>
internal static partial class ApiScenarios
{
    public static async Task<HttpResponseMessage> PostRawAsync(ServerFixture f, string json) =>
        await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", new StringContent(json, Encoding.UTF8, "application/json"));

    public static JsonNode Node(SyncReport report) => JsonNode.Parse(JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport))!;

    public static async Task<T> WithDbAsync<T>(ServerFixture f, Func<SpineScanDbContext, Task<T>> read)
    {
        await using var scope = f.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SpineScanDbContext>());
    }

    public static async Task PostBody_IsStoredByteForByte(ServerFixture f)
    {
        // Indented, members reordered, a trailing zero and a member the contract does not know: a re-serialisation would change each.
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 23.4, atr: 6);
        var node = Node(report);
        node["analysis"]!["metrics"]!["atrDeg"]!["value"] = JsonValue.Create(6.0m);
        var reordered = new JsonObject { ["unknownExtra"] = "kept as sent" };
        foreach (var (key, value) in node.AsObject().Reverse().ToList())
        {
            node.AsObject().Remove(key);
            reordered[key] = value;
        }

        var json = reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("6.0", "6.00", StringComparison.Ordinal);
        var sent = Encoding.UTF8.GetBytes(json);
        using var response = await PostRawAsync(f, json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var (body, sha) = await WithDbAsync(f, async db =>
        {
            var s = await db.Screenings.Include(x => x.Payload).SingleAsync(x => x.ReportId == report.ReportId);
            return (s.Payload!.Body, s.BodySha256);
        });
        Assert.Equal(sent, body);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sent)), sha);
        Assert.Equal(23.4, StoredReport.Read(body).Analysis.LargestCobbDeg);
    }

    public static async Task PostContradictingCategory_IsStoredWithServersCategoryAndFlagged(ServerFixture f)
    {
        // A 45 deg curve sent as "normal": the server decides refer, sorts it first and says so in every export.
        var token = ParentLinkToken.Create();
        var honest = SampleReports.Report("dev-1", "SCH1", cobb: 45, atr: 9, parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30)));
        var report = honest with { Analysis = honest.Analysis with { Category = ScreeningCategory.Normal } };
        var id = await PostAndFindAsync(f, report);

        var stored = await WithDbAsync(f, db => db.Screenings.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal((int)ScreeningCategory.Normal, stored.DeviceCategory);
        Assert.Equal((int)ScreeningCategory.Refer, stored.AssessedCategory);
        Assert.Equal(0, stored.Priority);

        var scope = new ClinicianScope("a@p1.test", stored.ProgrammeId);
        var (row, detail) = await WithScopeAsync(f, async s =>
        {
            var page = await s.QueueAsync(scope, new QueueQuery(Reviewed: null, PageSize: 100), default);
            return (page.Rows.Single(r => r.Id == id), await s.DetailAsync(scope, id, default));
        });
        Assert.True(row.Flagged);
        Assert.Equal(ScreeningCategory.Refer, row.Category);
        Assert.True(detail!.Flagged);
        Assert.Equal(ScreeningCategory.Refer, detail.Category);

        var clinician = await SignInAsync(f, "a@p1.test");
        var pdf = PdfText(await clinician.GetByteArrayAsync($"/screenings/{id}/report.pdf"), out _);
        Assert.Contains("Referral to a doctor advised", pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("No action is needed", pdf, StringComparison.Ordinal);
        var parent = await f.Factory.CreateClient().GetStringAsync($"/r/{token}?lang=en");
        Assert.Contains("data-category=\"refer\"", parent, StringComparison.Ordinal);
    }

    public static async Task PostNonFiniteNumbers_Returns400NotServerError(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var json = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport);
        var cases = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["analysis.timingsMs.fusion"] = json.Replace("\"fusion\":12.5", "\"fusion\":1e400", StringComparison.Ordinal),
            ["analysis.quality.distanceMm"] = json.Replace("\"distanceMm\":905", "\"distanceMm\":-1e309", StringComparison.Ordinal),
            ["$nan"] = json.Replace("\"fusion\":12.5", "\"fusion\":NaN", StringComparison.Ordinal),
            ["$nanString"] = json.Replace("\"fusion\":12.5", "\"fusion\":\"NaN\"", StringComparison.Ordinal),
            ["$infinity"] = json.Replace("\"fusion\":12.5", "\"fusion\":Infinity", StringComparison.Ordinal),
        };
        foreach (var (field, body) in cases)
        {
            Assert.NotEqual(json, body);
            using var response = await PostRawAsync(f, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (!field.StartsWith('$'))
            {
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.NotNull(problem["errors"]![field]);
            }
        }

        Assert.Equal(0, await CountAsync(f, report.ReportId));
    }

    public static async Task PostControlCharactersOrOverlongText_Returns400NamingTheField(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1", accepted: false);
        var cases = new (string Field, SyncReport Report)[]
        {
            ("grade", report with { Grade = "P5\0" }),
            ("analysis.quality.reasons[0].message", report with { Analysis = report.Analysis with { Quality = report.Analysis.Quality with { Reasons = [new QualityReason("motion", "Moved \u202Egnol oot")] } } }),
            ("analysis.quality.reasons[0].code", report with { Analysis = report.Analysis with { Quality = report.Analysis.Quality with { Reasons = [new QualityReason("motion\u001b[2J", "Moved.")] } } }),
            ("analysis.landmarks[1].name", report with { Analysis = report.Analysis with { Landmarks = [report.Analysis.Landmarks[0], report.Analysis.Landmarks[1] with { Name = "dimple\u200F" }] } }),
            ("analysis.calibrationId", report with { Analysis = report.Analysis with { CalibrationId = new string('c', 5000) } }),
        };
        foreach (var (field, bad) in cases)
        {
            using var response = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(bad));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode} {text}");
            Assert.True(JsonNode.Parse(text)!["errors"]![field] is not null, $"{field} not named: {text}");
        }

        Assert.Equal(0, await CountAsync(f, report.ReportId));
    }

    public static async Task PostNumberAsString_Returns400(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var node = Node(report);
        node["ageMonths"] = "130";
        using var response = await PostRawAsync(f, node.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["ageMonths"]);
        Assert.Equal(0, await CountAsync(f, report.ReportId));
    }

    public static async Task Statistics_CountTheOutcomeOfAnOverriddenScreening(ServerFixture f)
    {
        var programme = await WithDbAsync(f, db => db.Programmes.Where(p => p.Code == "P1").Select(p => p.Id).SingleAsync());
        var who = new ClinicianScope("a@p1.test", programme);
        var before = (await WithScopeAsync(f, s => s.StatisticsAsync(who, default))).Single(s => s.School == "School one");
        var id = await PostAndFindAsync(f, SampleReports.Report("dev-1", "SCH1", cobb: 22, atr: 7.5));

        await WithScopeAsync(f, async s =>
        {
            Assert.True(await s.ReviewAsync(who, id, ScreeningCategory.Rescreen, "Bag strap; re-screen.", default));
            Assert.True(await s.RecordOutcomeAsync(who, id, 24, new DateOnly(2025, 10, 1), default));
            return 0;
        });
        var after = (await WithScopeAsync(f, s => s.StatisticsAsync(who, default))).Single(s => s.School == "School one");

        Assert.Equal(before.Outcomes + 1, after.Outcomes);
        Assert.Equal(before.ConfirmedCurves + 1, after.ConfirmedCurves);
    }

    public static async Task Outcome_InTheFutureOrBeforeTheScreening_IsRefused(ServerFixture f)
    {
        var programme = await WithDbAsync(f, db => db.Programmes.Where(p => p.Code == "P1").Select(p => p.Id).SingleAsync());
        var who = new ClinicianScope("a@p1.test", programme);
        var id = await PostAndFindAsync(f, SampleReports.Report("dev-1", "SCH1", cobb: 26, atr: 8));
        await WithScopeAsync(f, async s =>
        {
            var tomorrowPlusOne = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => s.RecordOutcomeAsync(who, id, 24, tomorrowPlusOne, default));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => s.RecordOutcomeAsync(who, id, 24, new DateOnly(2024, 1, 1), default));
            return 0;
        });
        var stored = await WithDbAsync(f, db => db.Screenings.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Null(stored.XrayCobbDeg);
    }

    public static async Task Priority_ComputedByTheDatabase_MatchesItsTwin(ServerFixture f)
    {
        var programme = await WithDbAsync(f, db => db.Programmes.Where(p => p.Code == "P1").Select(p => p.Id).SingleAsync());
        var who = new ClinicianScope("a@p1.test", programme);
        foreach (var (cobb, atr, accepted) in new[] { (3.0, 1.0, true), (12.0, 3.0, true), (25.0, 8.0, true), (8.0, 2.0, false) })
        {
            var id = await PostAndFindAsync(f, SampleReports.Report("dev-1", "SCH1", cobb: cobb, atr: atr, accepted: accepted));
            foreach (var reviewed in Enum.GetValues<ScreeningCategory>())
            {
                var before = await WithDbAsync(f, db => db.Screenings.AsNoTracking().SingleAsync(s => s.Id == id));
                Assert.Equal(ScreeningCategories.PriorityOf(before.InForce()), before.Priority);
                await WithScopeAsync(f, s => s.ReviewAsync(who, id, reviewed, "Checked.", default));
                var after = await WithDbAsync(f, db => db.Screenings.AsNoTracking().SingleAsync(s => s.Id == id));
                Assert.True(after.Reviewed);
                Assert.Equal(reviewed, after.InForce());
                Assert.Equal(ScreeningCategories.PriorityOf(reviewed), after.Priority);
            }
        }
    }

    public static async Task<T> WithScopeAsync<T>(ServerFixture f, Func<ScreeningService, Task<T>> use)
    {
        await using var scope = f.Factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ScreeningService>());
    }
}

/// <summary>The server's category follows the programme's own settings under the interval rule.</summary>
internal static partial class ApiScenarios
{
    public static async Task Assess_UsesTheIntervalAndTheProgrammesProbabilities(ServerFixture f)
    {
        // Cobb 18 (90 %: 13-24), ATR 3: P(Cobb >= 20) is about 0.29. Default p_refer 0.5 gives re-screen; 0.25 gives refer.
        static SyncReport Report(string device, string school)
        {
            var r = SampleReports.Report(device, school, cobb: 18, atr: 3);
            var curves = r.Analysis.Metrics.CobbDeg.Select((c, i) => i == 0 ? c with { Interval90 = new CobbInterval(13, 24) } : c).ToList();
            return r with { Analysis = r.Analysis with { Metrics = r.Analysis.Metrics with { CobbDeg = curves } } };
        }

        var usual = Report("dev-1", "SCH1");
        var usualId = await PostAndFindAsync(f, usual);
        await WithDbAsync(f, async db =>
        {
            var p2 = await db.Programmes.SingleAsync(p => p.Code == "P2");
            p2.ReferProbability = 0.25;
            return await db.SaveChangesAsync();
        });
        var cautious = Report("dev-2", "SCH2");
        await using var fresh = f.CreateFactory(); // a new process: no cached thresholds
        using var client = fresh.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", f.Device2Credential);
        using var posted = await client.PostAsync("/api/v1/reports", Json(cautious));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        Assert.Equal((int)ScreeningCategory.Rescreen, await WithDbAsync(f, db => db.Screenings.Where(s => s.Id == usualId).Select(s => s.AssessedCategory).SingleAsync()));
        Assert.Equal((int)ScreeningCategory.Refer, await WithDbAsync(f, db => db.Screenings.Where(s => s.ReportId == cautious.ReportId).Select(s => s.AssessedCategory).SingleAsync()));
        await WithDbAsync(f, async db =>
        {
            // Leave programme two as the queue scenario expects it: its own five screenings only.
            var p2 = await db.Programmes.SingleAsync(p => p.Code == "P2");
            p2.ReferProbability = CategoryThresholds.DefaultReferProbability;
            db.Screenings.Remove(await db.Screenings.SingleAsync(s => s.ReportId == cautious.ReportId));
            return await db.SaveChangesAsync();
        });
    }
}
