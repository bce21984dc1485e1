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
public sealed record ScreeningReport(
    AnalysisResult Analysis,
    DateTimeOffset CapturedAt,
    ReportLanguage Language = ReportLanguage.English,
    CategoryThresholds? Thresholds = null,
    ReviewDepthMap? DepthMap = null,
    string? ChildName = null,
    Uri? ParentLink = null,
    ScreeningCategory? Category = null)
{
    /// <summary>True on a device's slip whose report has not reached the server yet: the slip says the link works once it has.</summary>
    public bool ParentLinkPending { get; init; }
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
