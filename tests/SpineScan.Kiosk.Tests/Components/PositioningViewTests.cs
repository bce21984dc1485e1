using Bunit;
using SpineScan.Core.Capture;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Fakes;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class PositioningViewTests
{
    [Fact]
    public async Task Watch_PausedForACaptureThenNextPose_WatchesOnlyTheNewPose()
    {
        var station = new FakeScreeningStation();
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<PositioningView>(p => p.Add(c => c.Pose, CapturePose.Standing));
        await Eventually.HoldsAsync(() => station.ActiveWatches.SequenceEqual([CapturePose.Standing]), "the live view watches the standing pose");

        // A capture pauses the view and the next pose follows at once: the renders overlap the stop.
        cut.Render(p => p.Add(c => c.Pose, CapturePose.Standing).Add(c => c.Active, false));
        cut.Render(p => p.Add(c => c.Pose, CapturePose.ForwardBend).Add(c => c.Active, true));

        await Eventually.HoldsAsync(() => station.ActiveWatches.SequenceEqual([CapturePose.ForwardBend]), "the live view watches only the forward bend");
        await Task.Delay(300);
        Assert.Equal([CapturePose.ForwardBend], station.ActiveWatches);
        Assert.Equal("forward_bend", cut.Find("#positioning").GetAttribute("data-pose"));
    }

    [Fact]
    public async Task Frames_KnownHintCode_ShowsTranslationReadyStateAndDistance()
    {
        var station = new FakeScreeningStation();
        await using var context = KioskTestContext.Create(station);

        var cut = context.Render<PositioningView>(p => p
            .Add(c => c.Pose, CapturePose.Standing)
            .AddCascadingValue(KioskText.SimplifiedChinese));

        cut.WaitForAssertion(() => Assert.Equal("孩子距离 1.65 米，太远了。请孩子走近到 1.3 米以内。", cut.Find("#guidance li[data-code='too_far']").TextContent.Trim()));
        Assert.Equal("false", cut.Find("#ready-indicator").GetAttribute("data-ready"));
        Assert.Equal(KioskText.SimplifiedChinese.NotReady, cut.Find("#ready-indicator").TextContent.Trim());
        Assert.Equal("距离 1.65 米", cut.Find("#distance").TextContent.Trim());
        Assert.Contains(context.JSInterop.Invocations, i => i.Identifier == "spinescanKiosk.showFrame");
    }

    [Fact]
    public async Task Frames_WithoutAPicture_ShowTheGuidanceAndOnePlainLineInsteadOfAnImage()
    {
        // A device without OpenCV's native library (arm64): the station sends the guidance with no picture.
        var station = new FakeScreeningStation { PositioningJpeg = [] };
        await using var context = KioskTestContext.Create(station);

        var cut = context.Render<PositioningView>(p => p.Add(c => c.Pose, CapturePose.Standing));

        cut.WaitForAssertion(() => Assert.Equal(KioskText.English.NoLivePicture, cut.Find("#no-live-picture").TextContent.Trim()));
        Assert.NotEmpty(cut.FindAll("#guidance li[data-code='too_far']"));
        Assert.DoesNotContain(cut.FindAll(".frame-placeholder"), e => e.TextContent.Contains(KioskText.English.WaitingForCamera, StringComparison.Ordinal));
        Assert.DoesNotContain(context.JSInterop.Invocations, i => i.Identifier == "spinescanKiosk.showFrame");
    }
}
