using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Tests.Workflow;

public class NextPupilTests
{
    [Fact]
    public async Task NextPupil_AfterAScreening_OpensTheNextStillToScreenAndComesBackForOnePassedOver()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync(
            "P001,Ada Sample,F,2014-03-27,P5A",
            "P002,Ben Example,M,2014-04-01,P5A",
            "P003,Cy Fictional,F,2014-05-02,P5A",
            "P004,Di Madeup,F,2014-06-03,P5A",
            "P005,Ed Invented,M,2014-07-04,P5A");
        var pupils = await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None);
        long Id(string number) => pupils.Single(p => p.PupilNumber == number).Id;
        async Task<string?> NextAfterAsync(string? number) =>
            (await test.Station.NextPupilAsync(session.Id, number is null ? null : Id(number), CancellationToken.None))?.PupilNumber;

        await test.ScreenAsync(Id("P001"));
        await test.ScreenAsync(Id("P003"));
        await test.Station.RecordConsentAsync(Id("P002"), false, CancellationToken.None);

        // After P001: P002 refused consent and P003 is screened, so P004.
        Assert.Equal("P004", await NextAfterAsync("P001"));
        Assert.Equal("P005", await NextAfterAsync("P004"));

        // After the last pupil, back to the first one passed over (P004), never the one just shown.
        Assert.Equal("P004", await NextAfterAsync("P005"));
        Assert.Equal("P004", await NextAfterAsync(null));

        await test.ScreenAsync(Id("P004"));
        Assert.Equal("P005", await NextAfterAsync("P004"));
        await test.ScreenAsync(Id("P005"));

        // Everyone screened or refused: none (the kiosk then says all pupils are done).
        Assert.Null(await NextAfterAsync("P005"));
        Assert.Null(await NextAfterAsync(null));
    }
}
