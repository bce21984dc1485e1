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

    /// <summary>
    /// The language a BCP 47 tag asks for, or null when it is none of ours: Traditional Chinese for <c>zh-Hant</c>,
    /// <c>zh-TW</c>, <c>zh-HK</c>, <c>zh-MO</c>; Simplified for <c>zh</c>, <c>zh-Hans</c>, <c>zh-CN</c>, <c>zh-SG</c>;
    /// English for <c>en</c> and its regions.
    /// </summary>
    public static ReportLanguage? FromTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var t = tag.Trim().ToUpperInvariant();
        if (t is "ZH-HANT" or "ZH-TW" or "ZH-HK" or "ZH-MO" || t.StartsWith("ZH-HANT", StringComparison.Ordinal))
        {
            return ReportLanguage.TraditionalChinese;
        }

        if (t is "ZH" or "ZH-HANS" or "ZH-CN" or "ZH-SG" || t.StartsWith("ZH-HANS", StringComparison.Ordinal))
        {
            return ReportLanguage.SimplifiedChinese;
        }

        return t.StartsWith("EN", StringComparison.Ordinal) ? ReportLanguage.English : null;
    }

    /// <summary>The first of an explicit choice, a remembered one (cookie) and the browser's <c>Accept-Language</c> that is ours; English otherwise.</summary>
    public static ReportLanguage Pick(string? explicitChoice, string? remembered, string? acceptLanguage)
    {
        foreach (var candidate in new[] { explicitChoice, remembered })
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

        return ReportLanguage.English;
    }
}
