namespace SpineScan.Reports.Pdf;

/// <summary>The languages a report is written in.</summary>
public enum ReportLanguage
{
    /// <summary>English (<c>en</c>).</summary>
    English = 0,

    /// <summary>Traditional Chinese (<c>zh-Hant</c>).</summary>
    TraditionalChinese = 1,

    /// <summary>Simplified Chinese (<c>zh-Hans</c>).</summary>
    SimplifiedChinese = 2,
}

/// <summary>BCP 47 codes of <see cref="ReportLanguage"/>.</summary>
public static class ReportLanguages
{
    /// <summary>The BCP 47 code: <c>en</c>, <c>zh-Hant</c> or <c>zh-Hans</c>.</summary>
    public static string Code(this ReportLanguage language) => language switch
    {
        ReportLanguage.TraditionalChinese => "zh-Hant",
        ReportLanguage.SimplifiedChinese => "zh-Hans",
        _ => "en",
    };

    /// <summary>The language of a code (<c>en</c>, <c>zh-Hant</c>, <c>zh-Hans</c>, case-insensitive); English otherwise.</summary>
    public static ReportLanguage FromCode(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        "ZH-HANT" => ReportLanguage.TraditionalChinese,
        "ZH-HANS" => ReportLanguage.SimplifiedChinese,
        _ => ReportLanguage.English,
    };
}
