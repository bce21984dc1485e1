using SpineScan.Contracts;

namespace SpineScan.Reports.Pdf;

/// <summary>What one screening report shows. Built from the wire contracts, so the device and the server share it.</summary>
/// <param name="Analysis">The analysis result.</param>
/// <param name="CapturedAt">When the screening took place (its local date is printed).</param>
/// <param name="Language">The report's language.</param>
/// <param name="Thresholds">The programme thresholds; null: the analysis's own, else the defaults.</param>
/// <param name="DepthMap">The review depth map, drawn as a heat map when present.</param>
/// <param name="ChildName">The child's name, printed on the device's parent slip only; the server never sets it.</param>
/// <param name="ParentLink">The parent-link URL, printed as a QR code when present.</param>
/// <param name="Category">The category in force (a clinician's override); null: the analysis's category.</param>
/// <param name="Xray">The X-ray outcome a clinician recorded, or null (the server only).</param>
/// <param name="Change">When and by whom the category in force came to differ from the device's (the printed slip's), or null.</param>
/// <param name="RenderedAt">When the PDF is made (its creation date); null: now.</param>
public sealed record ScreeningReport(
    AnalysisResult Analysis,
    DateTimeOffset CapturedAt,
    ReportLanguage Language = ReportLanguage.English,
    CategoryThresholds? Thresholds = null,
    ReviewDepthMap? DepthMap = null,
    string? ChildName = null,
    Uri? ParentLink = null,
    ScreeningCategory? Category = null,
    XrayOutcome? Xray = null,
    ResultChange? Change = null,
    DateTimeOffset? RenderedAt = null)
{
    /// <summary>True on a device's slip whose report has not reached the server yet: the slip says the link works once it has.</summary>
    public bool ParentLinkPending { get; init; }
}

/// <summary>A radiographic Cobb angle recorded for a referred child.</summary>
/// <param name="CobbDeg">The radiographic Cobb angle, degrees.</param>
/// <param name="Date">The day the X-ray was taken.</param>
public sealed record XrayOutcome(double CobbDeg, DateOnly Date);

/// <summary>The category in force differs from the device's: a clinician's review, or the server's re-check of the numbers.</summary>
/// <param name="On">The day it changed.</param>
/// <param name="ByClinician">True for a clinician's review, false for the programme's re-check at ingest.</param>
public sealed record ResultChange(DateOnly On, bool ByClinician)
{
    /// <summary>The note for parents, in their language: the result before (the slip's), the result now, and that the slip may say otherwise.</summary>
    public string Note(ReportText text, ScreeningCategory slip, ScreeningCategory inForce)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, ByClinician ? text.ChangedByClinician : text.ChangedByProgramme,
            On.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), text.Category(slip), text.Category(inForce));
    }
}

/// <summary>Renders a screening report as a PDF.</summary>
public interface IScreeningReportRenderer
{
    /// <summary>The report as the bytes of a one-page PDF.</summary>
    /// <exception cref="ReportFontMissingException">The report is in Chinese and no Chinese font is installed.</exception>
    byte[] Render(ScreeningReport report);
}

/// <summary>A report needs a font that is not installed; the message says which package or setting provides it.</summary>
public sealed class ReportFontMissingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ReportFontMissingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReportFontMissingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ReportFontMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
