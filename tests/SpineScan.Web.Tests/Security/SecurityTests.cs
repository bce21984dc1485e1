using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Tests.Api;

namespace SpineScan.Web.Tests.Security;

/// <summary>
/// Sign-in, sessions, headers and the reverse proxy, on Kestrel over the loopback with 127.0.0.1 as the configured proxy:
/// each test client says which address it is behind it with X-Forwarded-For.
/// </summary>
public sealed partial class SecurityTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task SignIn_WrongPasswordsFromOneAddress_DoNotLockTheClinicianOutElsewhere()
    {
        await using var server = Start(out var baseUrl);
        await fixture.AdminAsync("admin", "add-clinician", "--programme", "P1", "--email", "target@p1.test", "--password", ServerFixture.Password);
        for (var i = 0; i < 8; i++)
        {
            Assert.Contains("error=", (await SignInAsync(baseUrl, "203.0.113.66", "target@p1.test", "Wrong-Password-1")).Location, StringComparison.Ordinal);
        }

        Assert.Contains("error=wait", (await SignInAsync(baseUrl, "203.0.113.66", "target@p1.test", ServerFixture.Password)).Location, StringComparison.Ordinal);
        Assert.Equal("/", (await SignInAsync(baseUrl, "198.51.100.7", "target@p1.test", ServerFixture.Password)).Location);
    }

    [Fact]
    public async Task SignIn_UnknownAndKnownAccounts_GetTheSameAnswerForTheSameWork()
    {
        var hasher = new CountingHasher();
        await using var server = Start(out var baseUrl, b => b.ConfigureServices(s => s.AddSingleton<IPasswordHasher<Clinician>>(hasher)));
        var known = await SignInAsync(baseUrl, "192.0.2.10", "a@p1.test", "Wrong-Password-1");
        var knownHashes = hasher.Verifications;
        var unknown = await SignInAsync(baseUrl, "192.0.2.11", "nobody@p1.test", "Wrong-Password-1");

        Assert.Equal(known.Status, unknown.Status);
        Assert.Equal(known.Location, unknown.Location);
        Assert.Equal(1, knownHashes);
        Assert.Equal(2, hasher.Verifications); // the unknown account cost one password hash too
        for (var i = 0; i < 6; i++)
        {
            await SignInAsync(baseUrl, "192.0.2.12", "nobody@p1.test", "x");
            await SignInAsync(baseUrl, "192.0.2.13", "a@p1.test", "x");
        }

        Assert.Equal((await SignInAsync(baseUrl, "192.0.2.13", "a@p1.test", "x")).Location, (await SignInAsync(baseUrl, "192.0.2.12", "nobody@p1.test", "x")).Location);
    }

    [Fact]
    public async Task SignIn_BadReturnUrl_Returns400()
    {
        await using var server = Start(out var baseUrl);
        foreach (var bad in new[] { "https://evil.example/", "//evil.example", "/\\evil.example", "/ok\r\nSet-Cookie: x=1" })
        {
            var (status, _, _) = await SignInAsync(baseUrl, "192.0.2.20", "a@p1.test", ServerFixture.Password, bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }
    }

    [Fact]
    public async Task SignOut_EndsTheSession_ACopiedCookieNoLongerWorks()
    {
        await using var server = Start(out var baseUrl);
        var (_, location, cookie) = await SignInAsync(baseUrl, "192.0.2.30", "a@p1.test", ServerFixture.Password);
        Assert.Equal("/", location);
        using var copy = Client(baseUrl, "192.0.2.30", cookie);
        using (var before = await copy.GetAsync(new Uri("/statistics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var session = Client(baseUrl, "192.0.2.30", cookie);
        var page = await session.GetStringAsync(new Uri("/statistics", UriKind.Relative));
        var antiforgery = AntiforgeryField().Match(await session.GetStringAsync(new Uri("/account/login", UriKind.Relative))).Groups[1].Value;
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery }))
        using (var logout = await session.PostAsync(new Uri("/account/logout", UriKind.Relative), form))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        using var after = await copy.GetAsync(new Uri("/screenings/1/summary", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/login", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        _ = page;
    }

    [Fact]
    public async Task Headers_PolicyNosniffFramingReferrerAndNoStore()
    {
        await using var server = Start(out var baseUrl);
        var token = ParentLinkToken.Create();
        var report = SampleReports.Report("dev-1", "SCH1", parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(3)));
        using (var device = Client(baseUrl, "192.0.2.40"))
        {
            device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Device1Credential);
            using var posted = await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), ApiScenarios.Json(report));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            Assert.Equal("no-store", posted.Headers.CacheControl?.ToString());
        }

        using var client = Client(baseUrl, "192.0.2.41");
        using var parent = await client.GetAsync(new Uri($"/r/{token}", UriKind.Relative));
        var parentPolicy = string.Join(";", parent.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", parentPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", parentPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", parentPolicy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", string.Join(",", parent.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", string.Join(",", parent.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-store", parent.Headers.CacheControl?.ToString());

        using var login = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var policy = string.Join(";", login.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.False(login.Headers.Contains("Strict-Transport-Security")); // plain HTTP from a client: no HSTS

        // Behind the proxy's TLS: HSTS, and the cookie is Secure.
        using var overTls = Client(baseUrl, "192.0.2.42");
        overTls.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var tlsLogin = await overTls.GetAsync(new Uri("/account/login", UriKind.Relative));
        Assert.Contains("max-age=", string.Join(",", tlsLogin.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        var (_, _, cookie) = await SignInAsync(baseUrl, "192.0.2.42", "a@p1.test", ServerFixture.Password, proto: "https");
        Assert.Contains("secure", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);

        var clinician = Client(baseUrl, "192.0.2.43", (await SignInAsync(baseUrl, "192.0.2.43", "a@p1.test", ServerFixture.Password)).Cookie);
        var id = await ApiScenarios.WithDbAsync(fixture, db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Screenings.Where(s => s.ReportId == report.ReportId).Select(s => s.Id)));
        foreach (var export in new[] { $"/screenings/{id}/report.pdf", $"/screenings/{id}/fhir.json" })
        {
            using var response = await clinician.GetAsync(new Uri(export, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task ParentLinks_BehindAKnownProxy_AreLimitedPerRealClient()
    {
        await using var server = Start(out var baseUrl, b => b.UseSetting("ParentLinks:FailedLookupsPerWindow", "10"));
        var token = ParentLinkToken.Create();
        var report = SampleReports.Report("dev-1", "SCH1", parentLink: new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(3)));
        using (var device = Client(baseUrl, "192.0.2.50"))
        {
            device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Device1Credential);
            using var posted = await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), ApiScenarios.Json(report));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        using var guesser = Client(baseUrl, "203.0.113.9");
        for (var i = 0; i < 12; i++)
        {
            using var guess = await guesser.GetAsync(new Uri($"/r/{ParentLinkToken.Create()}", UriKind.Relative));
        }

        using (var limited = await guesser.GetAsync(new Uri($"/r/{ParentLinkToken.Create()}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        // Another parent behind the same proxy opens a valid link.
        using var parent = Client(baseUrl, "198.51.100.20");
        using var page = await parent.GetAsync(new Uri($"/r/{token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeaders_WithoutAConfiguredProxy_AreNotBelieved()
    {
        // Everyone is the connection's address (here the loopback), whatever X-Forwarded-For says.
        await using var untrusting = StartWithoutProxy(out var direct);
        using var spoof = Client(direct, "198.51.100.21");
        for (var i = 0; i < 11; i++)
        {
            using var guess = await spoof.GetAsync(new Uri($"/r/{ParentLinkToken.Create()}", UriKind.Relative));
        }

        using var other = Client(direct, "198.51.100.22");
        using var refused = await other.GetAsync(new Uri($"/r/{ParentLinkToken.Create()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    private WebApplicationFactory<Program> Start(out string baseUrl, Action<IWebHostBuilder>? configure = null) =>
        Kestrel(out baseUrl, b =>
        {
            b.UseSetting("ReverseProxy:KnownProxies:0", "127.0.0.1");
            b.UseSetting("ParentLinks:FailedLookupsPerWindow", "1000");
            configure?.Invoke(b);
        });

    private WebApplicationFactory<Program> StartWithoutProxy(out string baseUrl) =>
        Kestrel(out baseUrl, b => b.UseSetting("ParentLinks:FailedLookupsPerWindow", "10"));

    private WebApplicationFactory<Program> Kestrel(out string baseUrl, Action<IWebHostBuilder> configure)
    {
        var factory = fixture.CreateFactory(configure);
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0)); // a free port: UseKestrel(0) binds 5000, which another test run on the machine may hold
        factory.StartServer();
        baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        return factory;
    }

    private static HttpClient Client(string baseUrl, string clientAddress, SessionCookie? cookie = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie.Header);
        }

        return client;
    }

    private static async Task<(HttpStatusCode Status, string Location, SessionCookie Cookie)> SignInAsync(
        string baseUrl, string clientAddress, string email, string password, string returnUrl = "/", string proto = "http")
    {
        using var client = Client(baseUrl, clientAddress);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", proto);
        using var loginPage = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var html = await loginPage.Content.ReadAsStringAsync();
        var antiforgeryCookie = string.Join("; ", loginPage.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AntiforgeryField().Match(html).Groups[1].Value,
                ["email"] = email,
                ["password"] = password,
                ["returnUrl"] = returnUrl,
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        using var response = await client.SendAsync(request);
        var set = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith("spinescan.auth=", StringComparison.Ordinal)) ?? "" : "";
        return (response.StatusCode, response.Headers.Location?.ToString() ?? "", new SessionCookie(set.Split(';')[0], set));
    }

    private sealed record SessionCookie(string Header, string SetCookie);

    private sealed class CountingHasher : IPasswordHasher<Clinician>
    {
        private readonly PasswordHasher<Clinician> _inner = new();
        private int _verifications;

        public int Verifications => _verifications;

        public string HashPassword(Clinician user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Clinician user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
