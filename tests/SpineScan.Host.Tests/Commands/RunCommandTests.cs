using System.CommandLine;
using System.Net.Sockets;
using System.Net;
using System.Text.RegularExpressions;
using SpineScan.Host.Commands;
using SpineScan.Testing;

namespace SpineScan.Host.Tests.Commands;

public sealed partial class RunCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "spinescan-run-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Run_PhantomOnAFreePort_PrintsTheLoopbackUrlAndServesTheKioskWithItsAssets()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand("test");
        root.Subcommands.Add(RunCommand.Create());
        var running = root.Parse(["run", "--port", "0", "--data", _data, "--source", "phantom"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Synchronized(output), Error = TextWriter.Synchronized(error) }, stop.Token);

        var url = await WaitForUrlAsync(output, running);
        Assert.Equal("127.0.0.1", url.Host);
        using (var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = url })
        {
            // The sign-in page, Blazor's script, MudBlazor's and the kiosk's own files: served from the build output, offline.
            foreach (var path in new[] { "/signin", "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.css", "/_content/SpineScan.Kiosk/kiosk.js" })
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
            }

            // The page and the slips only for a signed-in operator.
            using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            using var slip = await client.GetAsync(new Uri("/slips/999.pdf", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, slip.StatusCode);
        }

        Assert.Contains("camera: phantom", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("No operator passphrase is set", output.ToString(), StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await running);
    }

    [Fact]
    public async Task Run_PortTaken_SaysSoAndExits()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var root = new RootCommand("test");
        root.Subcommands.Add(RunCommand.Create());
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await root.Parse(["run", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", _data])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(1, code);
        Assert.Contains("--port", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SpineScan kiosk:", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Station:DeviceKey=dev-1.SECRET")]
    [InlineData("--station:devicekey")]
    [InlineData("--Station__ProgrammeKey=c2VjcmV0")]
    [InlineData("/Station:DeviceKey=dev-1.SECRET")]
    public async Task Run_SecretOnTheCommandLine_IsRefusedAndSaysWhereItGoes(string setting)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(RunCommand.Create());
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await root.Parse(["run", "--port", "0", "--data", _data, setting, "dev-1.SECRET"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, code);
        Assert.Contains("may not be given on the command line", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("spinescan register", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SpineScan kiosk:", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Uri> WaitForUrlAsync(StringWriter output, Task<int> running)
    {
        for (var i = 0; i < 600 && !running.IsCompleted; i++)
        {
            var match = UrlLine().Match(output.ToString());
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value);
            }

            await Task.Delay(100);
        }

        var exit = running.IsCompleted ? (await running).ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";
        throw new InvalidOperationException($"spinescan run printed no address ({exit}): {output}");
    }

    [GeneratedRegex(@"SpineScan kiosk: (http://\S+)")]
    private static partial Regex UrlLine();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
