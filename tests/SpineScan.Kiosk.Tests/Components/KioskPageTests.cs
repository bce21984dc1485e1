using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components.Pages;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Fakes;
using SpineScan.Testing;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class KioskPageTests
{
    [Fact]
    public async Task LanguageSwitch_ToTraditionalThenSimplifiedChinese_ChangesTheTexts()
    {
        await using var context = KioskTestContext.Create(new FakeScreeningStation());
        var cut = context.Render<KioskPage>();
        cut.WaitForAssertion(() => Assert.Contains(KioskText.English.OpenSessionHeading, cut.Markup, StringComparison.Ordinal));
        Assert.Contains(KioskText.English.SyncNow, cut.Find("#sync-now").TextContent, StringComparison.Ordinal);

        cut.Find("#lang-zh-Hant").Click();

        cut.WaitForAssertion(() => Assert.Contains("開始篩查時段", cut.Markup, StringComparison.Ordinal));
        Assert.Equal("立即同步", cut.Find("#sync-now").TextContent.Trim());
        Assert.Equal("zh-Hant", cut.Find(".kiosk").GetAttribute("lang"));
        Assert.Equal("學校編號", cut.Find("label[for='session-school']").TextContent.Trim());
        Assert.DoesNotContain(KioskText.English.OpenSessionHeading, cut.Markup, StringComparison.Ordinal);

        cut.Find("#lang-zh-Hans").Click();

        cut.WaitForAssertion(() => Assert.Contains("开始筛查场次", cut.Markup, StringComparison.Ordinal));
        Assert.Equal("立即同步", cut.Find("#sync-now").TextContent.Trim());
        Assert.Equal("学校代码", cut.Find("label[for='session-school']").TextContent.Trim());
        Assert.Equal("zh-Hans", cut.Find(".kiosk").GetAttribute("lang"));
        Assert.Equal("true", cut.Find("#lang-zh-Hans").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("#lang-en").GetAttribute("aria-pressed"));
        Assert.Contains("mud-button-filled", cut.Find("#lang-zh-Hans").ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-button-filled", cut.Find("#lang-en").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSession_StationRejectsTheInput_ShowsItsPlainMessageAndStaysOnTheForm()
    {
        var station = new FakeScreeningStation { OpenSessionFailure = new StationInputException("School code is empty: type the code on the school's letter.") };
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<KioskPage>();
        cut.WaitForElement("#session-form");

        cut.Find("#session-form").Submit();

        var snackbar = context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars,
            s => s.Message == "Please check: School code is empty: type the code on the school's letter."));
        Assert.NotEmpty(cut.FindAll("#session-form"));
    }

    [Fact]
    public async Task Header_PhantomInsteadOfRealSense_ShowsTheStationsPlainLineAndTheOutbox()
    {
        var station = new FakeScreeningStation
        {
            Camera = new StationCameraStatus("phantom", "No RealSense camera found (librealsense2 is not installed); using the phantom camera.", true),
        };
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<KioskPage>();

        cut.WaitForAssertion(() => Assert.Equal("2 waiting · 5 sent · 0 failed", cut.Find("#outbox-counts").TextContent.Trim()));
        Assert.Equal(station.Camera.Description, cut.Find("#camera-description").TextContent.Trim());
        Assert.Contains("phantom", cut.Find("#status-camera").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_FramesStartAndStopFlowing_TheCameraStatusFollowsWithoutAReload()
    {
        var time = new ManualTimeProvider();
        var station = new FakeScreeningStation { Camera = new StationCameraStatus("realsense", "Intel RealSense D435 (serial 1), 848x480", Ready: false) };
        await using var context = KioskTestContext.Create(station, time);
        var cut = context.Render<KioskPage>();
        string Status() => cut.Find("#status-camera .status-value").TextContent.Trim();
        cut.WaitForAssertion(() => Assert.EndsWith(KioskText.English.CameraNoFrames, Status(), StringComparison.Ordinal));

        // Frames start: the header says so at its next refresh (every two seconds), without a reload or a tap.
        station.Camera = station.Camera with { Ready = true };
        time.Advance(TimeSpan.FromSeconds(2));
        cut.WaitForAssertion(() => Assert.EndsWith(KioskText.English.CameraFramesFlowing, Status(), StringComparison.Ordinal));
        Assert.NotNull(cut.Find("#status-camera .dot-ok"));

        // The stream stalls: back to "no frames".
        station.Camera = station.Camera with { Ready = false };
        time.Advance(TimeSpan.FromSeconds(2));
        cut.WaitForAssertion(() => Assert.EndsWith(KioskText.English.CameraNoFrames, Status(), StringComparison.Ordinal));
        Assert.NotNull(cut.Find("#status-camera .dot-warn"));
    }

    [Fact]
    public async Task OpenSession_UnexpectedFault_ShowsOneCalmLineWithoutTheFaultsDetails()
    {
        var station = new FakeScreeningStation { OpenSessionFailure = new InvalidOperationException("Sequence contains no elements at StationStore.OpenAsync()") };
        await using var context = KioskTestContext.Create(station);
        var cut = context.Render<KioskPage>();
        cut.WaitForElement("#session-form");

        cut.Find("#session-form").Submit();

        var snackbar = context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message == KioskText.English.UnexpectedProblem));
        Assert.DoesNotContain(snackbar.ShownSnackbars, s => s.Message!.Contains("StationStore", StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll("#session-form"));
    }

    [Fact]
    public async Task SyncNow_Pressed_TellsHowTheSyncWent()
    {
        await using var context = KioskTestContext.Create(new FakeScreeningStation());
        var cut = context.Render<KioskPage>();
        cut.WaitForElement("#sync-now");

        cut.Find("#sync-now").Click();

        var snackbar = context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message == "Sync finished: 2 waiting, 5 sent, 0 failed."));
    }
}
