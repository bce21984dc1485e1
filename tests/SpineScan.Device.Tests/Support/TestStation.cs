using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Device.Cameras;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Cameras;

namespace SpineScan.Device.Tests.Support;

/// <summary>A station composed as a host composes it (AddScreeningStation and the camera sources), over a fresh temporary data folder.</summary>
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

    internal LocalStore Store => _provider.GetRequiredService<LocalStore>();

    public IServiceProvider Services => _provider;

    public static TestStation Create(IDictionary<string, string?>? overrides = null, string? dataDirectory = null, Action<IServiceCollection>? configure = null)
    {
        var folder = dataDirectory ?? NewFolder();
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Station:DataDirectory"] = folder,
            ["Station:Source"] = "phantom",
            ["Cameras:Phantom:Seed"] = "5",
            ["Station:ProgrammeKey"] = ProgrammeKey,
            ["Station:SchoolCode"] = "SCH1",
            ["Station:SyncMaxRetries"] = "1",
            ["Station:SyncRetryDelayMs"] = "10",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            // A bare key is a station setting; a path (Cameras:Replay:Directory) is taken as it is.
            settings[key.Contains(':', StringComparison.Ordinal) ? key : "Station:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddScreeningStation(configuration).AddPhantomCamera(configuration).AddReplayCamera(configuration);
        configure?.Invoke(services);
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

    /// <summary>Screens a pupil with consent on the phantom through the station's flow (its retakes included), as the screen verb does.</summary>
    public async Task<ScreeningOutcome> ScreenAsync(long pupilId)
    {
        var pupil = (await Station.FindPupilsAsync((await Station.GetCurrentSessionAsync(CancellationToken.None))!.Id, null, CancellationToken.None)).Single(p => p.Id == pupilId);
        if (pupil.Consent == ConsentState.NotRecorded)
        {
            await Station.RecordConsentAsync(pupilId, true, CancellationToken.None);
        }

        while (true)
        {
            var step = await Station.CaptureNextAsync(pupilId, CancellationToken.None);
            if (step.Screening is { } outcome)
            {
                return outcome;
            }

            if (step.RetakesUsedUp)
            {
                throw new InvalidOperationException("The phantom child was refused too often: " + string.Join(", ", step.Findings.Select(f => f.Code)));
            }
        }
    }

    /// <summary>Registers the station with a stub server, as 'spinescan register' does at install.</summary>
    public async Task RegisterAsync(StubSyncServer server) =>
        await _provider.GetRequiredService<Device.Sync.OutboxSync>().RegisterAsync(new Uri(server.Url + "/"), Device.Sync.DeviceCredential.TryParse(StubSyncServer.Credential)!, CancellationToken.None);

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
