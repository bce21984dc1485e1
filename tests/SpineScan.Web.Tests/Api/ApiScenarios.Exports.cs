using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Api;

/// <summary>The PDF and FHIR exports: content, language, access control and audit.</summary>
internal static partial class ApiScenarios
{
    public static async Task<long> PostAndFindAsync(ServerFixture f, SyncReport report)
    {
        using var posted = await Device(f, f.Device1Credential).PostAsync("/api/v1/reports", Json(report));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        await using var scope = f.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SpineScanDbContext>().Screenings
            .Where(s => s.ReportId == report.ReportId).Select(s => s.Id).SingleAsync();
    }

    public static string PdfText(byte[] pdf, out int images)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        images = pages.Sum(p => p.GetImages().Count());
        return string.Concat(pages.Select(p => p.Text));
    }

    public static async Task ClinicianPdf_OwnProgrammeOnlyAndAudited(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 26.3, atr: 7.4);
        var id = await PostAndFindAsync(f, report);

        var own = await SignInAsync(f, "a@p1.test");
        using var response = await own.GetAsync($"/screenings/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync(), out var images);
        Assert.Contains("Referral to a doctor advised", text, StringComparison.Ordinal);
        Assert.Contains("26.3°", text, StringComparison.Ordinal);
        Assert.Contains("7.4°", text, StringComparison.Ordinal);
        Assert.DoesNotContain(report.PupilPseudonym, text, StringComparison.Ordinal);
        Assert.True(images >= 1);

        using var chinese = await own.GetAsync($"/screenings/{id}/report.pdf?lang=zh-Hans");
        Assert.Contains("建议转诊医生", PdfText(await chinese.Content.ReadAsByteArrayAsync(), out _), StringComparison.Ordinal);

        var other = await SignInAsync(f, "b@p2.test");
        using var foreign = await other.GetAsync($"/screenings/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var anonymous = f.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var unauthenticated = await anonymous.GetAsync($"/screenings/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.Redirect, unauthenticated.StatusCode);

        await using var scope = f.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.ScreeningId == id && a.Actor == "a@p1.test" && a.Action == AuditLog.ExportPdf));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.ScreeningId == id && a.Actor == "b@p2.test"));
    }

    public static async Task ParentPdf_InPageLanguage_OnlyWithLiveLink(ServerFixture f)
    {
        var token = ParentLinkToken.Create();
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 14.2, atr: 3.1,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30)));
        await PostAndFindAsync(f, report);

        var browser = f.Factory.CreateClient();
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-HK");
        using var pdf = await browser.GetAsync($"/r/{token}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = PdfText(await pdf.Content.ReadAsByteArrayAsync(), out var images);
        Assert.Contains("建議再次篩查", text, StringComparison.Ordinal);
        Assert.Contains("14.2°", text, StringComparison.Ordinal);
        Assert.True(images >= 1);

        using var english = await browser.GetAsync($"/r/{token}/report.pdf?lang=en");
        Assert.Contains("Re-screening advised", PdfText(await english.Content.ReadAsByteArrayAsync(), out _), StringComparison.Ordinal);

        using var unknown = await browser.GetAsync($"/r/{ParentLinkToken.Create()}/report.pdf");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    public static async Task ParentPage_AfterAClinicianChangedTheResult_SaysSoAndThatTheSlipMayDiffer(ServerFixture f)
    {
        var token = ParentLinkToken.Create();
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 6, atr: 2,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30)));
        var id = await PostAndFindAsync(f, report);
        var browser = f.Factory.CreateClient();

        // As the device printed it: no note.
        Assert.DoesNotContain("class=\"changed\"", await browser.GetStringAsync($"/r/{token}?lang=en"), StringComparison.Ordinal);

        var programme = await WithDbAsync(f, db => db.Programmes.Where(p => p.Code == "P1").Select(p => p.Id).SingleAsync());
        await WithScopeAsync(f, s => s.ReviewAsync(new ClinicianScope("a@p1.test", programme), id, ScreeningCategory.Refer, "Rib hump on the forward bend.", default));
        var reviewedOn = DateOnly.FromDateTime((await WithDbAsync(f, db => db.Screenings.Where(s => s.Id == id).Select(s => s.ReviewedAtUtc).SingleAsync()))!.Value
            .Add(report.CapturedAt.Offset)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var page = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/r/{token}?lang=en"));
        Assert.Contains($"On {reviewedOn} a clinician reviewed this screening and changed the result from “No sign of scoliosis” to “Referral to a doctor advised”", page, StringComparison.Ordinal);
        Assert.Contains("The slip printed at school may still say “No sign of scoliosis”", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Rib hump", page, StringComparison.Ordinal); // the clinician's note stays in the clinic
        var pdf = await browser.GetByteArrayAsync($"/r/{token}/report.pdf?lang=en");
        Assert.Contains(Flat("a clinician reviewed this screening and changed the result"), Flat(PdfText(pdf, out _)), StringComparison.Ordinal);
    }

    public static async Task ClinicianPdf_AfterAnXrayOutcome_PrintsTheRadiographicAngleAndDate(ServerFixture f)
    {
        var id = await PostAndFindAsync(f, SampleReports.Report("dev-1", "SCH1", cobb: 27, atr: 8, capturedAt: new DateTimeOffset(2025, 9, 15, 9, 0, 0, TimeSpan.FromHours(8))));
        var programme = await WithDbAsync(f, db => db.Programmes.Where(p => p.Code == "P1").Select(p => p.Id).SingleAsync());
        var clinician = await SignInAsync(f, "a@p1.test");
        Assert.DoesNotContain(Flat("Cobb angle on the X-ray of"), Flat(PdfText(await clinician.GetByteArrayAsync($"/screenings/{id}/report.pdf"), out _)), StringComparison.Ordinal);

        await WithScopeAsync(f, s => s.RecordOutcomeAsync(new ClinicianScope("a@p1.test", programme), id, 31.5, new DateOnly(2025, 10, 2), default));
        var text = Flat(PdfText(await clinician.GetByteArrayAsync($"/screenings/{id}/report.pdf"), out _));

        Assert.Contains(Flat("Cobb angle on the X-ray of 2025-10-02"), text, StringComparison.Ordinal);
        Assert.Contains("31.5°", text, StringComparison.Ordinal);
    }

    private static string Flat(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    public static async Task ClinicianFhir_ParsesBack_OwnProgrammeOnly(ServerFixture f)
    {
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 21.5, atr: 5.5);
        var id = await PostAndFindAsync(f, report);

        var own = await SignInAsync(f, "a@p1.test");
        using var response = await own.GetAsync($"/screenings/{id}/fhir.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var bundle = System.Text.Json.JsonSerializer.Deserialize<Hl7.Fhir.Model.Bundle>(await response.Content.ReadAsStringAsync(), SpineScan.Fhir.FhirScreeningExporter.Json)!;
        var diagnostic = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.DiagnosticReport>().Single();
        Assert.Equal(report.ReportId.ToString(), diagnostic.Identifier[0].Value);
        Assert.Contains(diagnostic.ConclusionCode, c => c.Coding[0].Code == "refer");
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
        Assert.Equal(report.PupilPseudonym, patient.Identifier[0].Value);
        var cobb = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Observation>().First(o => o.Code.Coding[0].Code == "cobb-angle");
        Assert.Equal(21.5m, ((Hl7.Fhir.Model.Quantity)cobb.Value!).Value);

        var other = await SignInAsync(f, "b@p2.test");
        using var foreign = await other.GetAsync($"/screenings/{id}/fhir.json");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var anonymous = f.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var unauthenticated = await anonymous.GetAsync($"/screenings/{id}/fhir.json");
        Assert.Equal(HttpStatusCode.Redirect, unauthenticated.StatusCode);

        await using var scope = f.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.ScreeningId == id && a.Actor == "a@p1.test" && a.Action == AuditLog.ExportFhir));
    }
}
