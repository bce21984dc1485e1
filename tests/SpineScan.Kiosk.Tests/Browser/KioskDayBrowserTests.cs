using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpineScan.Contracts;
using SpineScan.Device;
using SpineScan.Device.Cameras;
using SpineScan.Device.Operators;
using SpineScan.Kiosk.Localization;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>
/// Real Chromium at 1280x800 against the real kiosk and station (phantom camera) and a stand-in sync server on the
/// loopback: the day's other turns that a school hall meets. A refused consent holds, another pupil is screened and
/// screened again, the slip opens, the sync fails for both reports (the school is not on the server yet), and once
/// that is fixed the kiosk's retry sends both, the second naming the first as the one it replaces.
/// </summary>
public sealed class KioskDayBrowserTests : IDisposable
{
    private const string Passphrase = "school hall 2026";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-day-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<SyncReport> _received = new();
    private volatile bool _schoolKnown;

    [ChromiumFact]
    public async Task Screener_Day_RefusalHoldsScreenAgainAndAFailedSyncIsRetried()
    {
        Directory.CreateDirectory(_dataDirectory);
        var rosterFile = Path.Combine(_dataDirectory, "roster-5B.csv");
        await File.WriteAllTextAsync(rosterFile,
            "pupil_number,name,sex,date_of_birth,class\n" +
            "3001,Ho Ka Yan,female,2015-01-11,5B\n" +
            "3002,Lam Chi Ho,male,2015-03-21,5B\n");

        await using var server = await StartSyncServerAsync();
        await using var kiosk = await KioskServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Station:DataDirectory"] = _dataDirectory,
                ["Station:Source"] = "phantom",
                ["Cameras:Phantom:Seed"] = "7",
                ["Station:ServerUrl"] = server.Urls.First(),
                ["Station:DeviceKey"] = "kiosk-day.test-secret",
                ["Station:SyncIntervalSeconds"] = "3600",
                ["Station:SyncMaxRetries"] = "0",
            },
            builder => builder.Services.AddScreeningStation(builder.Configuration).AddPhantomCamera(builder.Configuration));
        await kiosk.Services.GetRequiredService<OperatorPassphrase>().SetAsync(Passphrase, CancellationToken.None, iterations: 1_000);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await KioskBrowser.LaunchAsync(playwright);
        var page = await KioskBrowser.NewPageAsync(browser, kiosk);

        // Sign in, open the session, import the roster.
        await KioskBrowser.StartDayAsync(page, Passphrase, ("SCH9", "5B", "Mr Lau"), rosterFile, pupils: 2);

        // The first pupil's parents refused: it holds, nothing can be captured, and the list says so.
        await page.Keyboard.TypeAsync("3001");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#pupil-name")).ToHaveTextAsync("Ho Ka Yan");
        await page.ClickAsync("#consent-refused");
        await Assertions.Expect(page.Locator("#capture-standing")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#capture-blocked")).ToBeVisibleAsync();
        await page.ClickAsync("#back-to-list");
        await Assertions.Expect(page.Locator("[data-pupil-number='3001']")).ToContainTextAsync(KioskText.English.ConsentRefused);

        // The next pupil: consent given, standing and forward bend, the result.
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'scan-code'");
        await page.Keyboard.TypeAsync("3002");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#pupil-name")).ToHaveTextAsync("Lam Chi Ho");
        await page.ClickAsync("#consent-given");
        var first = await ScreenAsync(page);

        // Screen again: asked first, then a second screening of the same pupil.
        await page.ClickAsync("#screen-again");
        await Assertions.Expect(page.Locator("#screen-again-confirm")).ToBeVisibleAsync();
        await page.ClickAsync("#screen-again-yes");
        var second = await ScreenAsync(page);
        Assert.NotEqual(first, second);

        // The slip of the screening in force opens.
        var slip = await page.APIRequest.GetAsync((await page.Locator("#slip-en").GetAttributeAsync("href"))!);
        Assert.Equal(200, slip.Status);
        Assert.Equal("%PDF"u8.ToArray(), (await slip.BodyAsync())[..4]);

        // Sync: the server does not know school SCH9 yet, so both reports fail, visibly, with what to do.
        await page.ClickAsync("#sync-now");
        await Assertions.Expect(page.Locator("#outbox-counts")).ToHaveAttributeAsync("data-failed", "2");
        await Assertions.Expect(page.Locator("#outbox-failed-help")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#outbox-error")).ToContainTextAsync("schoolCode");
        Assert.Empty(_received);

        // The school is added on the server; the kiosk's retry sends both.
        _schoolKnown = true;
        await page.ClickAsync("#retry-failed");
        await Assertions.Expect(page.Locator("#outbox-counts")).ToHaveAttributeAsync("data-sent", "2");
        await Assertions.Expect(page.Locator("#outbox-counts")).ToHaveAttributeAsync("data-failed", "0");
        await Assertions.Expect(page.Locator("#outbox-counts")).ToHaveAttributeAsync("data-waiting", "0");
        var sent = _received.ToArray();
        Assert.Equal(2, sent.Length);
        var earlier = Assert.Single(sent, r => r.Supersedes is null);
        var again = Assert.Single(sent, r => r.Supersedes is not null);
        Assert.Equal(earlier.ReportId, again.Supersedes);
        Assert.Equal(earlier.PupilPseudonym, again.PupilPseudonym);
        Assert.NotNull(again.ForwardBendDepthMap);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-day.png") });
    }

    public void Dispose() => KioskBrowser.DeleteFolder(_dataDirectory);

    // Standing, then the forward bend, through any retake the station asks for (it names the pose to take again); the
    // result screen's screening id.
    private static async Task<string> ScreenAsync(IPage page)
    {
        var standing = page.Locator("#capture-standing:not([disabled])");
        var bend = page.Locator("#capture-forward-bend:not([disabled])");
        for (var press = 0; press < 8; press++)
        {
            await page.Locator("#capture-standing:not([disabled]), #capture-forward-bend:not([disabled])").First.WaitForAsync();
            var button = await standing.IsVisibleAsync() ? standing : bend;
            var after = button == standing ? "#capture-forward-bend:not([disabled])" : "#result-category";
            await button.ClickAsync();
            await page.Locator($"{after}, #retake").First.WaitForAsync();
            if (await page.Locator("#result-category").IsVisibleAsync())
            {
                return (await page.GetAttributeAsync("#result", "data-screening-id"))!;
            }
        }

        Assert.Fail("The station refused capture after capture: " + await page.Locator("#retake").InnerTextAsync());
        return "";
    }

    // A stand-in for the server: no device registration (an older server), and reports refused for their school until
    // the school is known.
    private async Task<WebApplication> StartSyncServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/api/v1/reports", async (HttpContext http) =>
        {
            var report = await JsonSerializer.DeserializeAsync(http.Request.Body, SpineScanJsonContext.Default.SyncReport);
            if (!_schoolKnown)
            {
                return Results.Problem(statusCode: 400, title: "The report breaks the contract.", extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["schoolCode"] = ["No such school in the device's programme."] } });
            }

            _received.Enqueue(report!);
            return Results.Json(new ReportAccepted(report!.ReportId, DateTimeOffset.UtcNow, false), SpineScanJsonContext.Default.ReportAccepted, statusCode: 201);
        });
        await app.StartAsync();
        return app;
    }
}
