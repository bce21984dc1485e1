using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using SpineScan.Testing;
using SpineScan.Web.Api;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Api;

/// <summary>The EHR export API, the served code systems and the OpenAPI document.</summary>
internal static partial class ApiScenarios
{
    public static async Task Ehr_ClientCredential_ExportsItsProgrammeOnlyAndIsAudited(ServerFixture f)
    {
        var credential = (await f.AdminAsync("admin", "add-ehr-client", "--programme", "P1", "--client-id", "ehr-" + Guid.NewGuid().ToString("N")[..8])).TrimEnd().Split('\n')[^1].Trim();
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 27, atr: 8);
        var id = await PostAndFindAsync(f, report);
        var foreign = SampleReports.Report("dev-2", "SCH2", cobb: 5, atr: 1);
        using (var other = Device(f, f.Device2Credential))
        using (var posted = await other.PostAsync("/api/v1/reports", Json(foreign)))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var ehr = f.Factory.CreateClient();
        ehr.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        var list = await ehr.GetFromJsonAsync<List<EhrScreening>>("/api/v1/ehr/screenings", JsonSerializerOptions.Web);
        Assert.Contains(list!, s => s.ReportId == report.ReportId && s.Category == "refer");
        Assert.DoesNotContain(list!, s => s.ReportId == foreign.ReportId);

        using var bundle = await ehr.GetAsync($"/api/v1/ehr/screenings/{report.ReportId}/fhir");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("application/fhir+json", bundle.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", bundle.Headers.CacheControl?.ToString());
        Assert.Contains(report.ReportId.ToString(), await bundle.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var other404 = await ehr.GetAsync($"/api/v1/ehr/screenings/{foreign.ReportId}/fhir");
        Assert.Equal(HttpStatusCode.NotFound, other404.StatusCode);

        // A device's credential, a clinician's cookie or nothing at all: 401.
        var clinician = await SignInAsync(f, "a@p1.test");
        foreach (var client in new[] { clinician, Device(f, f.Device1Credential), f.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }) })
        {
            using var refused = await client.GetAsync("/api/v1/ehr/screenings");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var audited = await WithDbAsync(f, db => db.AuditEntries.Where(a => a.ScreeningId == id && a.Action == AuditLog.ExportFhir && a.Actor.StartsWith("ehr:")).CountAsync());
        Assert.Equal(1, audited);
        Assert.True(await WithDbAsync(f, db => db.AuditEntries.AnyAsync(a => a.Action == AuditLog.EhrList)));
    }

    public static async Task Ehr_ScreenAgain_ListNamesWhatItSupersedesAndMarksTheEarlier(ServerFixture f)
    {
        var credential = (await f.AdminAsync("admin", "add-ehr-client", "--programme", "P1", "--client-id", "ehr-" + Guid.NewGuid().ToString("N")[..8])).TrimEnd().Split('\n')[^1].Trim();
        var device = Device(f, f.Device1Credential);
        var first = SampleReports.Report("dev-1", "SCH1", pupil: 7301, cobb: 24, atr: 8);
        var again = SampleReports.Report("dev-1", "SCH1", pupil: 7301, cobb: 9, atr: 3, capturedAt: first.CapturedAt.AddMinutes(4)) with { Supersedes = first.ReportId };
        await PostCreatedAsync(device, first);
        await PostCreatedAsync(device, again);

        var ehr = f.Factory.CreateClient();
        ehr.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        var list = await ehr.GetFromJsonAsync<List<EhrScreening>>("/api/v1/ehr/screenings", JsonSerializerOptions.Web);
        var earlier = Assert.Single(list!, s => s.ReportId == first.ReportId);
        var current = Assert.Single(list!, s => s.ReportId == again.ReportId);
        Assert.True(earlier.Superseded);
        Assert.Null(earlier.Supersedes);
        Assert.False(current.Superseded);
        Assert.Equal(first.ReportId, current.Supersedes);
    }

    public static async Task CodeSystems_AreServedAtTheirCanonicalUrls(ServerFixture f)
    {
        var client = f.Factory.CreateClient();
        foreach (var name in new[] { "metrics", "screening-category" })
        {
            using var response = await client.GetAsync($"/fhir/CodeSystem/{name}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var system = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("CodeSystem", (string?)system["resourceType"]);
            Assert.Equal($"https://spinescan.example/fhir/CodeSystem/{name}", (string?)system["url"]);
        }

        using var missing = await client.GetAsync("/fhir/CodeSystem/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    public static async Task OpenApi_DescribesTheBearerSchemeOnEveryApiOperation(ServerFixture f)
    {
        var document = JsonNode.Parse(await f.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", (string?)scheme["type"]);
        Assert.Equal("bearer", (string?)scheme["scheme"]);
        var operations = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!)).ToList();
        Assert.True(operations.Count >= 4);
        Assert.All(operations, o => Assert.NotNull(o["security"]?[0]?["bearer"]));
    }
}
