using SpineScan.Contracts;

namespace SpineScan.Reports.Pdf;

/// <summary>
/// The text people read, in one language: the PDF report, the parent pages and the clinician dashboard take every
/// label, category name and sentence from here. One instance per language (<see cref="English"/>,
/// <see cref="TraditionalChinese"/>, <see cref="SimplifiedChinese"/>, each in its own file). <c>{0}</c>-style
/// placeholders are filled with culture-invariant numbers.
/// </summary>
public sealed partial class ReportText
{
    /// <summary>The language of this table.</summary>
    public required ReportLanguage Language { get; init; }

    /// <summary>The report's title.</summary>
    public required string Title { get; init; }

    public required string DateLabel { get; init; }

    public required string NameLabel { get; init; }

    public required string ResultHeading { get; init; }

    public required string NextHeading { get; init; }

    public required string Normal { get; init; }

    public required string Rescreen { get; init; }

    public required string Refer { get; init; }

    public required string Retake { get; init; }

    public required string NextNormal { get; init; }

    public required string NextRescreen { get; init; }

    public required string NextRefer { get; init; }

    public required string NextRetake { get; init; }

    public required string MeasuredHeading { get; init; }

    public required string Measured { get; init; }

    public required string Disclaimer { get; init; }

    public required string HeatMapHeading { get; init; }

    public required string HeatMapHelp { get; init; }

    /// <summary>What the overlay shows; <c>{0}</c> is the contour step in mm.</summary>
    public required string HeatMapOverlay { get; init; }

    public required string MetricsHeading { get; init; }

    public required string MetricColumn { get; init; }

    public required string ValueColumn { get; init; }

    public required string ThresholdColumn { get; init; }

    public required string CobbLabel { get; init; }

    public required string AtrLabel { get; init; }

    public required string CurvePatternLabel { get; init; }

    public required string SurfaceRotationLabel { get; init; }

    public required string KyphosisLabel { get; init; }

    public required string LordosisLabel { get; init; }

    public required string TrunkInclinationLabel { get; init; }

    public required string ShoulderLabel { get; init; }

    public required string ScapulaLabel { get; init; }

    public required string WaistLabel { get; init; }

    public required string PelvicLabel { get; init; }

    public required string TrunkImbalanceLabel { get; init; }

    public required string ProximalThoracic { get; init; }

    public required string MainThoracic { get; init; }

    public required string ThoracolumbarLumbar { get; init; }

    public required string PatternNone { get; init; }

    public required string PatternC { get; init; }

    public required string PatternS { get; init; }

    /// <summary><c>{0}</c> the re-screen threshold, <c>{1}</c> the referral threshold.</summary>
    public required string ThresholdFormat { get; init; }

    public required string NotMeasured { get; init; }

    public required string QualityHeading { get; init; }

    public required string QualityAccepted { get; init; }

    public required string QualityRejected { get; init; }

    public required string ValidPixelsLabel { get; init; }

    public required string DistanceLabel { get; init; }

    public required string FramesLabel { get; init; }

    public required string ExplanationHeading { get; init; }

    public required string Explanation { get; init; }

    public required string QrCaption { get; init; }

    /// <summary><c>{0}</c> the models, <c>{1}</c> the algorithm version.</summary>
    public required string Footer { get; init; }

    /// <summary>The parent page's link to the PDF.</summary>
    public required string PdfDownload { get; init; }

    /// <summary>The parent page when the link is unknown.</summary>
    public required string LinkNotFound { get; init; }

    /// <summary>The parent page when the link expired or was revoked.</summary>
    public required string LinkExpired { get; init; }

    /// <summary>The parent page when too many bad links came from one address.</summary>
    public required string LinkTooMany { get; init; }

    /// <summary>The text of a language.</summary>
    public static ReportText For(ReportLanguage language) => language switch
    {
        ReportLanguage.TraditionalChinese => TraditionalChinese,
        ReportLanguage.SimplifiedChinese => SimplifiedChinese,
        _ => English,
    };

    /// <summary>The category in plain language.</summary>
    public string Category(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => Refer,
        ScreeningCategory.Rescreen => Rescreen,
        ScreeningCategory.Retake => Retake,
        _ => Normal,
    };

    /// <summary>What to do next for a category.</summary>
    public string Next(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => NextRefer,
        ScreeningCategory.Rescreen => NextRescreen,
        ScreeningCategory.Retake => NextRetake,
        _ => NextNormal,
    };

    /// <summary>A curve region in plain language.</summary>
    public string Region(CurveRegion region) => region switch
    {
        CurveRegion.ProximalThoracic => ProximalThoracic,
        CurveRegion.MainThoracic => MainThoracic,
        _ => ThoracolumbarLumbar,
    };

    /// <summary>A curve pattern in plain language.</summary>
    public string Pattern(CurvePattern pattern) => pattern switch
    {
        CurvePattern.C => PatternC,
        CurvePattern.S => PatternS,
        _ => PatternNone,
    };
}
