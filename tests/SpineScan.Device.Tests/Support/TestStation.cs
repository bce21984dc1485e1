using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Core.Capture;
using SpineScan.Device.Store;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Tests.Support;

/// <summary>A station composed as a host composes it (AddScreeningStation), over a fresh temporary data folder.</summary>
public sealed class TestStation : IAsyncDisposable
{
    public const string ProgrammeKey = "c3BpbmVzY2FuLXRlc3QtcHJvZ3JhbW1lLWtleS0zMi1ieXRlcyE="; // 36 bytes

    private readonly ServiceProvider _provider;

    private TestStation(ServiceProvider provider, string dataDirectory)
    {
        _provider = provider;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>Leave the data folder in place on dispose (a later station reopens it).</summary>
    public bool KeepFolder { get; set; }

    public IScreeningStation Station => _provider.GetRequiredService<IScreeningStation>();

    internal StationStore Store => _provider.GetRequiredService<StationStore>();

    public IServiceProvider Services => _provider;

    public static TestStation Create(IDictionary<string, string?>? overrides = null, string? dataDirectory = null)
    {
        var folder = dataDirectory ?? NewFolder();
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Station:DataDirectory"] = folder,
            ["Station:Source"] = "phantom",
            ["Station:PhantomSeed"] = "5",
            ["Station:ProgrammeKey"] = ProgrammeKey,
            ["Station:SchoolCode"] = "SCH1",
            ["Station:SyncMaxRetries"] = "1",
            ["Station:SyncRetryDelayMs"] = "10",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings["Station:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddScreeningStation(configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new TestStation(provider, folder);
    }

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "spinescan-device-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Opens a session and imports a roster (CSV rows after the header).</summary>
    public async Task<ScreeningSessionInfo> SessionWithRosterAsync(params string[] rows)
    {
        var session = await Station.OpenSessionAsync("SCH1", "P5A", "Test operator", CancellationToken.None);
        var csv = "pupil_number,name,sex,date_of_birth,class\r\n" + string.Join("\r\n", rows) + "\r\n";
        var result = await Station.ImportRosterAsync(session.Id, new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Line} {e.Column} {e.Message}")));
        return session;
    }

    /// <summary>Screens a pupil with consent on the phantom, retaking (up to 4 times) as the screen verb does.</summary>
    public async Task<ScreeningOutcome> ScreenAsync(long pupilId)
    {
        await Station.RecordConsentAsync(pupilId, true, CancellationToken.None);
        var pose = CapturePose.Standing;
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var step = await Station.CaptureAsync(pupilId, pose, CancellationToken.None);
            if (step.Screening is { } outcome)
            {
                return outcome;
            }

            if (step.Accepted)
            {
                pose = CapturePose.ForwardBend;
            }
            else if (step.Reasons.Any(r => r.Code == ScreeningStation.StandingAgainCode))
            {
                pose = CapturePose.Standing;
            }
        }

        throw new InvalidOperationException("The phantom child was refused too often.");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (KeepFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
