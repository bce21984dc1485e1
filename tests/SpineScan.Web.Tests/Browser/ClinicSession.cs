using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Web.Tests.Api;

namespace SpineScan.Web.Tests.Browser;

/// <summary>
/// One browser session against the real server on Kestrel (127.0.0.1) and SQLite: Debian's Chromium through
/// Playwright, a viewport of the given size, a device that posts reports, and a signed-in clinician of programme P1.
/// </summary>
internal sealed class ClinicSession : IAsyncDisposable
{
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly ServerFixture _fixture;
    private WebApplicationFactory<Program> _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private ClinicSession(ServerFixture fixture) => _fixture = fixture;

    public string BaseUrl { get; private set; } = "";

    public IBrowserContext Context { get; private set; } = null!;

    public IPage Page { get; private set; } = null!;

    public IServiceProvider Services => _server.Services;

    /// <summary>Starts the server and the browser; signs in when asked.</summary>
    public static async Task<ClinicSession> StartAsync(ServerFixture fixture, int width, int height, bool signIn = true, string locale = "en-GB")
    {
        var session = new ClinicSession(fixture);
        session._server = fixture.CreateFactory();
        session._server.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0)); // a free port: UseKestrel(0) binds 5000, which another test run on the machine may hold
        session._server.StartServer();
        session.BaseUrl = session._server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        session._playwright = await Playwright.CreateAsync();
        session._browser = await session._playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Args = ChromiumArgs, Headless = true });
        session.Context = await session._browser.NewContextAsync(new()
        {
            BaseURL = session.BaseUrl,
            ViewportSize = new() { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = locale,
            // axe-core is injected by the test; the dashboard's policy rightly refuses scripts from anywhere else.
            BypassCSP = true,
        });
        session.Page = await session.Context.NewPageAsync();
        if (signIn)
        {
            await session.SignInAsync();
        }

        return session;
    }

    public async Task SignInAsync()
    {
        await Page.GotoAsync("/account/login");
        await Page.FillAsync("#email", "a@p1.test");
        await Page.FillAsync("#password", ServerFixture.Password);
        await Page.ClickAsync("#signin");
        await Page.Locator("#queue").WaitForAsync(new() { Timeout = 20_000 });
    }

    /// <summary>Posts a report as device dev-1; returns the screening's id.</summary>
    public async Task<long> PostAsync(SyncReport report)
    {
        using var device = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _fixture.Device1Credential);
        using var posted = await device.PostAsync("/api/v1/reports", ApiScenarios.Json(report));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        return await WithDbAsync(db => db.Screenings.Where(s => s.ReportId == report.ReportId).Select(s => s.Id).SingleAsync());
    }

    public async Task<T> WithDbAsync<T>(Func<SpineScanDbContext, Task<T>> read)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SpineScanDbContext>());
    }

    /// <summary>Opens a screening page and waits for its circuit to render it.</summary>
    public async Task OpenScreeningAsync(long id)
    {
        await Page.GotoAsync($"/screenings/{id}");
        await Page.Locator("#metrics").WaitForAsync(new() { Timeout = 20_000 });
    }

    /// <summary>
    /// A real mouse click at the centre of an element, after checking that the element is what the mouse hits there
    /// (a layout that covers it fails here, whatever Playwright's own checks would retry).
    /// </summary>
    public async Task MouseClickAsync(string selector)
    {
        var element = Page.Locator(selector);
        await element.ScrollIntoViewIfNeededAsync();
        var target = await element.EvaluateAsync<System.Text.Json.JsonElement>(
            "e => { const r = e.getBoundingClientRect(); const x = r.x + r.width / 2, y = r.y + r.height / 2; const h = document.elementFromPoint(x, y); return { x, y, hit: e === h || e.contains(h) ? '' : (h ? h.outerHTML.slice(0, 160) : 'nothing') }; }");
        var (x, y, hit) = (target.GetProperty("x").GetDouble(), target.GetProperty("y").GetDouble(), target.GetProperty("hit").GetString()!);
        Assert.True(hit.Length == 0, $"{selector} is covered at its centre by: {hit}");
        await Page.Mouse.ClickAsync((float)x, (float)y);
    }

    /// <summary>
    /// Waits until the page's own location has the path (callers then wait for what they need on it); on a timeout says
    /// where it is and whether the circuit was reconnecting. The page's location, not Playwright's navigation events:
    /// the dashboard navigates in the page (history API), and after a download or two navigations in a row
    /// <c>WaitForURLAsync</c> sometimes missed a page that was already there.
    /// </summary>
    public async Task WaitForPathAsync(string path)
    {
        try
        {
            await Page.WaitForFunctionAsync("p => location.pathname === p", path, new() { Timeout = 20_000 });
        }
        catch (TimeoutException ex)
        {
            var state = await Page.EvaluateAsync<string>(
                "() => { const m = document.getElementById('components-reconnect-modal'); return 'active element ' + (document.activeElement?.outerHTML.slice(0, 120) ?? 'none') + '; reconnect ' + (m ? m.className + ' ' + (m.open ?? '') : 'none'); }");
            await ScreenshotAsync("navigation-timeout");
            throw new TimeoutException($"Still at {Page.Url} waiting for {path}: {state}", ex);
        }
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"spinescan-{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
    }
}
