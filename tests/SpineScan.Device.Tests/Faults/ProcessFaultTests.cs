using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SpineScan.DeviceStore;
using SpineScan.Device.Tests.Support;

namespace SpineScan.Device.Tests.Faults;

/// <summary>
/// The built <c>spinescan</c> run as a child process and killed (<c>SPINESCAN_FAULT</c>, Environment.FailFast) at the
/// points where a power cut would hurt most; a rerun must leave every screening whole, none half-stored, and the
/// server must store each report exactly once.
/// </summary>
public class ProcessFaultTests
{
    private const int Pupils = 2;

    [Theory]
    [InlineData("kill-after-capture@2")]
    [InlineData("kill-in-db-write@2")]
    public async Task Screen_KilledMidScreening_RerunCompletesEveryPupilOnce(string fault)
    {
        await using var server = await StubSyncServer.StartAsync();
        var data = TestStation.NewFolder();
        try
        {
            var killed = await RunAsync(fault, "screen", "--pupils", $"{Pupils}", "--data", data, "--seed", "3", "--server", server.Url);
            Assert.True(killed.ExitCode != 0, "The fault must kill the process: " + killed.Output + killed.Error);
            Assert.Contains("killed at " + fault.Split('@')[0], killed.Error, StringComparison.Ordinal);
            Assert.InRange(await CountScreeningsAsync(data), 0, Pupils - 1); // the screening in flight was not stored

            var rerun = await RunAsync(null, "screen", "--pupils", $"{Pupils}", "--data", data, "--seed", "3", "--server", server.Url);

            Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Error);
            using var store = await StoreChecks.OpenAsync(data);
            await StoreChecks.AssertWholeAsync(store);
            await using var db = store.CreateContext();
            var reports = await db.Screenings.Select(s => s.ReportId).ToListAsync();
            Assert.Equal(Pupils, reports.Count);
            Assert.Equal(reports.Order(), server.Stored.Keys.Order());
            Assert.All(reports, id => Assert.Equal(1, server.Posts[id]));
            Assert.True(await db.Outbox.AllAsync(o => o.State == OutboxState.Sent));
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task Sync_KilledAfterSendBeforeMark_ResendIsStoredOnceAndMarkedSent()
    {
        await using var server = await StubSyncServer.StartAsync();
        var data = TestStation.NewFolder();
        try
        {
            var queued = await RunAsync(null, "screen", "--pupils", $"{Pupils}", "--data", data, "--seed", "4");
            Assert.True(queued.ExitCode == 0, queued.Output + queued.Error);

            var killed = await RunAsync("kill-after-send-before-mark", "sync", "--data", data, "--server", server.Url);
            Assert.True(killed.ExitCode != 0, killed.Output + killed.Error);
            var first = Assert.Single(server.Stored.Keys);

            var rerun = await RunAsync(null, "sync", "--data", data, "--server", server.Url);

            Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Error);
            Assert.Contains($"{Pupils} sent, 0 waiting", rerun.Output, StringComparison.Ordinal);
            Assert.Equal(Pupils, server.Stored.Count);
            Assert.Equal(2, server.Posts[first]); // sent before the kill, resent after: the second answer was duplicate: true
            Assert.All(server.Posts.Where(p => p.Key != first), p => Assert.Equal(1, p.Value));
            using var store = await StoreChecks.OpenAsync(data);
            await using var db = store.CreateContext();
            Assert.True(await db.Outbox.AllAsync(o => o.State == OutboxState.Sent));
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task Screen_UnwritableDataFolder_SaysSoInOneLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = await RunAsync(null, "screen", "--pupils", "1", "--data", Path.Combine(file, "data"));

            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: The data folder", line, StringComparison.Ordinal);
            Assert.Contains("cannot be written", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Screen_RealSenseWithoutLibrary_SaysSoAndOffersTheOtherSources()
    {
        Assert.Equal(Camera.RealSense.RealSenseProbeStatus.LibraryMissing, Camera.RealSense.RealSenseProbe.Probe().Status);
        var data = TestStation.NewFolder();
        try
        {
            var result = await RunAsync(null, "screen", "--source", "realsense", "--pupils", "1", "--data", data);

            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("error: " + Camera.RealSense.RealSenseProbe.NotInstalledMessage, line.TrimEnd());
        }
        finally
        {
            Delete(data);
        }
    }

    [Theory]
    [InlineData("--source", "kinect", "unknown camera source 'kinect'")]
    [InlineData("--roster", "/nonexistent/roster.csv", "does not exist")]
    public async Task Screen_BadInput_OneClearLine(string option, string value, string expected)
    {
        var data = TestStation.NewFolder();
        try
        {
            var result = await RunAsync(null, "screen", "--pupils", "1", "--data", data, option, value);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(expected, Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task Screen_CorruptRosterRow_NamesTheLineAndImportsNothing()
    {
        var data = TestStation.NewFolder();
        var roster = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(roster, "pupil_number,name,sex,date_of_birth,class\nP1,Ada Sample,F,2014-01-01,P5A\nP2,Ben Example,M,2014-13-45,P5A\n");

            var result = await RunAsync(null, "screen", "--pupils", "1", "--data", data, "--roster", roster);

            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("nothing was imported", line, StringComparison.Ordinal);
            Assert.Contains("Line 3, column date_of_birth", line, StringComparison.Ordinal);
            using var store = await StoreChecks.OpenAsync(data);
            await using var db = store.CreateContext();
            Assert.Equal(0, await db.Pupils.CountAsync());
        }
        finally
        {
            File.Delete(roster);
            Delete(data);
        }
    }

    private static async Task<int> CountScreeningsAsync(string data)
    {
        using var store = await StoreChecks.OpenAsync(data);
        await using var db = store.CreateContext();
        return await db.Screenings.CountAsync();
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string? fault, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The host's dll as built beside the tests, resolved with the test project's deps and runtime config: the
        // ASP.NET Core framework (referenced here for the stub server) supplies the Microsoft.Extensions assemblies.
        var folder = AppContext.BaseDirectory;
        foreach (var arg in (string[])["exec", "--runtimeconfig", Path.Combine(folder, "SpineScan.Device.Tests.runtimeconfig.json"), "--depsfile", Path.Combine(folder, "SpineScan.Device.Tests.deps.json"), Path.Combine(folder, "spinescan.dll")])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SPINESCAN_FAULT");

        // The credential through the environment, as a kiosk's service file gives it: never on a command line.
        start.Environment["SPINESCAN_Station__DeviceKey"] = args.Contains("--server") ? StubSyncServer.Credential : null;
        if (fault is not null)
        {
            start.Environment["SPINESCAN_FAULT"] = fault;
        }

        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static void Delete(string folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
