using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Tests.Api;

namespace SpineScan.Web.Tests.Browser;

/// <summary>A fact that runs where Debian's Chromium is installed (<c>/usr/bin/chromium</c>), and says so when skipped.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
        {
            Skip = $"Browser tests need Chromium at {Executable} (apt-get install chromium).";
        }
    }
}

/// <summary>Real Chromium (Playwright) against the real server on Kestrel (127.0.0.1) and SQLite.</summary>
public sealed class BrowserTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [ChromiumFact]
    public async Task Clinician_SignsInReviewsAndOverrides_CategoryChanges()
    {
        await using var server = StartKestrel(out var baseUrl);
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 24, atr: 6);
        using (var device = new HttpClient { BaseAddress = new Uri(baseUrl) })
        {
            device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Device1Credential);
            using var posted = await device.PostAsync("/api/v1/reports", ApiScenarios.Json(report));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Args = ClinicSession.ChromiumArgs, Headless = true });
        var page = await browser.NewPageAsync(new() { BaseURL = baseUrl });

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/account/login**");
        await page.FillAsync("#email", "a@p1.test");
        await page.FillAsync("#password", ServerFixture.Password);
        await page.ClickAsync("#signin");

        var row = page.Locator($"a[data-screening='{report.ReportId}']");
        await row.WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal("Refer", (await row.InnerTextAsync()).Trim());
        await row.ClickAsync();

        await page.Locator("#metrics").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal(1, await page.Locator("#heatmap svg .spinal-line").CountAsync());
        await page.SelectOptionAsync("#review-category", "Rescreen");
        await page.FillAsync("#review-note", "Rotation from a school bag strap; re-screen in 6 months.");
        await page.ClickAsync("#review-save");
        await page.Locator("#review-state").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Contains("Re-screen", await page.Locator("#review-state").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-clinician-detail.png"), FullPage = true });

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        var stored = await db.Screenings.SingleAsync(s => s.ReportId == report.ReportId);
        Assert.Equal((int)ScreeningCategory.Rescreen, stored.ReviewedCategory);
        Assert.True(stored.Reviewed);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.ScreeningId == stored.Id && a.Action == "review"));
    }

    [ChromiumFact]
    public async Task Parent_OpensLinkOnPhone_SeesPlainLanguageReport()
    {
        await using var server = StartKestrel(out var baseUrl);
        var token = ParentLinkToken.Create();
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 26, atr: 8,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30)));
        using (var device = new HttpClient { BaseAddress = new Uri(baseUrl) })
        {
            device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Device1Credential);
            using var posted = await device.PostAsync("/api/v1/reports", ApiScenarios.Json(report));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Args = ClinicSession.ChromiumArgs, Headless = true });
        await using var phone = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
        });
        var page = await phone.NewPageAsync();
        var response = await page.GotoAsync($"/r/{token}");

        Assert.Equal(200, response!.Status);
        Assert.Equal("建议转诊医生", (await page.Locator(".category").InnerTextAsync()).Trim());
        Assert.True(await page.Locator("img.heatmap").IsVisibleAsync());
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The page scrolls sideways on a phone ({width} px).");

        await page.ClickAsync("a[lang='en']");
        Assert.Equal("Referral to a doctor advised", (await page.Locator(".category").InnerTextAsync()).Trim());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-parent-phone.png"), FullPage = true });
    }

    private WebApplicationFactory<Program> StartKestrel(out string baseUrl)
    {
        var factory = fixture.CreateFactory();
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0)); // a free port: UseKestrel(0) binds 5000, which another test run on the machine may hold
        factory.StartServer();
        baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        return factory;
    }
}
