using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Operators;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Browser;
using SpineScan.Kiosk.Tests.Fakes;
using SpineScan.Testing;

namespace SpineScan.Kiosk.Tests.Security;

/// <summary>The real kiosk on Kestrel: who gets in, and with what.</summary>
public sealed class KioskSecurityTests
{
    private static Task<KioskServer> StartAsync(TimeProvider? time = null) =>
        KioskServer.StartAsync(
            new Dictionary<string, string?> { ["Kiosk:IdleLockMinutes"] = "10" },
            builder =>
            {
                builder.Services.AddSingleton<IScreeningStation>(new FakeScreeningStation()).AddSingleton<IOperatorSignIn>(new FakeOperatorSignIn());
                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }
            });

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebound.attacker.test:5080")]
    [InlineData("192.168.1.20")]
    public async Task AnyRequest_WithAForeignHostHeader_IsRefused(string host)
    {
        await using var kiosk = await StartAsync();
        using var client = kiosk.Client();

        foreach (var path in (string[])["/", "/signin", "/slips/1.pdf"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task SignInPage_OnTheLoopbackNames_IsServed(string host)
    {
        await using var kiosk = await StartAsync();
        using var client = kiosk.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/signin", UriKind.Relative));
        request.Headers.Host = host + ":" + kiosk.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(KioskText.English.SignInHeading, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSignedIn_ThePageRedirectsToSignIn_AndSlipsAndTheCircuitAreRefused()
    {
        await using var kiosk = await StartAsync();
        using var client = kiosk.Client();

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin", page.Headers.Location?.OriginalString);

        foreach (var path in (string[])["/slips/1.pdf", "/slips/2.pdf?lang=en"])
        {
            using var slip = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, slip.StatusCode);
        }

        using var negotiate = await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutTheFormsAntiforgeryToken_IsRefusedEvenWithTheRightPassphrase()
    {
        await using var kiosk = await StartAsync();
        using var client = kiosk.Client();

        using var response = await KioskServer.PostSignInAsync(client, FakeOperatorSignIn.Passphrase, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongThenRight_SaysItWasWrongThenOpensTheKiosk()
    {
        await using var kiosk = await StartAsync();
        using var client = kiosk.Client();

        using var wrong = await KioskServer.PostSignInAsync(client, "not the passphrase");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains(KioskText.English.SignInWrong, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var right = await KioskServer.PostSignInAsync(client, FakeOperatorSignIn.Passphrase);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", right.Headers.Location?.OriginalString);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"), c => c.StartsWith("spinescan-operator=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task SignedIn_IdleLongerThanTheLock_MustSignInAgain()
    {
        var time = new ManualTimeProvider();
        await using var kiosk = await StartAsync(time);
        using var client = await kiosk.SignedInClientAsync(FakeOperatorSignIn.Passphrase);

        time.Advance(TimeSpan.FromMinutes(9));
        using (var page = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode); // and the idle time starts again
        }

        time.Advance(TimeSpan.FromMinutes(9));
        using (var page = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(10));
        using var locked = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal("/signin", locked.Headers.Location?.OriginalString);
    }
}
