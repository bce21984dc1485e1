using System.Text.Json;
using SpineScan.Contracts;
using SpineScan.Testing;
using SpineScan.Web.Tests.Api;

namespace SpineScan.Web.Tests.Browser;

/// <summary>
/// axe-core (npm, <c>tests/SpineScan.Web.Tests/node</c>, installed by <c>.ci/setup</c>) over every page in real Chromium:
/// sign-in, queue, screening (with its revoke dialog open too), timeline, statistics, the parent page in each language
/// and its error pages. No serious or critical violation is allowed; the lesser ones are printed.
/// </summary>
public sealed class AccessibilityTests(SqliteServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqliteServerFixture>
{
    private static readonly string AxeScript = Path.Combine(NodeToolFactAttribute.Modules, "axe-core", "axe.min.js");

    [NodeToolTheory("axe-core")]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task EveryPage_HasNoSeriousOrCriticalViolations(int width, int height)
    {
        Assert.True(File.Exists(ChromiumFactAttribute.Executable), $"Chromium is needed at {ChromiumFactAttribute.Executable}.");
        await using var s = await ClinicSession.StartAsync(fixture, width, height, signIn: false);
        var token = ParentLinkToken.Create();
        var revoked = ParentLinkToken.Create();
        var pupil = 8800 + (width % 100); // one child per screen size
        await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 14, atr: 5, capturedAt: new DateTimeOffset(2024, 9, 12, 9, 0, 0, TimeSpan.FromHours(8))));
        var id = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil, cobb: 26, atr: 8,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(30))) with { ForwardBendDepthMap = SampleReports.DepthMap(40, 56) });
        var other = await s.PostAsync(SampleReports.Report("dev-1", "SCH1", pupil: pupil + 1, cobb: 4, atr: 2,
            parentLink: new ParentLinkRequest(ParentLinkToken.Hash(revoked), DateTimeOffset.UtcNow.AddDays(30))));
        await s.WithDbAsync(async db =>
        {
            var link = db.ParentLinks.Single(l => l.ScreeningId == other);
            link.RevokedAtUtc = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });

        var failures = new List<string>();
        await s.Page.GotoAsync("/account/login");
        failures.AddRange(await ScanAsync(s, "sign-in"));
        await s.SignInAsync();
        failures.AddRange(await ScanAsync(s, "queue"));
        await s.OpenScreeningAsync(id);
        failures.AddRange(await ScanAsync(s, "screening"));
        await s.Page.Locator("#parent-links .revoke").ClickAsync();
        await s.Page.Locator(".mud-dialog").WaitForAsync();
        failures.AddRange(await ScanAsync(s, "screening with the revoke dialog"));
        await s.Page.Keyboard.PressAsync("Escape");
        await s.Page.GotoAsync("/timeline/" + SampleReports.Pseudonym(pupil));
        await s.Page.Locator("#timeline-chart svg").WaitForAsync(new() { Timeout = 20_000 });
        failures.AddRange(await ScanAsync(s, "timeline"));
        await s.Page.GotoAsync("/statistics");
        await s.Page.Locator("#statistics").WaitForAsync(new() { Timeout = 20_000 });
        failures.AddRange(await ScanAsync(s, "statistics"));
        foreach (var lang in new[] { "en", "zh-Hant", "zh-Hans" })
        {
            await s.Page.GotoAsync($"/r/{token}?lang={lang}");
            failures.AddRange(await ScanAsync(s, "parent page " + lang));
        }

        await s.Page.GotoAsync($"/r/{revoked}");
        failures.AddRange(await ScanAsync(s, "parent page, revoked link"));
        await s.Page.GotoAsync($"/r/{ParentLinkToken.Create()}");
        failures.AddRange(await ScanAsync(s, "parent page, unknown link"));

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Runs axe on the page as it is now; returns its serious and critical violations, prints the rest.</summary>
    private async Task<List<string>> ScanAsync(ClinicSession s, string name)
    {
        await s.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await s.Page.EvaluateAsync(await File.ReadAllTextAsync(AxeScript));
        var violations = await s.Page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) }))");
        var found = new List<string>();
        foreach (var v in violations.EnumerateArray())
        {
            var line = $"{name}: {v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}): {string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}";
            output.WriteLine(line);
            if (v.GetProperty("impact").GetString() is "serious" or "critical")
            {
                found.Add(line);
            }
        }

        output.WriteLine($"{name}: {violations.GetArrayLength()} violation(s) of any impact");
        return found;
    }
}
