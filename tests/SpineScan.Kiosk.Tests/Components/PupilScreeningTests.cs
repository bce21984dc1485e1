using Bunit;
using SpineScan.Core.Capture;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Fakes;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class PupilScreeningTests
{
    [Fact]
    public async Task Consent_NotRecorded_CaptureButtonsDisabledWithTheReason()
    {
        var station = new FakeScreeningStation();
        var pupil = station.AddPupil("1001", "Chan Tai Man");
        await using var context = KioskTestContext.Create(station);

        var cut = context.Render<PupilScreening>(p => p.Add(c => c.Pupil, pupil));

        Assert.True(cut.Find("#capture-standing").HasAttribute("disabled"));
        Assert.True(cut.Find("#capture-forward-bend").HasAttribute("disabled"));
        Assert.Equal(KioskText.English.CaptureBlockedNoConsent, cut.Find("#capture-blocked").TextContent.Trim());
        Assert.Empty(cut.FindAll("#positioning"));
    }

    [Fact]
    public async Task Consent_Refused_CaptureStaysDisabledUntilConsentIsGiven()
    {
        var station = new FakeScreeningStation();
        var pupil = station.AddPupil("1001", "Chan Tai Man");
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilScreening>(p => p.Add(c => c.Pupil, pupil));

        cut.Find("#consent-refused").Click();

        cut.WaitForAssertion(() => Assert.Equal(KioskText.English.CaptureBlockedRefused, cut.Find("#capture-blocked").TextContent.Trim()));
        Assert.Equal(ConsentState.Refused.ToString(), cut.Find("#consent-state").GetAttribute("data-consent"));
        Assert.True(cut.Find("#capture-standing").HasAttribute("disabled"));
        Assert.Equal([(pupil.Id, false)], station.ConsentRecords);

        // The same buttons come alive once consent is given: the disabling follows consent, nothing else.
        cut.Find("#consent-given").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#capture-standing").HasAttribute("disabled")));
        Assert.Empty(cut.FindAll("#capture-blocked"));
        Assert.True(cut.Find("#capture-forward-bend").HasAttribute("disabled"), "Forward bend comes after standing.");
        Assert.NotEmpty(cut.FindAll("#positioning"));

        cut.Find("#capture-standing").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#capture-forward-bend").HasAttribute("disabled")));
        Assert.Equal([(pupil.Id, CapturePose.Standing)], station.Captures);
    }

    [Fact]
    public async Task CaptureStanding_GateFails_ShowsRetakeWithTranslatedAndUnknownReasons()
    {
        var station = new FakeScreeningStation
        {
            StandingAnswer = new CaptureStepResult(false,
                [new PositioningHint("hair_up", "Tie the hair up"), new PositioningHint("motion", "The child moved during the capture.")], null),
        };
        var pupil = station.AddPupil("1001", "Chan Tai Man", ConsentState.Given);
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilScreening>(p => p
            .Add(c => c.Pupil, pupil)
            .AddCascadingValue(KioskText.TraditionalChinese));

        cut.Find("#capture-standing").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#retake li").Count));
        var reasons = cut.FindAll("#retake li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(KioskText.TraditionalChinese.Hints["hair_up"], reasons[0]);
        Assert.Equal("The child moved during the capture.", reasons[1]);
        Assert.False(cut.Find("#capture-standing").HasAttribute("disabled"), "Standing is retaken.");
        Assert.True(cut.Find("#capture-forward-bend").HasAttribute("disabled"));
    }

    [Fact]
    public async Task CaptureStanding_WhileTheStationCaptures_ShowsProgressAndPausesTheLiveView()
    {
        var station = new FakeScreeningStation { HoldCaptures = new TaskCompletionSource() };
        var pupil = station.AddPupil("1001", "Chan Tai Man", ConsentState.Given);
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilScreening>(p => p.Add(c => c.Pupil, pupil));
        await Eventually.HoldsAsync(() => station.ActiveWatches.SequenceEqual([CapturePose.Standing]), "the live view watches the standing pose");

        cut.Find("#capture-standing").Click();

        cut.WaitForAssertion(() => Assert.Equal(KioskText.English.Capturing, cut.Find("#capturing").TextContent.Trim()));
        Assert.True(cut.Find("#capture-standing").HasAttribute("disabled"), "No second press while capturing.");
        await Eventually.HoldsAsync(() => station.ActiveWatches.Count == 0, "the live view pauses while the station captures");

        station.HoldCaptures.SetResult();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#capturing")));
        await Eventually.HoldsAsync(() => station.ActiveWatches.SequenceEqual([CapturePose.ForwardBend]), "the live view watches the forward bend");
        Assert.False(cut.Find("#capture-forward-bend").HasAttribute("disabled"));
        Assert.Equal(KioskText.English.StandingAccepted, cut.Find("#standing-accepted").TextContent.Trim());
    }
}
