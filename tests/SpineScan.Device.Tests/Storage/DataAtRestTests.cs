using System.Text;
using SpineScan.Device.Storage;
using SpineScan.Device.Tests.Support;

namespace SpineScan.Device.Tests.Storage;

/// <summary>What another user of the machine, or a copy of the database, can read of the children's data.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataAtRestTests
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Roster_ImportedAndScreened_NoNameNumberOrBirthDateIsReadableInTheDatabaseFiles()
    {
        await using var test = TestStation.Create();
        var session = await ScreenOnePupilAsync(test, "7301,Cheung Wing Sze,female,2014-03-09,P5A");

        // The station still reads them back.
        Assert.Equal("Cheung Wing Sze", (await test.Station.FindPupilsAsync(session.Id, "7301", CancellationToken.None)).Single().Name);

        var bytes = Directory.GetFiles(test.DataDirectory, SpineScan.DeviceStore.DeviceDatabase.FileName + "*")
            .SelectMany(File.ReadAllBytes).ToArray();
        Assert.NotEmpty(bytes);
        foreach (var identifier in (string[])["Cheung Wing Sze", "Cheung", "7301", "2014-03-09"])
        {
            Assert.True(Find(bytes, Encoding.UTF8.GetBytes(identifier)) < 0, $"'{identifier}' is readable in the database files.");
        }
    }

    [Fact]
    public async Task DataFolder_AfterAScreening_FoldersAre0700AndFiles0600()
    {
        await using var test = TestStation.Create();
        await ScreenOnePupilAsync(test, "7302,Ho Ka Yan,male,2014-08-01,P5A");

        var folders = Directory.GetDirectories(test.DataDirectory, "*", SearchOption.AllDirectories).Append(test.DataDirectory).ToList();
        var files = Directory.GetFiles(test.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".png", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(DataFolder.StoreKeyFileName, StringComparison.Ordinal));
        Assert.Empty(folders.Where(f => File.GetUnixFileMode(f) != OwnerOnlyFolder).Select(f => $"{f} {File.GetUnixFileMode(f)}"));
        Assert.Empty(files.Where(f => File.GetUnixFileMode(f) != OwnerOnlyFile).Select(f => $"{f} {File.GetUnixFileMode(f)}"));
    }

    private static async Task<SpineScan.Device.Workflow.ScreeningSessionInfo> ScreenOnePupilAsync(TestStation test, string rosterRow)
    {
        var session = await test.SessionWithRosterAsync(rosterRow);
        var pupil = (await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None)).Single();
        await test.Station.RecordConsentAsync(pupil.Id, true, CancellationToken.None);
        await test.ScreenAsync(pupil.Id);
        return session;
    }

    private static int Find(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
