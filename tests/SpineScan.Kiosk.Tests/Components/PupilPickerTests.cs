using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Tests.Fakes;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class PupilPickerTests
{
    [Fact]
    public async Task ScanCode_KnownNumberThenEnter_SelectsThatPupil()
    {
        var station = new FakeScreeningStation();
        station.AddPupil("1001", "Chan Tai Man");
        var wanted = station.AddPupil("1002", "Lee Siu Ling", ConsentState.Given);
        await using var context = KioskTestContext.Create(station);
        PupilEntry? selected = null;
        var cut = context.Render<PupilPicker>(p => p
            .Add(c => c.SessionId, 1)
            .Add(c => c.PupilSelected, pupil => selected = pupil));

        Assert.Equal(2, cut.FindAll("#pupil-list .pupil-row").Count);
        // A scanner types the number and presses Enter, which submits the field's form.
        cut.Find("#scan-code").Input("1002");
        cut.Find("#scan-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal(wanted, selected));
        Assert.Equal(string.Empty, cut.Find("#scan-code").GetAttribute("value"));
    }

    [Fact]
    public async Task ScanCode_UnknownNumber_SaysSoAndSelectsNobody()
    {
        var station = new FakeScreeningStation();
        station.AddPupil("1001", "Chan Tai Man");
        await using var context = KioskTestContext.Create(station);
        PupilEntry? selected = null;
        var cut = context.Render<PupilPicker>(p => p
            .Add(c => c.SessionId, 1)
            .Add(c => c.PupilSelected, pupil => selected = pupil));

        cut.Find("#scan-code").Input("9999");
        cut.Find("#scan-form").Submit();

        var snackbar = context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message == "No pupil with number 9999 in this session."));
        Assert.Null(selected);
    }

    [Fact]
    public async Task Search_PartOfAName_ListsOnlyMatchingPupils()
    {
        var station = new FakeScreeningStation();
        station.AddPupil("1001", "Chan Tai Man");
        station.AddPupil("1002", "Lee Siu Ling");
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilPicker>(p => p.Add(c => c.SessionId, 1));

        cut.Find("#pupil-search").Input("siu");

        cut.WaitForAssertion(() => Assert.Equal(["1002"], cut.FindAll("#pupil-list .pupil-row").Select(r => r.GetAttribute("data-pupil-number") ?? "").ToArray()));
    }
}
