using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;
using SpineScan.Host.Commands;
using SpineScan.Host.Composition;
using SpineScan.Testing;

namespace SpineScan.Host.Tests.Commands;

public sealed class ScreenConsentTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "spinescan-consent-" + Guid.NewGuid().ToString("N"));

    // Issue 13: 'screen', continuing the kiosk's session, recorded consent as given over the kiosk's refusal and screened the child.
    [Fact]
    public async Task Screen_ContinuingTheKiosksSession_KeepsItsRefusalAndScreensOnlyTheOthers()
    {
        long refusedId;
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [DeviceComposition.Station(nameof(StationOptions.DataDirectory))] = _data,
            [DeviceComposition.Station(nameof(StationOptions.Source))] = "phantom",
        };
        await using (var services = DeviceComposition.ForVerb(flags))
        {
            // What the kiosk did: a session, its roster, one refusal.
            var station = services.GetRequiredService<IScreeningStation>();
            var session = await station.OpenSessionAsync("SCH1", "5A", "Ms Ho", CancellationToken.None);
            var csv = "pupil_number,name,sex,date_of_birth,class\n8001,Lam Chi Ho,male,2015-01-02,5A\n8002,Yip Wai Man,female,2015-03-04,5A\n";
            var imported = await station.ImportRosterAsync(session.Id, new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
            Assert.True(imported.Succeeded);
            refusedId = (await station.FindPupilsAsync(session.Id, "8001", CancellationToken.None)).Single().Id;
            await station.RecordConsentAsync(refusedId, consentGiven: false, CancellationToken.None);
        }

        var (code, output, error) = CommandRunner.Invoke(ScreenCommand.Create(), "screen", "--source", "phantom", "--pupils", "2", "--data", _data);

        Assert.True(code == 0, output + error);
        Assert.Contains("consent refused (not screened)", output, StringComparison.Ordinal);
        await using (var services = DeviceComposition.ForVerb(flags))
        {
            var station = services.GetRequiredService<IScreeningStation>();
            var session = (await station.GetCurrentSessionAsync(CancellationToken.None))!;
            var pupils = await station.FindPupilsAsync(session.Id, null, CancellationToken.None);
            var refused = pupils.Single(p => p.Id == refusedId);
            Assert.Equal(ConsentState.Refused, refused.Consent);
            Assert.Equal(PupilProgress.Waiting, refused.Progress);
            Assert.Null(refused.LatestScreeningId);
            Assert.Equal(PupilProgress.Screened, pupils.Single(p => p.Id != refusedId).Progress);

            // A capture for the refused pupil is refused too, whoever asks.
            await Assert.ThrowsAsync<StationInputException>(() => station.CaptureNextAsync(refusedId, CancellationToken.None));
            await Assert.ThrowsAsync<StationInputException>(() => station.RecordConsentAsync(refusedId, consentGiven: true, CancellationToken.None));

            var store = services.GetRequiredService<LocalStore>();
            await using var db = store.CreateContext();
            Assert.Single(await db.Consents.AsNoTracking().Where(c => c.PupilId == refusedId).ToListAsync());
        }
    }

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
