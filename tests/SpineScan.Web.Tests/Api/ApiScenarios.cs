using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Api;

/// <summary>The API scenarios, run against each database by the provider-specific test classes.</summary>
internal static partial class ApiScenarios
{
    public static HttpClient Device(ServerFixture f, string credential)
    {
        var client = f.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    public static StringContent Json(SyncReport report) =>
        new(JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport), Encoding.UTF8, "application/json");

    public static async Task<int> CountAsync(ServerFixture f, Guid reportId)
    {
        await using var scope = f.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        return await db.Screenings.CountAsync(s => s.ReportId == reportId);
    }

    public static async Task PostValid_Returns201AndStores(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 23, atr: 6);
        using var response = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(report));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync(SpineScanJsonContext.Default.ReportAccepted);
        Assert.Equal(report.ReportId, answer!.ReportId);
        Assert.False(answer.Duplicate);
        Assert.Equal(1, await CountAsync(f, report.ReportId));
    }

    public static async Task PostTwice_ReturnsStoredResultWithoutDuplicate(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var client = Device(f, f.Device1Credential);
        using var first = await client.PostAsync("/api/v1/reports", Json(report));
        var firstAnswer = await first.Content.ReadFromJsonAsync(SpineScanJsonContext.Default.ReportAccepted);
        using var second = await client.PostAsync("/api/v1/reports", Json(report));
        var secondAnswer = await second.Content.ReadFromJsonAsync(SpineScanJsonContext.Default.ReportAccepted);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(secondAnswer!.Duplicate);
        Assert.Equal(firstAnswer!.ReceivedAt, secondAnswer.ReceivedAt);
        Assert.Equal(1, await CountAsync(f, report.ReportId));
    }

    public static async Task PostConcurrentRepeats_StoresOnce(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var client = Device(f, f.Device1Credential);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsync("/api/v1/reports", Json(report))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, await CountAsync(f, report.ReportId));
    }

    public static async Task PostSameIdOtherContent_Returns409(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 5);
        var client = Device(f, f.Device1Credential);
        using var first = await client.PostAsync("/api/v1/reports", Json(report));
        using var second = await client.PostAsync("/api/v1/reports", Json(report with { AgeMonths = 99 }));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    public static async Task PostWithoutOrWithBadCredential_Returns401AndStoresNothing(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var wrong = f.Device1Credential[..^4] + "AAAA";
        foreach (var client in new[] { f.Factory.CreateClient(), Device(f, wrong), Device(f, f.RevokedCredential), Device(f, "garbage") })
        {
            using var response = await client.PostAsync("/api/v1/reports", Json(report));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, await CountAsync(f, report.ReportId));
    }

    public static async Task PostMissingField_Returns400NamingIt(ServerFixture f)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(SampleReports.Report("dev-1", "SCH1"), SpineScanJsonContext.Default.SyncReport))!;
        node["analysis"]!["metrics"]!.AsObject().Remove("cobbDeg");
        using var response = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]!["analysis.metrics.cobbDeg"]);
    }

    public static async Task PostBrokenRules_Returns400NamingEachField(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1") with { PupilPseudonym = "Alice Chan", AgeMonths = 9000 };
        using var response = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(report));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["pupilPseudonym"]);
        Assert.NotNull(problem["errors"]!["ageMonths"]);
        Assert.Equal(0, await CountAsync(f, report.ReportId));
    }

    public static async Task PostGarbage_Returns400(ServerFixture f)
    {
        var client = Device(f, f.Device1Credential);
        using var notJson = await client.PostAsync("/api/v1/reports", new StringContent("{\"schema\": ", Encoding.UTF8, "application/json"));
        using var wrongType = await client.PostAsync("/api/v1/reports", new StringContent("[1,2,3]", Encoding.UTF8, "application/json"));
        using var notJsonType = await client.PostAsync("/api/v1/reports", new StringContent("hello", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJsonType.StatusCode);
    }

    public static async Task PostOversized_Returns413(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var json = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport);
        var padded = json[..^1] + ",\"padding\":\"" + new string('x', SyncReport.MaxBodyBytes) + "\"}";
        using var response = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", new StringContent(padded, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync(f, report.ReportId));
    }

    public static async Task PostAsOtherDeviceOrSchool_IsRefused(ServerFixture f)
    {
        var asOther = SampleReports.Report("dev-2", "SCH1");
        using var spoofed = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(asOther));
        var otherSchool = SampleReports.Report("dev-2", "SCH1");
        using var foreignSchool = await Device(f, f.Device2Credential).PostAsync("/api/v1/reports", Json(otherSchool));
        var problem = JsonNode.Parse(await foreignSchool.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreignSchool.StatusCode);
        Assert.NotNull(problem["errors"]!["schoolCode"]);
    }

    public static async Task ParentLink_OpensUntilExpiredOrRevoked(ServerFixture f)
    {
        var token = ParentLinkToken.Create();
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 24, atr: 7,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30)));
        using var posted = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(report));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var browser = f.Factory.CreateClient();
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-HK");
        using var page = await browser.GetAsync($"/r/{token}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("建議轉介醫生", html, StringComparison.Ordinal);
        Assert.DoesNotContain(report.PupilPseudonym, html, StringComparison.Ordinal);

        using var english = await browser.GetAsync($"/r/{token}?lang=en");
        Assert.Contains("Referral to a doctor advised", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var png = await browser.GetAsync($"/r/{token}/heatmap.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);

        // Revoked by a clinician: gone.
        await using (var scope = f.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            var link = await db.ParentLinks.Include(l => l.Screening).SingleAsync(l => l.TokenSha256 == ParentLinkToken.Hash(token));
            var service = scope.ServiceProvider.GetRequiredService<ScreeningService>();
            Assert.True(await service.RevokeParentLinkAsync(new ClinicianScope("a@p1.test", link.Screening!.ProgrammeId), link.Id, default));
        }

        using var revoked = await browser.GetAsync($"/r/{token}");
        Assert.Equal(HttpStatusCode.Gone, revoked.StatusCode);
    }

    public static async Task ParentLink_ExpiredOrUnknown_IsRefused(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        using var posted = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(report));
        var token = ParentLinkToken.Create();
        using var registered = await Device(f, f.Device1Credential).PostAsJsonAsync("/api/v1/parent-links",
            new ParentLinkRegistration(report.ReportId, ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(1)), SpineScanJsonContext.Default.ParentLinkRegistration);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        // Another programme's device cannot attach a link to this report.
        using var foreign = await Device(f, f.Device2Credential).PostAsJsonAsync("/api/v1/parent-links",
            new ParentLinkRegistration(report.ReportId, ParentLinkToken.Hash(ParentLinkToken.Create()), DateTimeOffset.UtcNow.AddDays(1)), SpineScanJsonContext.Default.ParentLinkRegistration);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        await using (var scope = f.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            var link = await db.ParentLinks.SingleAsync(l => l.TokenSha256 == ParentLinkToken.Hash(token));
            link.ExpiresAtUtc = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var browser = f.Factory.CreateClient();
        using var expired = await browser.GetAsync($"/r/{token}");
        using var unknown = await browser.GetAsync($"/r/{ParentLinkToken.Create()}");
        using var malformed = await browser.GetAsync("/r/abc");
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    public static async Task ParentLink_FailedLookups_AreRateLimited(ServerFixture f)
    {
        await using var factory = f.CreateFactory(b => b.UseSetting("ParentLinks:FailedLookupsPerWindow", "3"));
        var browser = factory.CreateClient();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var r = await browser.GetAsync($"/r/{ParentLinkToken.Create()}");
            codes.Add(r.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
    }

    public static async Task Clinician_SeesOnlyOwnProgramme(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 30);
        using var posted = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(report));
        long id;
        await using (var scope = f.Factory.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<SpineScanDbContext>().Screenings.Where(s => s.ReportId == report.ReportId).Select(s => s.Id).SingleAsync();
        }

        var anonymous = f.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var unauthenticated = await anonymous.GetAsync($"/screenings/{id}/summary");
        Assert.Equal(HttpStatusCode.Redirect, unauthenticated.StatusCode);
        Assert.Contains("/account/login", unauthenticated.Headers.Location!.ToString(), StringComparison.Ordinal);

        var own = await SignInAsync(f, "a@p1.test");
        using var ownView = await own.GetAsync($"/screenings/{id}/summary");
        Assert.Equal(HttpStatusCode.OK, ownView.StatusCode);

        var other = await SignInAsync(f, "b@p2.test");
        using var otherView = await other.GetAsync($"/screenings/{id}/summary");
        using var otherHeatMap = await other.GetAsync($"/screenings/{id}/heatmap.png");
        Assert.Equal(HttpStatusCode.NotFound, otherView.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherHeatMap.StatusCode);

        await using (var scope = f.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            Assert.True(await db.AuditEntries.AnyAsync(a => a.ScreeningId == id && a.Actor == "a@p1.test" && a.Action == AuditLog.View));
            Assert.False(await db.AuditEntries.AnyAsync(a => a.ScreeningId == id && a.Actor == "b@p2.test"));
        }
    }

    public static async Task SignIn_WrongPasswordFiveTimes_Throttles(ServerFixture f)
    {
        await f.AdminAsync("admin", "add-clinician", "--programme", "P1", "--email", "lock@p1.test", "--password", ServerFixture.Password);
        for (var i = 0; i < 5; i++)
        {
            var (_, location) = await PostSignInAsync(f, "lock@p1.test", "Wrong-Password-1");
            Assert.Contains("error=", location, StringComparison.Ordinal);
        }

        var (_, afterLock) = await PostSignInAsync(f, "lock@p1.test", ServerFixture.Password);
        Assert.Contains("error=wait", afterLock, StringComparison.Ordinal);
    }

    public static async Task OpenApi_IsServed(ServerFixture f)
    {
        var json = await f.Factory.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/reports", json, StringComparison.Ordinal);
        Assert.Contains("/api/v1/parent-links", json, StringComparison.Ordinal);
    }

    public static async Task<HttpClient> SignInAsync(ServerFixture f, string email)
    {
        var (client, location) = await PostSignInAsync(f, email, ServerFixture.Password);
        Assert.Equal("/", location);
        return client;
    }

    public static async Task<(HttpClient Client, string Location)> PostSignInAsync(ServerFixture f, string email, string password)
    {
        var client = f.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/",
        });
        using var response = await client.PostAsync("/account/signin", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, response.Headers.Location!.ToString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
