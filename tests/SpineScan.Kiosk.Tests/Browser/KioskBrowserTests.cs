using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpineScan.Contracts;
using SpineScan.Device;
using SpineScan.Device.Cameras;
using SpineScan.Device.Operators;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Localization;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>
/// Real Chromium (Playwright) at the kiosk's 1280x800 against the real kiosk on Kestrel (127.0.0.1) with the real
/// screening station on the phantom camera and a fresh data folder: one screener's whole round for one pupil.
/// </summary>
public sealed class KioskBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const string PupilNumber = "2002";
    private const string PupilName = "Wong Mei Ling";
    private const string Passphrase = "school hall 2026";

    // The live view aims at 10 fps or more. It shows 21 fps in this Debug test on an idle two-core machine and 11 fps
    // with both cores held by busy loops (half-resolution JPEG frames; README), but `dotnet test` runs the other test
    // assemblies beside this one on the same two cores, where a CI run saw the station itself make 7 fps. So the test
    // checks that the picture keeps changing (this many new frames decoded, within a generous time) and prints the
    // rate, rather than asserting a rate that depends on the machine's load.
    private const int LiveFramesToSee = 12;

    private static readonly TimeSpan LiveFramesWithin = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-" + Guid.NewGuid().ToString("N"));

    [ChromiumFact]
    public async Task Screener_ScreensOnePupilStartToFinish_SeesResultAndPrintsSlip()
    {
        Directory.CreateDirectory(_dataDirectory);
        var rosterFile = Path.Combine(_dataDirectory, "roster-5A.csv");
        await File.WriteAllTextAsync(rosterFile,
            "pupil_number,name,sex,date_of_birth,class\n" +
            "2001,Chan Tai Man,male,2015-02-01,5A\n" +
            $"{PupilNumber},{PupilName},female,2015-06-30,5A\n" +
            "2003,Lee Siu Ling,female,2014-11-12,5A\n");

        await using var kiosk = await KioskServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Station:DataDirectory"] = _dataDirectory,
                ["Station:Source"] = "phantom",
                ["Cameras:Phantom:Seed"] = "7",
            },
            builder =>
            {
                builder.Services.AddScreeningStation(builder.Configuration).AddPhantomCamera(builder.Configuration);
                FrameCountingStation.Decorate(builder.Services);
            });
        var station = kiosk.Services.GetRequiredService<FrameCountingStation>();
        // The operator's passphrase, as 'spinescan passphrase' sets it at install (fewer PBKDF2 rounds in a test).
        await kiosk.Services.GetRequiredService<OperatorPassphrase>().SetAsync(Passphrase, CancellationToken.None, iterations: 1_000);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await KioskBrowser.LaunchAsync(playwright);
        var page = await KioskBrowser.NewPageAsync(browser, kiosk);
        await page.GotoAsync("/");

        // 0. Sign in: the kiosk sends a browser that is not signed in to the passphrase form.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await page.FillAsync("#signin-passphrase", "wrong-passphrase");
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signin-message")).ToHaveTextAsync(KioskText.English.SignInWrong);
        await page.FillAsync("#signin-passphrase", Passphrase);
        await page.ClickAsync("#signin-submit");

        // 1. Open a session.
        await KioskBrowser.OpenSessionAsync(page, "SCH1", "5A", "Ms Ho");

        // 2. Import the roster.
        await page.SetInputFilesAsync("#roster-file", rosterFile);
        await Assertions.Expect(page.Locator("#roster-imported")).ToHaveTextAsync("3 pupils imported.");
        await Assertions.Expect(page.Locator("#pupil-list .pupil-row")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-pupils.png") });
        await AssertTouchTargetsAsync(page);

        // 3. Pick the pupil as a scanner does: the code field has the focus, the number arrives as keys, then Enter.
        Assert.Equal("scan-code", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync(PupilNumber);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#pupil-name")).ToHaveTextAsync(PupilName);
        await Assertions.Expect(page.Locator("#capture-standing")).ToBeDisabledAsync();

        // 4. Consent.
        await page.ClickAsync("#consent-given");
        await Assertions.Expect(page.Locator("#capture-standing")).ToBeEnabledAsync();

        // 5. Live positioning: new frames decoded by the browser once the stream runs (the phantom renders its first
        //    children on start), timed against the frames the station made meanwhile.
        await page.WaitForFunctionAsync("window.spinescanKiosk.framesShown > 0");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var shownBefore = await page.EvaluateAsync<int>("window.spinescanKiosk.framesShown");
        var madeBefore = station.FramesYielded;
        var clock = Stopwatch.StartNew();
        try
        {
            await page.WaitForFunctionAsync(
                $"window.spinescanKiosk.framesShown >= {shownBefore + LiveFramesToSee}",
                null,
                new() { Timeout = (float)LiveFramesWithin.TotalMilliseconds, PollingInterval = 20 });
        }
        catch (TimeoutException)
        {
            var stalled = await page.EvaluateAsync<int>("window.spinescanKiosk.framesShown") - shownBefore;
            Assert.Fail($"The live picture stalled: {stalled} new frames in {LiveFramesWithin.TotalSeconds:0} s (the station made {station.FramesYielded - madeBefore}).");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var shown = await page.EvaluateAsync<int>("window.spinescanKiosk.framesShown") - shownBefore;
        var made = station.FramesYielded - madeBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"positioning: {shown} frames shown in {seconds:0.00} s = {shown / seconds:0.0} fps; the station made {made} ({made / seconds:0.0} fps)"));
        // While the page decodes a frame the station's newer ones replace the waiting one on the server, by design
        // (how many depends on how busy the machine is); every frame the page is handed is decoded and shown.
        var received = await page.EvaluateAsync<int>("window.spinescanKiosk.framesReceived");
        var shownInAll = await page.EvaluateAsync<int>("window.spinescanKiosk.framesShown");
        Assert.True(received - shownInAll <= 1, $"The page was handed {received} frames but showed {shownInAll}: decodes were thrown away.");
        Assert.StartsWith("blob:", await page.GetAttributeAsync("#positioning-frame", "src"), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#ready-indicator")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-positioning.png") });
        await AssertTouchTargetsAsync(page);

        // 6. Capture standing, then the forward bend; the result screen follows.
        await page.ClickAsync("#capture-standing");
        await ExpectAcceptedAsync(page, "#capture-forward-bend:not([disabled])");
        await Assertions.Expect(page.Locator("#positioning")).ToHaveAttributeAsync("data-pose", "forward_bend");
        var pressed = Stopwatch.StartNew();
        await page.ClickAsync("#capture-forward-bend");
        await ExpectAcceptedAsync(page, "#result-category");
        var badge = page.Locator("#result-category");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"forward bend press to result screen: {pressed.ElapsedMilliseconds} ms"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-result.png") });
        await AssertTouchTargetsAsync(page);

        var screeningId = long.Parse((await page.GetAttributeAsync("#result", "data-screening-id"))!, CultureInfo.InvariantCulture);
        var stored = await station.GetScreeningAsync(screeningId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(KioskDisplay.CategoryCode(stored.Analysis.Category), await badge.GetAttributeAsync("data-category"));
        Assert.Equal(KioskText.English.Category(stored.Analysis.Category), (await badge.InnerTextAsync()).Trim());
        Assert.NotEqual(ScreeningCategory.Retake, stored.Analysis.Category);
        await Assertions.Expect(page.Locator("#metric-cobb")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#result-quality")).ToHaveAttributeAsync("data-accepted", "true");

        // 7. The parent slip opens in a new tab; its PDF carries the pupil's name.
        var slip = page.Locator("#slip-en");
        Assert.Equal("_blank", await slip.GetAttributeAsync("target"));
        var slipUrl = (await slip.GetAttributeAsync("href"))!;
        // Not the screening's id: a random token of this operator session.
        Assert.Matches("^/slips/[A-Za-z0-9_-]{22}\\.pdf\\?lang=en$", slipUrl);
        Assert.DoesNotContain("/slips/" + screeningId.ToString(CultureInfo.InvariantCulture) + ".pdf", slipUrl, StringComparison.Ordinal);
        var response = await page.APIRequest.GetAsync(slipUrl);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        var pdf = await response.BodyAsync();
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        using (var document = PdfDocument.Open(pdf))
        {
            var text = string.Join(" ", document.GetPages().Select(p => p.Text));
            Assert.Contains(PupilName.Replace(" ", "", StringComparison.Ordinal), text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        // Another browser (no operator session) gets nothing at that address.
        await using (var stranger = await browser.NewContextAsync(new() { BaseURL = kiosk.Url.ToString() }))
        {
            var refused = await stranger.APIRequest.GetAsync(slipUrl);
            Assert.Equal(401, refused.Status);
        }

        // Next pupil: the next one on the roster still to screen opens; back to the list, the pupil is marked screened.
        await page.ClickAsync("#next-pupil");
        await Assertions.Expect(page.Locator("#pupil-name")).ToHaveTextAsync("Lee Siu Ling");
        await page.ClickAsync("#back-to-list");
        await Assertions.Expect(page.Locator($"[data-pupil-number='{PupilNumber}']")).ToContainTextAsync(KioskText.English.ProgressScreened);
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'scan-code'");

        // The language switch works in the browser too, in the script the language is written in.
        await page.ClickAsync("#lang-zh-Hant");
        await Assertions.Expect(page.Locator("label.scan-label")).ToHaveTextAsync(KioskText.TraditionalChinese.ScanCode);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hant");
        await Assertions.Expect(page.Locator("#lang-zh-Hant")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-zh-hant.png") });

        // The language button has the focus now; a scan still lands in the code field.
        Assert.Equal("lang-zh-Hant", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("2001");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#pupil-name")).ToHaveTextAsync("Chan Tai Man");
    }

    // Every visible control a finger may need (buttons, links, the file picker, text fields) is at least 48 px tall.
    private static async Task AssertTouchTargetsAsync(IPage page)
    {
        var small = await page.EvaluateAsync<string[]>(
            """
            [...document.querySelectorAll("button, a[href], label.file-button, input:not([type=file]):not(.visually-hidden)")]
                .filter(e => e.offsetParent !== null)
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.height < 48)
                .map(([e, r]) => `${e.tagName}#${e.id} "${e.textContent.trim()}" ${Math.round(r.width)}x${Math.round(r.height)}`)
            """);
        Assert.True(small.Length == 0, "Touch targets under 48 px: " + string.Join("; ", small));
    }

    // A capture ends in the next step, or in a retake whose reasons make the failure message.
    private static async Task ExpectAcceptedAsync(IPage page, string nextStep)
    {
        var outcome = page.Locator($"{nextStep}, #retake");
        await outcome.First.WaitForAsync();
        if (await page.Locator("#retake").IsVisibleAsync())
        {
            Assert.Fail("The station asked for a retake: " + await page.Locator("#retake").InnerTextAsync());
        }
    }

    public void Dispose() => KioskBrowser.DeleteFolder(_dataDirectory);
}
