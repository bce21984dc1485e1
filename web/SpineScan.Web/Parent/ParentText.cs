using SpineScan.Contracts;
using SpineScan.Reports.Pdf;

namespace SpineScan.Web.Parent;

/// <summary>The parent page's text in one language; the report's own wording comes from <see cref="ReportText"/>, shared with the PDF.</summary>
public sealed record ParentText(
    string Code,
    string Title,
    string ResultHeading,
    string NextHeading,
    string MeasuredHeading,
    string Measured,
    string CobbLabel,
    string AtrLabel,
    string Disclaimer,
    string HeatMapHeading,
    string HeatMapHelp,
    string Pdf,
    string NotFound,
    string Expired,
    string TooMany,
    string Normal,
    string Rescreen,
    string Refer,
    string Retake,
    string NextNormal,
    string NextRescreen,
    string NextRefer,
    string NextRetake)
{
    public static readonly ParentText English = new(
        "en",
        ReportText.English.Title,
        ReportText.English.ResultHeading,
        ReportText.English.NextHeading,
        ReportText.English.MeasuredHeading,
        ReportText.English.Measured,
        ReportText.English.CobbLabel,
        ReportText.English.AtrLabel,
        ReportText.English.Disclaimer,
        ReportText.English.HeatMapHeading,
        ReportText.English.HeatMapHelp,
        "Download the report (PDF)",
        "This link is not valid. Please check the address on the slip.",
        "This link has expired or was withdrawn. Please contact the school nurse.",
        "Too many attempts. Please wait a minute and try again.",
        ReportText.English.Normal,
        ReportText.English.Rescreen,
        ReportText.English.Refer,
        ReportText.English.Retake,
        ReportText.English.NextNormal,
        ReportText.English.NextRescreen,
        ReportText.English.NextRefer,
        ReportText.English.NextRetake);

    public static readonly ParentText TraditionalChinese = new(
        "zh-Hant",
        ReportText.TraditionalChinese.Title,
        ReportText.TraditionalChinese.ResultHeading,
        ReportText.TraditionalChinese.NextHeading,
        ReportText.TraditionalChinese.MeasuredHeading,
        ReportText.TraditionalChinese.Measured,
        ReportText.TraditionalChinese.CobbLabel,
        ReportText.TraditionalChinese.AtrLabel,
        ReportText.TraditionalChinese.Disclaimer,
        ReportText.TraditionalChinese.HeatMapHeading,
        ReportText.TraditionalChinese.HeatMapHelp,
        "下載報告（PDF）",
        "此連結無效，請核對通知單上的網址。",
        "此連結已過期或已被撤回，請聯絡學校護士。",
        "嘗試次數過多，請稍候一分鐘再試。",
        ReportText.TraditionalChinese.Normal,
        ReportText.TraditionalChinese.Rescreen,
        ReportText.TraditionalChinese.Refer,
        ReportText.TraditionalChinese.Retake,
        ReportText.TraditionalChinese.NextNormal,
        ReportText.TraditionalChinese.NextRescreen,
        ReportText.TraditionalChinese.NextRefer,
        ReportText.TraditionalChinese.NextRetake);

    public static readonly ParentText SimplifiedChinese = new(
        "zh-Hans",
        ReportText.SimplifiedChinese.Title,
        ReportText.SimplifiedChinese.ResultHeading,
        ReportText.SimplifiedChinese.NextHeading,
        ReportText.SimplifiedChinese.MeasuredHeading,
        ReportText.SimplifiedChinese.Measured,
        ReportText.SimplifiedChinese.CobbLabel,
        ReportText.SimplifiedChinese.AtrLabel,
        ReportText.SimplifiedChinese.Disclaimer,
        ReportText.SimplifiedChinese.HeatMapHeading,
        ReportText.SimplifiedChinese.HeatMapHelp,
        "下载报告（PDF）",
        "此链接无效，请核对通知单上的网址。",
        "此链接已过期或已被撤回，请联系学校护士。",
        "尝试次数过多，请等待一分钟后再试。",
        ReportText.SimplifiedChinese.Normal,
        ReportText.SimplifiedChinese.Rescreen,
        ReportText.SimplifiedChinese.Refer,
        ReportText.SimplifiedChinese.Retake,
        ReportText.SimplifiedChinese.NextNormal,
        ReportText.SimplifiedChinese.NextRescreen,
        ReportText.SimplifiedChinese.NextRefer,
        ReportText.SimplifiedChinese.NextRetake);

    public string Category(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => Refer,
        ScreeningCategory.Rescreen => Rescreen,
        ScreeningCategory.Retake => Retake,
        _ => Normal,
    };

    public string Next(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => NextRefer,
        ScreeningCategory.Rescreen => NextRescreen,
        ScreeningCategory.Retake => NextRetake,
        _ => NextNormal,
    };

    /// <summary>The explicit choice, then the cookie, then the browser's Accept-Language, then English.</summary>
    public static ParentText Pick(string? explicitChoice, string? cookie, string? acceptLanguage)
    {
        foreach (var candidate in new[] { explicitChoice, cookie })
        {
            if (FromTag(candidate) is { } chosen)
            {
                return chosen;
            }
        }

        foreach (var part in (acceptLanguage ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (FromTag(part.Split(';')[0]) is { } chosen)
            {
                return chosen;
            }
        }

        return English;
    }

    private static ParentText? FromTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var t = tag.Trim().ToUpperInvariant();
        if (t is "ZH-HANT" or "ZH-TW" or "ZH-HK" or "ZH-MO" || t.StartsWith("ZH-HANT", StringComparison.Ordinal))
        {
            return TraditionalChinese;
        }

        if (t is "ZH" or "ZH-HANS" or "ZH-CN" or "ZH-SG" || t.StartsWith("ZH-HANS", StringComparison.Ordinal))
        {
            return SimplifiedChinese;
        }

        return t.StartsWith("EN", StringComparison.Ordinal) ? English : null;
    }
}
