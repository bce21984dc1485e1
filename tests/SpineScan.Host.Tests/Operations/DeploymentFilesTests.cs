using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace SpineScan.Host.Tests.Operations;

/// <summary>The appliance's systemd units (checked by systemd-analyze) and the kiosk-browser script (run against a stand-in browser).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeploymentFilesTests : IDisposable
{
    private static readonly string FirmwareHost = Path.GetFullPath(Path.Combine(SourceFolder(), "..", "..", "..", "firmware-host"));

    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-deploy-" + Guid.NewGuid().ToString("N"));

    public DeploymentFilesTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SystemdAnalyzeFact]
    public async Task Units_PassSystemdAnalyzeVerify_StationRestartsAsItsOwnUserWithAPrivateDataFolder()
    {
        var station = File.ReadAllText(Path.Combine(FirmwareHost, "systemd", "spinescan.service"));
        foreach (var unit in new[] { "spinescan.service", "spinescan-kiosk-browser.service" })
        {
            // verify needs ExecStart to exist: the installed paths under /opt/spinescan become /bin/true.
            var copy = Path.Combine(_root, unit);
            await File.WriteAllTextAsync(copy, File.ReadAllText(Path.Combine(FirmwareHost, "systemd", unit))
                .Replace("/opt/spinescan/spinescan ", "/bin/true ", StringComparison.Ordinal)
                .Replace("/opt/spinescan/kiosk-browser.sh", "/bin/true", StringComparison.Ordinal));
            var (exitCode, output) = await RunAsync("systemd-analyze", [], "verify", copy);
            Assert.True(exitCode == 0 && output.Trim().Length == 0, $"systemd-analyze verify {unit}: {output}");
        }

        var keys = station.Split('\n').Select(l => l.Trim()).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#')).ToList();
        Assert.Contains("Restart=on-failure", keys);
        Assert.Contains("User=spinescan", keys);
        Assert.Contains("StateDirectory=spinescan", keys);
        Assert.Contains("StateDirectoryMode=0700", keys);
        Assert.Contains("UMask=0077", keys);
        Assert.Contains(keys, k => k.StartsWith("ExecStart=/opt/spinescan/spinescan run ", StringComparison.Ordinal) && k.Contains("--data /var/lib/spinescan", StringComparison.Ordinal));
    }

    [Fact]
    public void StationUnitAndKioskBrowser_UseTheKiosksOwnPort_NotTheServers()
    {
        // The server's examples listen on 5080; an appliance that runs both (a demo laptop) must not have them collide.
        var port = SpineScan.Kiosk.KioskComposition.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var station = File.ReadAllText(Path.Combine(FirmwareHost, "systemd", "spinescan.service"));
        var browser = File.ReadAllText(Path.Combine(FirmwareHost, "kiosk-browser.sh"));

        Assert.Contains($"run --port {port} ", station, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", station, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}/", browser, StringComparison.Ordinal);
        Assert.DoesNotContain("5080", station + browser, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KioskBrowser_WaitsForTheStation_ThenOpensItFullScreen()
    {
        var (browser, argsFile) = FakeBrowser();
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var run = RunAsync(Path.Combine(FirmwareHost, "kiosk-browser.sh"), new() { ["CHROMIUM"] = browser, ["XDG_RUNTIME_DIR"] = _root, ["SPINESCAN_KIOSK_WAIT_SECONDS"] = "60" }, url);

        await Task.Delay(1500);
        Assert.False(File.Exists(argsFile), "The browser was started before the station answered.");
        var station = new TcpListener(IPAddress.Loopback, port);
        station.Start();
        try
        {
            var (exitCode, output) = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            station.Stop();
        }

        var args = await File.ReadAllLinesAsync(argsFile);
        Assert.Contains("--kiosk", args);
        Assert.Contains($"--app={url}", args);
        Assert.Contains($"--user-data-dir={Path.Combine(_root, "spinescan-kiosk-browser")}", args);
        Assert.Contains("--no-first-run", args);
    }

    [Fact]
    public async Task KioskBrowser_StationNeverAnswers_ExitsNonZeroSayingWhatToCheck()
    {
        var (browser, argsFile) = FakeBrowser();
        var (exitCode, output) = await RunAsync(Path.Combine(FirmwareHost, "kiosk-browser.sh"), new() { ["CHROMIUM"] = browser, ["SPINESCAN_KIOSK_WAIT_SECONDS"] = "1" }, $"http://127.0.0.1:{FreePort()}/");

        Assert.Equal(1, exitCode);
        Assert.Contains("does not answer", output, StringComparison.Ordinal);
        Assert.Contains("systemctl status spinescan", output, StringComparison.Ordinal);
        Assert.False(File.Exists(argsFile));
    }

    /// <summary>A stand-in for Chromium that writes its arguments one a line and exits.</summary>
    private (string Browser, string ArgsFile) FakeBrowser()
    {
        var argsFile = Path.Combine(_root, "browser-args.txt");
        var browser = Path.Combine(_root, "fake-chromium");
        File.WriteAllText(browser, $"#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > '{argsFile}'\n");
        File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (browser, argsFile);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string SourceFolder([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;
}

/// <summary>A fact that needs systemd-analyze (Debian's systemd package) and says so when it is absent.</summary>
public sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))
        {
            Skip = "systemd-analyze is not installed (apt-get install systemd): the unit files are not verified.";
        }
    }
}
