using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Web.Tests.Browser;

/// <summary>
/// The clinician's dashboard in real Chromium with real mouse clicks, at the two screen sizes clinics use
/// (1440x900 and 1280x720): the screening page's controls, its wording, the pictures, the review and outcome forms,
/// revoking a parent link, keyboard steps through the queue, the timeline.
/// </summary>
public sealed partial class ClinicTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private static int _pupil = 7000;

    private static int NextPupil() => Interlocked.Increment(ref _pupil);

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task ScreeningPage_TimelinePdfAndFhir_OpenWithAMouseClick(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        var pupil = NextPupil();
        var id = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 24, atr: 6));
        await s.OpenScreeningAsync(id);

        var pdf = await s.Page.RunAndWaitForDownloadAsync(() => s.MouseClickAsync("#export-pdf"));
        var pdfBytes = await File.ReadAllBytesAsync(await pdf.PathAsync());
        Assert.Equal("%PDF-"u8.ToArray(), pdfBytes[..5]);
        if (PdfChecks.Missing is null)
        {
            PdfChecks.AssertArchivalAndTagged(pdfBytes, "en"); // the clinic report as the server sends it: PDF/A-2b, tagged
        }

        var fhir = await s.Page.RunAndWaitForDownloadAsync(() => s.MouseClickAsync("#export-fhir"));
        using (var bundle = JsonDocument.Parse(await File.ReadAllTextAsync(await fhir.PathAsync())))
        {
            Assert.Equal("Bundle", bundle.RootElement.GetProperty("resourceType").GetString());
        }

        await s.MouseClickAsync("#timeline-link");
        await s.WaitForPathAsync("/timeline/" + SampleReports.Pseudonym(pupil));
        await s.Page.Locator("#timeline-chart svg").WaitForAsync(new() { Timeout = 20_000 });
        await s.ScreenshotAsync($"detail-links-{width}");
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task ScreeningPage_ReviewNoteAndXrayCobb_HaveVisibleBordersAndTakeMouseAndKeys(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        var id = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 24, atr: 6));
        await s.OpenScreeningAsync(id);

        await AssertVisibleBordersAsync(s, "#review-note", "#xray-cobb", "#xray-date", "#review-category");

        await s.Page.SelectOptionAsync("#review-category", "Rescreen");
        await s.MouseClickAsync("#review-note");
        await s.Page.Keyboard.TypeAsync("Strap of a school bag; re-screen in 6 months.");
        await s.MouseClickAsync("#review-save");
        await s.Page.Locator("#review-state").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Contains("Re-screen — Strap of a school bag", await s.Page.Locator("#review-state").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal((int)ScreeningCategory.Rescreen, await s.WithDbAsync(db => db.Screenings.Where(x => x.Id == id).Select(x => x.ReviewedCategory).SingleAsync()));
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task SignIn_FieldsHaveVisibleBorders_AndTakeMouseAndKeys(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height, signIn: false);
        await s.Page.GotoAsync("/account/login");

        await AssertVisibleBordersAsync(s, "#email", "#password");

        await s.MouseClickAsync("#email");
        await s.Page.Keyboard.TypeAsync("a@p1.test");
        await s.MouseClickAsync("#password");
        await s.Page.Keyboard.TypeAsync(ServerFixture.Password);
        await s.MouseClickAsync("#signin");
        await s.Page.Locator("#queue").WaitForAsync(new() { Timeout = 20_000 });
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task OutcomeForm_EmptyOrFutureDate_IsRefusedWithAMessageAndStoresNothing(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        var capturedAt = new DateTimeOffset(2025, 9, 15, 9, 30, 0, TimeSpan.FromHours(8));
        var id = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 26, atr: 8, capturedAt: capturedAt));
        await s.OpenScreeningAsync(id);
        var error = s.Page.Locator("#outcome-error");

        await s.MouseClickAsync("#outcome-save");
        await error.WaitForAsync(new() { Timeout = 10_000 });
        var empty = await error.InnerTextAsync();
        Assert.Contains("Enter the radiographic Cobb angle", empty, StringComparison.Ordinal);
        Assert.Contains("Enter the date the X-ray was taken", empty, StringComparison.Ordinal);

        var tomorrow = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(capturedAt.Offset).DateTime).AddDays(1);
        Assert.Equal(tomorrow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await s.Page.GetAttributeAsync("#xray-date", "max"));
        await s.MouseClickAsync("#xray-cobb");
        await s.Page.Keyboard.TypeAsync("24");
        await s.Page.FillAsync("#xray-date", tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await s.MouseClickAsync("#outcome-save");
        await s.Page.WaitForFunctionAsync("() => (document.querySelector('#outcome-error')?.innerText ?? '').includes('in the future')", null, new() { Timeout = 10_000 });
        Assert.Null(await s.WithDbAsync(db => db.Screenings.Where(x => x.Id == id).Select(x => x.XrayCobbDeg).SingleAsync()));

        await s.Page.FillAsync("#xray-date", "2025-10-02");
        await s.MouseClickAsync("#outcome-save");
        await s.Page.Locator("#outcome-state").WaitForAsync(new() { Timeout = 10_000 });
        Assert.Contains("24.0° on 2025-10-02", await s.Page.Locator("#outcome-state").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Cobb angle on the X-ray of 2025-10-02", await s.Page.Locator("#xray-row").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(24, await s.WithDbAsync(db => db.Screenings.Where(x => x.Id == id).Select(x => x.XrayCobbDeg).SingleAsync()));
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task RevokeParentLink_AsksFirst_CancelKeepsTheLink(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        var token = ParentLinkToken.Create();
        var id = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 24, atr: 6,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30))));
        await s.OpenScreeningAsync(id);
        var dialog = s.Page.Locator(".mud-dialog");
        Task<bool> RevokedAsync() => s.WithDbAsync(db => db.ParentLinks.Where(l => l.ScreeningId == id).Select(l => l.RevokedAtUtc != null).SingleAsync());

        await s.MouseClickAsync("#parent-links .revoke");
        await dialog.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Contains("Revoke this parent link?", await dialog.InnerTextAsync(), StringComparison.Ordinal);
        await s.ScreenshotAsync($"revoke-dialog-{width}");
        await s.MouseClickAsync(".mud-dialog .mud-button-root:has-text('Cancel')");
        await dialog.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached, Timeout = 10_000 });
        Assert.False(await RevokedAsync());
        Assert.Equal(1, await s.Page.Locator("#parent-links .revoke").CountAsync());

        await s.MouseClickAsync("#parent-links .revoke");
        await dialog.WaitForAsync(new() { Timeout = 10_000 });
        await s.MouseClickAsync(".mud-dialog .mud-button-root:has-text('Revoke')");
        await s.Page.Locator("#parent-links .revoked").WaitForAsync(new() { Timeout = 10_000 });
        Assert.True(await RevokedAsync());
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task Queue_KeysAndMouse_StepNextAndPreviousThroughTheQueue(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        // Three referrals on a day of their own, so a date filter shows exactly them, in capture order.
        var day = new DateTimeOffset(2021, 3, 10 + (width % 7), 9, 0, 0, TimeSpan.Zero);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 25 + i, atr: 8, capturedAt: day.AddMinutes(i))));
        }

        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await s.Page.FillAsync("#filter-from", date);
        await s.Page.FillAsync("#filter-to", date);
        // The filters reload the table once each: wait until it shows exactly these three, in order.
        var expected = string.Join(' ', ids.Select(i => $"/screenings/{i}"));
        await s.Page.WaitForFunctionAsync(
            "e => [...document.querySelectorAll('#queue a[data-screening]')].map(a => a.getAttribute('href')).join(' ') === e", expected, new() { Timeout = 20_000 });

        // On the queue, J and K move between rows and Enter opens one.
        await s.Page.Locator("h1").ClickAsync();
        await s.Page.Keyboard.PressAsync("j");
        await s.Page.Keyboard.PressAsync("j");
        Assert.Equal($"/screenings/{ids[1]}", await s.Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')"));
        await s.Page.Keyboard.PressAsync("k");
        Assert.Equal($"/screenings/{ids[0]}", await s.Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')"));
        await s.Page.Keyboard.PressAsync("Enter");
        await s.WaitForPathAsync($"/screenings/{ids[0]}");
        await s.Page.Locator("#queue-next").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal(0, await s.Page.Locator("#queue-prev").CountAsync());

        await s.Page.Keyboard.PressAsync("n");
        await s.WaitForPathAsync($"/screenings/{ids[1]}");
        await s.Page.Locator("#queue-prev").WaitForAsync(new() { Timeout = 20_000 });
        await s.MouseClickAsync("#queue-next");
        await s.WaitForPathAsync($"/screenings/{ids[2]}");
        await s.Page.Locator("#queue-next-none").WaitForAsync(new() { Timeout = 20_000 });
        await s.Page.Keyboard.PressAsync("p");
        await s.WaitForPathAsync($"/screenings/{ids[1]}");

        // Keys typed into the note stay in the note.
        await s.Page.Locator("#queue-next").WaitForAsync(new() { Timeout = 20_000 });
        await s.MouseClickAsync("#review-note");
        await s.Page.Keyboard.TypeAsync("np");
        Assert.EndsWith($"/screenings/{ids[1]}", s.Page.Url, StringComparison.Ordinal);
        Assert.Equal("np", await s.Page.InputValueAsync("#review-note"));
    }

    [ChromiumFact]
    public async Task ScreeningPage_Wording_NoCodeNamesNoZeroCurveRowNoBareConfidence()
    {
        await using var s = await ClinicSession.StartAsync(fixture, 1440, 900);
        var report = SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 18, atr: 4);
        var analysis = report.Analysis;
        var curves = analysis.Metrics.CobbDeg.Append(new CobbCurve(0, Metric.Degrees, 0.3, CurveRegion.ProximalThoracic)).ToList();
        analysis = analysis with
        {
            Metrics = analysis.Metrics with { CobbDeg = curves },
            Quality = analysis.Quality with { ValidPixelFraction = 1 },
        };
        var id = await s.PostAsync(report with { Analysis = analysis, Sex = Sex.Unknown });
        await s.OpenScreeningAsync(id);
        var text = await s.Page.Locator("main").InnerTextAsync();

        foreach (var raw in new[] { "ThoracolumbarLumbar", "MainThoracic", "ProximalThoracic", "Valid pixels", "Rescreen" })
        {
            Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(@"(?<![\d.])0\.0°", text); // no "0.0°" curve row

        Assert.Contains("main thoracic (MT): apex T8, T5–T11", text, StringComparison.Ordinal);
        Assert.Contains("thoracolumbar/lumbar (TL/L)", text, StringComparison.Ordinal);
        Assert.Contains("18.0° (90\u00A0%: 15–22°)", text, StringComparison.Ordinal);
        Assert.Contains("Back surface measured 100.0 %", text, StringComparison.Ordinal);
        Assert.Contains("· sex not recorded ·", text, StringComparison.Ordinal); // not the enum's "unknown"
        Assert.Contains("· a@p1.test · viewed", await s.Page.Locator("#audit").InnerTextAsync(), StringComparison.Ordinal); // the action in words, not "view"
        Assert.Contains("the chance that the true Cobb angle is 20.0° or more", text, StringComparison.Ordinal);
        var reliability = await s.Page.Locator("#metrics tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.All(reliability.Where(r => r.Length > 0), r => Assert.Contains(r, new[] { "high", "moderate", "low" }));
        Assert.DoesNotMatch(ConfidenceNumber(), string.Join('|', reliability));
        Assert.Equal(2, await s.Page.Locator("#metrics tr.curve").CountAsync());
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task ScreeningPage_StandingAndForwardBendSideBySide_SpinalLineInTwoPlanes(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        var report = SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 22, atr: 7) with { ForwardBendDepthMap = SampleReports.DepthMap(40, 56) };
        await s.OpenScreeningAsync(await s.PostAsync(report));
        await s.ScreenshotAsync($"detail-{width}");

        var standing = await s.Page.Locator("#heatmap svg").BoundingBoxAsync();
        var bend = await s.Page.Locator("#forward-bend svg").BoundingBoxAsync();
        Assert.NotNull(standing);
        Assert.NotNull(bend);
        Assert.True(Math.Abs(standing.Y - bend.Y) < 2, $"Not side by side: standing at y {standing.Y}, forward bend at y {bend.Y}.");
        Assert.True(bend.X >= standing.X + standing.Width, "The forward-bend picture overlaps the standing one.");
        Assert.Equal(1, await s.Page.Locator("#heatmap svg .spinal-line").CountAsync());
        Assert.Equal(0, await s.Page.Locator("#forward-bend svg .spinal-line").CountAsync()); // the line is the standing pose's

        foreach (var plane in new[] { "#spine-frontal", "#spine-sagittal" })
        {
            var points = await s.Page.Locator($"{plane} svg polyline.line").GetAttributeAsync("points");
            Assert.True(points!.Trim().Split(' ').Length >= 10, $"{plane}: {points}");
        }

        var frontal = await s.Page.Locator("#spine-frontal svg").BoundingBoxAsync();
        var sagittal = await s.Page.Locator("#spine-sagittal svg").BoundingBoxAsync();
        Assert.True(Math.Abs(frontal!.Y - sagittal!.Y) < 2, "The two planes are not side by side.");
    }

    [ChromiumFact]
    public async Task ScreeningPage_NoForwardBendSynced_SaysSo()
    {
        await using var s = await ClinicSession.StartAsync(fixture, 1440, 900);
        await s.OpenScreeningAsync(await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: NextPupil(), cobb: 22, atr: 7)));

        Assert.Equal("No forward-bend picture was synced with this report.", (await s.Page.Locator("#no-forward-bend").InnerTextAsync()).Trim());
    }

    [ChromiumFact]
    public async Task ScreeningPage_PreviousScreeningOfTheChild_ShowsTheChange()
    {
        await using var s = await ClinicSession.StartAsync(fixture, 1440, 900);
        var pupil = NextPupil();
        var first = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 12, atr: 4, capturedAt: new DateTimeOffset(2024, 9, 12, 9, 0, 0, TimeSpan.FromHours(8))));
        var second = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 18, atr: 6, capturedAt: new DateTimeOffset(2025, 9, 15, 9, 0, 0, TimeSpan.FromHours(8))));

        await s.OpenScreeningAsync(second);
        var table = await s.Page.Locator("#previous-table").InnerTextAsync();
        Assert.Contains("2024-09-12", table, StringComparison.Ordinal);
        Assert.Contains("12 months earlier", table, StringComparison.Ordinal);
        Assert.Contains("12.0° (90\u00A0%: 9–16°)", table, StringComparison.Ordinal);
        Assert.Equal("+6.0°", (await s.Page.Locator("#cobb-change").InnerTextAsync()).Trim());
        Assert.Equal("+2.0°", (await s.Page.Locator("#atr-change").InnerTextAsync()).Trim());

        await s.MouseClickAsync("#previous-link");
        await s.WaitForPathAsync($"/screenings/{first}");
        await s.Page.Locator("#no-previous").WaitForAsync(new() { Timeout = 20_000 });
    }

    [ChromiumFact]
    public async Task ScreeningPage_ScreenedAgain_LinksTheCurrentAndTheEarlierScreeningBothWays()
    {
        await using var s = await ClinicSession.StartAsync(fixture, 1440, 900);
        var pupil = NextPupil();
        var earlierReport = SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 21, atr: 7);
        var earlier = await s.PostAsync(earlierReport);
        var current = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 8, atr: 3, capturedAt: earlierReport.CapturedAt.AddMinutes(5)) with { Supersedes = earlierReport.ReportId });

        await s.OpenScreeningAsync(current);
        Assert.Contains("replaces an earlier one", await s.Page.Locator("#supersedes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await s.Page.Locator("#superseded").CountAsync());

        await s.MouseClickAsync("#supersedes-link");
        await s.WaitForPathAsync($"/screenings/{earlier}");
        await s.Page.Locator("#superseded").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Contains("a later screening replaced this one", await s.Page.Locator("#superseded").InnerTextAsync(), StringComparison.Ordinal);

        await s.MouseClickAsync("#superseded-by-link");
        await s.WaitForPathAsync($"/screenings/{current}");
        await s.Page.Locator("#supersedes").WaitForAsync(new() { Timeout = 20_000 });
    }

    [ChromiumTheory]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task Timeline_AxisCoversEveryValueDrawn(int width, int height)
    {
        await using var s = await ClinicSession.StartAsync(fixture, width, height);
        var pupil = NextPupil();
        await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 12, atr: 4, capturedAt: new DateTimeOffset(2024, 9, 12, 9, 0, 0, TimeSpan.Zero)));
        await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 42, atr: 9, capturedAt: new DateTimeOffset(2025, 9, 12, 9, 0, 0, TimeSpan.Zero)));
        await s.Page.GotoAsync("/timeline/" + SampleReports.Pseudonym(pupil));
        var chart = s.Page.Locator("#timeline-chart svg");
        await chart.WaitForAsync(new() { Timeout = 20_000 });

        var top = await s.Page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('#timeline-chart line.grid')].map(l => +l.getAttribute('y1')))");
        var highest = await s.Page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('#timeline-chart circle.point, #timeline-chart line.interval')].flatMap(e => e.tagName === 'circle' ? [+e.getAttribute('cy')] : [+e.getAttribute('y1'), +e.getAttribute('y2')]))");
        var labels = await s.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#timeline-chart text')].map(t => t.textContent)");
        Assert.True(highest >= top, $"A value is drawn at y {highest}, above the axis's top line at y {top}.");
        Assert.Contains("50°", labels); // 42 with its interval up to 46 needs an axis to 50
        var titles = await s.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#timeline-chart circle.point title')].map(t => t.textContent)");
        Assert.Contains("Cobb estimate 42.0° (90\u00A0%: 39–46°)", titles); // the point's label carries the interval too
        Assert.Contains("42.0° (90\u00A0%: 39–46°)", await s.Page.Locator("#timeline").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Each field has a border of 1 px or more at 3:1 against the panel behind it (WCAG 1.4.11).</summary>
    private static async Task AssertVisibleBordersAsync(ClinicSession s, params string[] fields)
    {
        foreach (var field in fields)
        {
            var (border, contrast) = await BorderAsync(s, field);
            Assert.True(border >= 1, $"{field}: border {border} px");
            Assert.True(contrast >= 3, $"{field}: border contrast {contrast:0.0}:1 against the panel (WCAG 1.4.11 asks 3:1)");
        }
    }

    /// <summary>The border's width and its contrast against the panel's background.</summary>
    private static async Task<(double Width, double Contrast)> BorderAsync(ClinicSession s, string selector)
    {
        var style = await s.Page.EvaluateAsync<JsonElement>(
            "s => { const e = document.querySelector(s); const c = getComputedStyle(e); let p = e.parentElement; while (p && getComputedStyle(p).backgroundColor === 'rgba(0, 0, 0, 0)') p = p.parentElement; return { width: c.borderTopWidth, style: c.borderTopStyle, color: c.borderTopColor, background: p ? getComputedStyle(p).backgroundColor : 'rgb(255, 255, 255)' }; }",
            selector);
        if (style.GetProperty("style").GetString() is "none" or "hidden")
        {
            return (0, 0);
        }

        var width = double.Parse(style.GetProperty("width").GetString()!.Replace("px", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return (width, Contrast(Rgb(style.GetProperty("color").GetString()!), Rgb(style.GetProperty("background").GetString()!)));
    }

    private static (double R, double G, double B) Rgb(string css)
    {
        var m = RgbPattern().Match(css);
        Assert.True(m.Success, css);
        return (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>WCAG 2 contrast ratio.</summary>
    private static double Contrast((double R, double G, double B) a, (double R, double G, double B) b)
    {
        static double Channel(double c) => (c /= 255) <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        static double Luminance((double R, double G, double B) c) => (0.2126 * Channel(c.R)) + (0.7152 * Channel(c.G)) + (0.0722 * Channel(c.B));
        var (l1, l2) = (Luminance(a), Luminance(b));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    [GeneratedRegex(@"rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)")]
    private static partial Regex RgbPattern();

    [GeneratedRegex(@"\b0\.\d+\b")]
    private static partial Regex ConfidenceNumber();
}

/// <summary>A theory that runs where Debian's Chromium is installed, and says so when skipped.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        if (!File.Exists(ChromiumFactAttribute.Executable))
        {
            Skip = $"Browser tests need Chromium at {ChromiumFactAttribute.Executable} (apt-get install chromium).";
        }
    }
}
