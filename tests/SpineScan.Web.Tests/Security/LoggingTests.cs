using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SpineScan.Contracts;

namespace SpineScan.Web.Tests.Security;

/// <summary>What the server writes to its log: never a token, never a SQL command, never a raw control character.</summary>
public sealed class LoggingTests
{
    [Fact]
    public void Clean_RedactsTokensAndEscapesControlCharacters()
    {
        var token = ParentLinkToken.Create();
        var line = SafeConsoleFormatter.Clean($"GET /r/{token}/report.pdf from dev\u001b[2J\r\nfake: entry \u202Eevil");

        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        Assert.Contains("/r/[token]/report.pdf", line, StringComparison.Ordinal);
        Assert.DoesNotContain(line, char.IsControl);
        Assert.Contains("\\u001b[2J\\u000d\\u000afake", line, StringComparison.Ordinal);
        Assert.Contains("\\u202e", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_StartedFromAnotherFolder_LogsNoSqlAndNoToken()
    {
        var folder = Path.Combine(Path.GetTempPath(), "spinescan-log-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder, // not the application's folder: its appsettings.json is not here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "SpineScan.Web.dll"), "--urls", $"http://127.0.0.1:{port}", $"--ConnectionStrings:Default=Data Source={Path.Combine(folder, "data", "s.db")}" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("Logging__LogLevel__Default");
        var output = new System.Text.StringBuilder();
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var token = ParentLinkToken.Create();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            HttpStatusCode? status = null;
            for (var i = 0; i < 120 && status is null; i++)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"/r/{token}", UriKind.Relative));
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            Assert.Equal(HttpStatusCode.NotFound, status);
            using var again = await http.GetAsync(new Uri($"/r/{token}/report.pdf", UriKind.Relative));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }

        string log;
        lock (output)
        {
            log = output.ToString();
        }

        Assert.Contains("Now listening on", log, StringComparison.Ordinal);
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain("Executed DbCommand", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", log, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
