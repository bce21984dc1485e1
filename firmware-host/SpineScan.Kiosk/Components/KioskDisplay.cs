using MudBlazor;
using SpineScan.Contracts;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Localization;

namespace SpineScan.Kiosk.Components;

/// <summary>How the kiosk names and colours categories, consent and progress.</summary>
internal static class KioskDisplay
{
    public static string Category(this KioskText text, ScreeningCategory category) => category switch
    {
        ScreeningCategory.Normal => text.CategoryNormal,
        ScreeningCategory.Rescreen => text.CategoryRescreen,
        ScreeningCategory.Refer => text.CategoryRefer,
        _ => text.CategoryRetake,
    };

    public static string Advice(this KioskText text, ScreeningCategory category) => category switch
    {
        ScreeningCategory.Normal => text.AdviceNormal,
        ScreeningCategory.Rescreen => text.AdviceRescreen,
        ScreeningCategory.Refer => text.AdviceRefer,
        _ => text.AdviceRetake,
    };

    /// <summary>The category's wire name (the one mapping in Contracts), used in CSS classes and <c>data-category</c>.</summary>
    public static string CategoryCode(ScreeningCategory category) => category.ToWire();

    /// <summary>The category of a pupil list entry (the station's <c>LatestCategory</c> is the wire name).</summary>
    public static ScreeningCategory? ParseCategory(string? code) => ScreeningCategoryNames.TryParse(code, out var category) ? category : null;

    public static string Consent(this KioskText text, ConsentState consent) => consent switch
    {
        ConsentState.Given => text.ConsentGiven,
        ConsentState.Refused => text.ConsentRefused,
        _ => text.ConsentNotRecorded,
    };

    public static Color ConsentColor(ConsentState consent) => consent switch
    {
        ConsentState.Given => Color.Success,
        ConsentState.Refused => Color.Error,
        _ => Color.Default,
    };

    public static string Progress(this KioskText text, PupilProgress progress) => progress switch
    {
        PupilProgress.StandingCaptured => text.ProgressStandingCaptured,
        PupilProgress.Screened => text.ProgressScreened,
        _ => text.ProgressWaiting,
    };

    public static Color ProgressColor(PupilProgress progress) => progress switch
    {
        PupilProgress.StandingCaptured => Color.Info,
        PupilProgress.Screened => Color.Success,
        _ => Color.Default,
    };

    public static string SexLabel(this KioskText text, Sex sex) => sex switch
    {
        SpineScan.Contracts.Sex.Female => text.SexFemale,
        SpineScan.Contracts.Sex.Male => text.SexMale,
        _ => text.SexUnknown,
    };

    /// <summary>Why capture is not possible for this consent, or null when it is.</summary>
    public static string? CaptureBlockedReason(this KioskText text, ConsentState consent) => consent switch
    {
        ConsentState.Given => null,
        ConsentState.Refused => text.CaptureBlockedRefused,
        _ => text.CaptureBlockedNoConsent,
    };
}
