using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>The real kiosk on Kestrel (127.0.0.1, a free port), composed with whatever station the test adds.</summary>
internal sealed class KioskServer : IAsyncDisposable
{
    private KioskServer(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }

    public Uri Url { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<KioskServer> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder> addStation)
    {
        // The test assembly's name finds the static web asset manifests its (Web SDK) build wrote next to it.
        var builder = KioskComposition.CreateKioskBuilder([], port: 0, applicationName: typeof(KioskServer).Assembly.GetName().Name);
        builder.Configuration.AddInMemoryCollection(settings);
        addStation(builder);
        var app = builder.Build();
        app.MapKiosk();
        await app.StartAsync();
        return new KioskServer(app, app.KioskUrl());
    }

    /// <summary>A client with its own cookies (no redirects followed), not signed in.</summary>
    public HttpClient Client() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Url };

    /// <summary>Posts the sign-in form as a browser does: the form's antiforgery token, then the passphrase.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string passphrase, bool withToken = true)
    {
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        var fields = new Dictionary<string, string> { ["passphrase"] = passphrase, ["lang"] = "en" };
        if (withToken)
        {
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri("/signin", UriKind.Relative), content);
    }

    /// <summary>A client signed in with <paramref name="passphrase"/>.</summary>
    public async Task<HttpClient> SignedInClientAsync(string passphrase)
    {
        var client = Client();
        using var response = await PostSignInAsync(client, passphrase);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}.");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
