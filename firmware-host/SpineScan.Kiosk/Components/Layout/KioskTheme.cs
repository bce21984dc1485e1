using MudBlazor;

namespace SpineScan.Kiosk.Components.Layout;

/// <summary>The kiosk's theme: system fonts with CJK fallbacks (no web fonts offline), larger type for a touch screen.</summary>
internal static class KioskTheme
{
    private static readonly string[] FontFamily =
        ["system-ui", "DejaVu Sans", "Noto Sans CJK TC", "Noto Sans CJK SC", "Droid Sans Fallback", "WenQuanYi Micro Hei", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontFamily, FontSize = "1rem" },
            Button = new ButtonTypography { FontFamily = FontFamily, FontSize = "1rem", TextTransform = "none" },
        },
    };
}
