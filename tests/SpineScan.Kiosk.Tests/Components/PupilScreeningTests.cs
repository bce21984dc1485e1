using Bunit;
using SpineScan.Core.Analysis;
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
    public async Task Consent_Refused_HoldsUntilAnExplicitConfirmedChange()
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

        // The decision buttons are gone: a refusal is changed only on purpose, and the change is asked for again.
        Assert.Empty(cut.FindAll("#consent-given"));
        cut.Find("#change-consent").Click();
        cut.WaitForElement("#change-consent-confirm");
        Assert.Empty(station.ConsentChanges);
        cut.Find("#change-consent-yes").Click();

        cut.WaitForAssertion(() => Assert.False(cut.Find("#capture-standing").HasAttribute("disabled")));
        Assert.Equal([(pupil.Id, true)], station.ConsentChanges);
        Assert.Single(station.ConsentRecords);
        Assert.Empty(cut.FindAll("#capture-blocked"));
        Assert.True(cut.Find("#capture-forward-bend").HasAttribute("disabled"), "Forward bend comes after standing.");
        Assert.NotEmpty(cut.FindAll("#positioning"));

        cut.Find("#capture-standing").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#capture-forward-bend").HasAttribute("disabled")));
        Assert.Equal([(pupil.Id, CapturePose.Standing)], station.Captures);
    }

    [Fact]
    public async Task CaptureForwardBend_RefusedWhereTheRetakeShowsANewChild_ShowsTheStandingLiveViewAgain()
    {
        var station = new FakeScreeningStation
        {
            ForwardBendAnswer = new CaptureStepResult(false, [CaptureFinding.NotBending], CapturePose.Standing, null, 2),
        };
        var pupil = station.AddPupil("1001", "Chan Tai Man", ConsentState.Given);
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilScreening>(p => p.Add(c => c.Pupil, pupil));
        cut.Find("#capture-standing").Click();
        cut.WaitForAssertion(() => Assert.Equal("forward_bend", cut.Find("#positioning").GetAttribute("data-pose")));

        cut.Find("#capture-forward-bend").Click();

        cut.WaitForAssertion(() => Assert.Equal("standing", cut.Find("#positioning").GetAttribute("data-pose")));
        Assert.Equal("standing", cut.Find("#retake").GetAttribute("data-next-pose"));
        Assert.False(cut.Find("#capture-standing").HasAttribute("disabled"));
        Assert.True(cut.Find("#capture-forward-bend").HasAttribute("disabled"));
        Assert.Equal(KioskText.English.PoseStandingInstruction, cut.Find("#pose-instruction").TextContent.Trim());
        await Eventually.HoldsAsync(() => station.ActiveWatches.SequenceEqual([CapturePose.Standing]), "the live view watches the standing pose again");
    }

    [Fact]
    public async Task Capture_RetakesUsedUp_StopsCaptureAndOffersTryAgain()
    {
        var station = new FakeScreeningStation { StandingAnswer = new CaptureStepResult(false, [CaptureFinding.Moved], null, null, 0) };
        var pupil = station.AddPupil("1001", "Chan Tai Man", ConsentState.Given);
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilScreening>(p => p.Add(c => c.Pupil, pupil));

        cut.Find("#capture-standing").Click();

        cut.WaitForElement("#retakes-used-up");
        Assert.True(cut.Find("#capture-standing").HasAttribute("disabled"));
        cut.Find("#try-again").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#capture-standing").HasAttribute("disabled")));
        Assert.Equal([pupil.Id], station.ScreenAgains);
    }

    [Fact]
    public async Task CaptureStanding_GateFailsOnAChineseKiosk_ShowsTheRetakeReasonsInChinese()
    {
        var station = new FakeScreeningStation
        {
            StandingAnswer = new CaptureStepResult(false, [CaptureFinding.NeckCovered, CaptureFinding.Moved, new CaptureFinding("new_code", [])], CapturePose.Standing, null, 2),
        };
        var pupil = station.AddPupil("1001", "Chan Tai Man", ConsentState.Given);
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PupilScreening>(p => p
            .Add(c => c.Pupil, pupil)
            .AddCascadingValue(KioskText.TraditionalChinese));

        cut.Find("#capture-standing").Click();

        // The gate's reasons in the kiosk's language, from the same table as the live guidance (they were English here).
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("#retake li").Count));
        var reasons = cut.FindAll("#retake li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal("看不到頸部底部（C7）：請把長髮束起、撥離頸部，然後再拍一次。", reasons[0]);
        Assert.Equal("拍攝時孩子動了。請孩子站定、呼氣，然後再拍一次。", reasons[1]);
        Assert.Equal("new_code", reasons[2]);
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
