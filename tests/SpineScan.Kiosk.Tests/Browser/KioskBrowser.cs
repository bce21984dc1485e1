using Microsoft.Playwright;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>What every kiosk browser test does the same way: Chromium, the kiosk's screen, a session, the data folder.</summary>
internal static class KioskBrowser
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Debian's Chromium, headless, without a profile's background traffic.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Args = ChromiumArgs, Headless = true });

    /// <summary>A page on the kiosk at its 1280x800 touch screen, not yet navigated.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, KioskServer kiosk)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = kiosk.Url.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
            HasTouch = true,
        });
        var page = await context.NewPageAsync();

        // A loaded CI machine: the station's first camera start and the captures take seconds, not milliseconds.
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        return page;
    }

    /// <summary>Opens a screening session from the form and waits for the header to show it.</summary>
    public static async Task OpenSessionAsync(IPage page, string school, string className, string screener)
    {
        await page.FillAsync("#session-school", school);
        await page.FillAsync("#session-class", className);
        await page.FillAsync("#session-operator", screener);
        await page.ClickAsync("#session-open");
        await Assertions.Expect(page.Locator("#status-session")).ToContainTextAsync($"{school} · {className} · {screener}");
    }

    /// <summary>The start of a screening day: sign in, open the session, import the roster and wait for its pupils.</summary>
    public static async Task StartDayAsync(IPage page, string passphrase, (string School, string ClassName, string Screener) session, string rosterFile, int pupils)
    {
        await page.GotoAsync("/");
        await page.FillAsync("#signin-passphrase", passphrase);
        await page.ClickAsync("#signin-submit");
        await OpenSessionAsync(page, session.School, session.ClassName, session.Screener);
        await page.SetInputFilesAsync("#roster-file", rosterFile);
        await Assertions.Expect(page.Locator("#pupil-list .pupil-row")).ToHaveCountAsync(pupils);
    }

    /// <summary>Deletes a test's data folder; a file still held by a background task is left to the system's temp cleaning.</summary>
    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a background task; the temp folder is cleaned by the system.
        }
    }
}
