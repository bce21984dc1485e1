using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Tests.Api;

namespace SpineScan.Web.Tests.Cluster;

/// <summary>Two server nodes (two Kestrel instances on 127.0.0.1, different ports) on one PostgreSQL database.</summary>
public sealed partial class TwoNodeTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [PostgresFact]
    public async Task SignInOnNodeA_CookieAndDataWorkOnNodeB()
    {
        await using var nodeA = StartNode(out var addressA);
        using var cookies = new CookieJarClient(addressA);
        var login = await cookies.Client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(login).Groups[1].Value,
            ["email"] = "a@p1.test",
            ["password"] = ServerFixture.Password,
            ["returnUrl"] = "/",
        });
        using var signedIn = await cookies.Client.PostAsync(new Uri("/account/signin", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.ToString());
        var authCookie = cookies.Container.GetCookies(addressA)["spinescan.auth"];
        Assert.NotNull(authCookie);

        // Data ingested through node A.
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 22.5, atr: 6);
        using var device = new HttpClient { BaseAddress = addressA };
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Device1Credential);
        using var posted = await device.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), ApiScenarios.Json(report));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        // Node B starts after A (a rolling start) and reads the key ring and the data from the same database.
        await using var nodeB = StartNode(out var addressB);
        Assert.NotEqual(addressA.Port, addressB.Port);
        long id;
        await using (var scope = nodeB.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<SpineScanDbContext>().Screenings.Where(s => s.ReportId == report.ReportId).Select(s => s.Id).SingleAsync();
        }

        using var onB = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = addressB };
        onB.DefaultRequestHeaders.Add("Cookie", $"{authCookie.Name}={authCookie.Value}");
        using var summary = await onB.GetAsync(new Uri($"/screenings/{id}/summary", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Contains(report.ReportId.ToString(), await summary.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var queue = await onB.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);

        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = addressB };
        using var refused = await anonymous.GetAsync(new Uri($"/screenings/{id}/summary", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    private WebApplicationFactory<Program> StartNode(out Uri address)
    {
        var node = fixture.CreateFactory();
        node.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        node.StartServer();
        var addresses = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        address = new Uri(addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        return node;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private sealed class CookieJarClient : IDisposable
    {
        public CookieJarClient(Uri address)
        {
            Client = new HttpClient(new SocketsHttpHandler { CookieContainer = Container, AllowAutoRedirect = false }) { BaseAddress = address };
        }

        public CookieContainer Container { get; } = new();

        public HttpClient Client { get; }

        public void Dispose() => Client.Dispose();
    }
}
