using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpineScan.Device;
using SpineScan.Device.Cameras;
using SpineScan.Device.Operators;
using Xunit.Abstractions;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>
/// Runs only when <c>SPINESCAN_KIOSK_CLASS</c> names a class size (and Chromium is installed): it is a measurement, not a
/// check, and takes minutes.
/// </summary>
public sealed class KioskClassTimingFactAttribute : FactAttribute
{
    public const string Variable = "SPINESCAN_KIOSK_CLASS";

    public KioskClassTimingFactAttribute()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), out var pupils) || pupils < 1)
        {
            Skip = $"A measurement: set {Variable}=30 and run it in Release (see firmware-host/README.md).";
        }
        else if (!File.Exists(ChromiumFactAttribute.Executable))
        {
            Skip = $"Needs Chromium at {ChromiumFactAttribute.Executable} (apt-get install chromium).";
        }
    }
}

/// <summary>
/// The documented harness for the kiosk's time over a class: real Chromium drives the real kiosk and station (phantom
/// camera, so no child needs positioning) through a whole class, as a screener would: the first pupil by typing the
/// pupil number, every other by "Next pupil", consent given, standing, forward bend, through any retake. It writes, per
/// pupil, the time from pressing the forward-bend capture to the result on screen (press-to-result), from pressing the
/// standing capture to the forward-bend button (standing press-to-accept), and the kiosk's own time per pupil (opening
/// the pupil to the result: clicks and waits). Figures go to the test output and to <c>SPINESCAN_KIOSK_CLASS_OUT</c>
/// (default: the temp folder) as markdown. It asserts that every pupil reached a result, nothing about speed.
/// </summary>
public sealed class KioskClassTimingHarness(ITestOutputHelper output) : IDisposable
{
    private const string Passphrase = "class timing 2026";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "spinescan-kiosk-class-" + Guid.NewGuid().ToString("N"));

    [KioskClassTimingFact]
    public async Task Class_EveryPupilScreened_TimesWritten()
    {
        var pupils = int.Parse(Environment.GetEnvironmentVariable(KioskClassTimingFactAttribute.Variable)!, CultureInfo.InvariantCulture);
        Directory.CreateDirectory(_dataDirectory);
        var rosterFile = Path.Combine(_dataDirectory, "roster-4C.csv");
        var roster = new StringBuilder("pupil_number,name,sex,date_of_birth,class\n");
        for (var i = 0; i < pupils; i++)
        {
            roster.Append(CultureInfo.InvariantCulture, $"{5001 + i},Pupil {i + 1:D2},{(i % 2 == 0 ? "female" : "male")},2015-0{1 + (i % 9)}-1{i % 10},4C\n");
        }

        await File.WriteAllTextAsync(rosterFile, roster.ToString());
        await using var kiosk = await KioskServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Station:DataDirectory"] = _dataDirectory,
                ["Station:Source"] = "phantom",
                ["Cameras:Phantom:Seed"] = "11",
            },
            builder => builder.Services.AddScreeningStation(builder.Configuration).AddPhantomCamera(builder.Configuration));
        await kiosk.Services.GetRequiredService<OperatorPassphrase>().SetAsync(Passphrase, CancellationToken.None, iterations: 1_000);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await KioskBrowser.LaunchAsync(playwright);
        var page = await KioskBrowser.NewPageAsync(browser, kiosk);
        await KioskBrowser.StartDayAsync(page, Passphrase, ("SCH9", "4C", "Ms Chan"), rosterFile, pupils);

        var rows = new List<PupilTiming>();
        for (var i = 0; i < pupils; i++)
        {
            var opened = Stopwatch.GetTimestamp();
            if (i == 0)
            {
                await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'scan-code'");
                await page.Keyboard.TypeAsync("5001");
                await page.Keyboard.PressAsync("Enter");
            }
            else
            {
                await page.ClickAsync("#next-pupil");
            }

            await Assertions.Expect(page.Locator("#pupil-name")).ToHaveTextAsync($"Pupil {i + 1:D2}");
            await page.ClickAsync("#consent-given");
            rows.Add(await ScreenAsync(page, i + 1, opened));
        }

        Assert.Equal(pupils, rows.Count);
        var report = Report(rows);
        output.WriteLine(report);
        var outFile = Environment.GetEnvironmentVariable("SPINESCAN_KIOSK_CLASS_OUT") ?? Path.Combine(Path.GetTempPath(), "spinescan-kiosk-class.md");
        await File.WriteAllTextAsync(outFile, report);
    }

    public void Dispose() => KioskBrowser.DeleteFolder(_dataDirectory);

    private static async Task<PupilTiming> ScreenAsync(IPage page, int pupil, long opened)
    {
        var standing = page.Locator("#capture-standing:not([disabled])");
        var bend = page.Locator("#capture-forward-bend:not([disabled])");
        double? standingMs = null;
        var retakes = 0;
        for (var press = 0; press < 10; press++)
        {
            await page.Locator("#capture-standing:not([disabled]), #capture-forward-bend:not([disabled])").First.WaitForAsync();
            var isStanding = await standing.IsVisibleAsync();
            var after = isStanding ? "#capture-forward-bend:not([disabled])" : "#result-category";
            var pressed = Stopwatch.GetTimestamp();
            await (isStanding ? standing : bend).ClickAsync();
            await page.Locator($"{after}, #retake").First.WaitForAsync();
            var elapsed = Stopwatch.GetElapsedTime(pressed).TotalMilliseconds;
            if (await page.Locator("#retake").IsVisibleAsync())
            {
                retakes++;
                continue;
            }

            if (isStanding)
            {
                standingMs = elapsed;
                continue;
            }

            var total = Stopwatch.GetElapsedTime(opened).TotalMilliseconds;
            var shown = (await page.Locator("#capture-to-result").InnerTextAsync()).Trim();
            return new PupilTiming(pupil, standingMs ?? double.NaN, elapsed, total, retakes, shown);
        }

        Assert.Fail($"Pupil {pupil}: the station refused capture after capture: " + await page.Locator("#retake").InnerTextAsync());
        return default;
    }

    private static string Report(List<PupilTiming> rows)
    {
        // Of values already sorted (every pupil has each figure: a pupil without a result fails the harness first).
        static double Median(double[] sorted) =>
            sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Kiosk over a class of {rows.Count} (phantom camera, headless Chromium 1280x800), {DateTimeOffset.UtcNow:u}");
        text.AppendLine();
        text.AppendLine("| measure | median | p10 | p90 |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (name, pick) in new (string, Func<PupilTiming, double>)[]
                 {
                     ("forward-bend press to result on screen (ms)", r => r.PressToResultMs),
                     ("standing press to the forward-bend button (ms)", r => r.StandingPressToAcceptMs),
                     ("kiosk time per pupil: open the pupil, consent, both captures, result (ms)", r => r.PupilMs),
                 })
        {
            var values = rows.Select(pick).Where(v => !double.IsNaN(v)).Order().ToArray();
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Median(values):F0} | {values[values.Length / 10]:F0} | {values[(values.Length * 9) / 10]:F0} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Retakes asked for: {rows.Sum(r => r.Retakes)} over {rows.Count} pupils.");
        text.AppendLine();
        text.AppendLine("| pupil | standing press-to-accept ms | press-to-result ms | pupil ms | retakes | kiosk shows |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Pupil} | {r.StandingPressToAcceptMs:F0} | {r.PressToResultMs:F0} | {r.PupilMs:F0} | {r.Retakes} | {r.Shown} |");
        }

        return text.ToString();
    }

    private readonly record struct PupilTiming(int Pupil, double StandingPressToAcceptMs, double PressToResultMs, double PupilMs, int Retakes, string Shown);
}
