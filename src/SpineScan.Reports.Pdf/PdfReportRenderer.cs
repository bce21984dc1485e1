using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using SpineScan.Contracts;

namespace SpineScan.Reports.Pdf;

/// <summary>
/// One A4 page with PDFsharp: title and date, the category and what to do next, the depth heat map with contours, the
/// spinal line and the landmarks, every metric against its threshold, the capture quality, a plain-language
/// explanation, and the parent link as a QR code. Latin text and numbers use DejaVu Sans, Chinese the CJK font.
/// </summary>
public sealed partial class PdfReportRenderer : IScreeningReportRenderer
{
    private const double PageWidth = 595.28;
    private const double PageHeight = 841.89;
    private const double Margin = 40;
    private const double ContentWidth = PageWidth - (2 * Margin);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly ReportFonts? _fonts;
    private readonly string? _unavailable;

    /// <summary>Creates the renderer and installs the fonts (once per process); a missing Latin font is logged, and every render then fails naming it.</summary>
    public PdfReportRenderer(IOptions<PdfReportOptions> options, ILogger<PdfReportRenderer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            _fonts = ReportFonts.Install(options.Value);
        }
        catch (FileNotFoundException ex)
        {
            _unavailable = ex.Message;
            LogNoLatin(logger, ex.Message);
            return;
        }

        if (!_fonts.HasCjk)
        {
            LogNoCjk(logger, string.Join(", ", ReportFonts.CjkCandidates.Select(c => c.Path)));
        }
        else if (_fonts.CjkIsCff)
        {
            LogCffCjk(logger, _fonts.CjkPath!);
        }
        else
        {
            LogCjk(logger, _fonts.CjkPath!);
        }
    }

    /// <summary>The fonts in use.</summary>
    /// <exception cref="ReportFontMissingException">The Latin font is missing.</exception>
    public ReportFonts Fonts => _fonts ?? throw new ReportFontMissingException(_unavailable!);

    /// <inheritdoc />
    public byte[] Render(ScreeningReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fonts = Fonts;
        if (report.Language != ReportLanguage.English && !fonts.HasCjk)
        {
            throw new ReportFontMissingException(
                "No Chinese font is installed for the PDF report: install fonts-droid-fallback (small PDFs) or fonts-noto-cjk, or set PdfReports:CjkFont.");
        }

        var text = ReportText.For(report.Language);
        var thresholds = report.Thresholds ?? report.Analysis.Thresholds ?? CategoryThresholds.Default;
        var category = report.Category ?? report.Analysis.Category;

        using var document = new PdfDocument();
        document.Info.Title = text.Title;
        document.Info.Creator = "SpineScan";
        document.Options.CompressContentStreams = true;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var ink = new Ink(gfx, fonts.HasCjk);
            var y = DrawHeader(ink, text, report, Margin);
            y = DrawCategory(ink, text, category, y + 10);
            var top = y + 14;
            var leftBottom = DrawHeatMap(ink, text, report, Margin, top, 200);
            var rightX = Margin + 214;
            var rightBottom = DrawMetrics(ink, text, report.Analysis, thresholds, rightX, top, ContentWidth - 214);
            rightBottom = DrawQuality(ink, text, report.Analysis.Quality, rightX, rightBottom + 12, ContentWidth - 214);
            y = Math.Max(leftBottom, rightBottom) + 14;
            var textWidth = report.ParentLink is null ? ContentWidth : ContentWidth - 110;
            y = DrawSection(ink, text.MeasuredHeading, text.Measured, Margin, y, textWidth);
            y = DrawSection(ink, text.ExplanationHeading, text.Explanation, Margin, y + 6, textWidth);
            ink.Wrapped(text.Disclaimer, Ink.Small(true), XColors.Black, Margin, y + 4, textWidth);
            if (report.ParentLink is { } link)
            {
                DrawQr(ink, text, link, PageWidth - Margin - 96, PageHeight - Margin - 130, 96);
            }

            var footer = string.Format(Inv, text.Footer, string.Join(", ", report.Analysis.Models.Select(m => m.Id)), report.Analysis.AlgorithmVersion);
            ink.Line(footer, Ink.Tiny(), XColors.Gray, Margin, PageHeight - Margin + 12);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>A number as reports print it: one decimal, invariant culture.</summary>
    public static string Number(double value) => value.ToString("0.0", Inv);

    /// <summary>A metric with its unit as reports print it (<c>23.0°</c>, <c>6.0 mm</c>, <c>8.0 %</c>).</summary>
    public static string Format(double value, string unit) => unit switch
    {
        Metric.Degrees => Number(value) + "°",
        Metric.Millimetres => Number(value) + " mm",
        Metric.Percent => Number(value) + " %",
        _ => Number(value) + " " + unit,
    };

    private static double DrawHeader(Ink ink, ReportText text, ScreeningReport report, double y)
    {
        ink.Line(text.Title, Ink.Title(), XColor.FromArgb(0x0D, 0x47, 0xA1), Margin, y + 20);
        var date = report.CapturedAt.ToString("yyyy-MM-dd", Inv);
        var dateLine = text.DateLabel + ": " + date;
        var style = Ink.Body(false);
        ink.Line(dateLine, style, XColors.DimGray, PageWidth - Margin - ink.Measure(dateLine, style), y + 18);
        y += 30;
        if (!string.IsNullOrWhiteSpace(report.ChildName))
        {
            ink.Line(text.NameLabel + ": " + report.ChildName.Trim(), Ink.Body(true), XColors.Black, Margin, y + 12);
            y += 18;
        }

        ink.Gfx.DrawLine(new XPen(XColor.FromArgb(0x0D, 0x47, 0xA1), 1), Margin, y + 2, PageWidth - Margin, y + 2);
        return y + 2;
    }

    private static double DrawCategory(Ink ink, ReportText text, ScreeningCategory category, double y)
    {
        var (fill, edge) = category switch
        {
            ScreeningCategory.Refer => (XColor.FromArgb(0xFD, 0xEC, 0xEA), XColor.FromArgb(0xC6, 0x28, 0x28)),
            ScreeningCategory.Rescreen => (XColor.FromArgb(0xFF, 0xF4, 0xE5), XColor.FromArgb(0xEF, 0x6C, 0x00)),
            ScreeningCategory.Normal => (XColor.FromArgb(0xED, 0xF7, 0xED), XColor.FromArgb(0x2E, 0x7D, 0x32)),
            _ => (XColor.FromArgb(0xEC, 0xEF, 0xF1), XColor.FromArgb(0x54, 0x6E, 0x7A)),
        };
        const double Pad = 10;
        var inner = ContentWidth - (2 * Pad) - 6;
        var nextLines = ink.Wrap(text.Next(category), Ink.Body(false), inner);
        var height = Pad + 12 + 22 + 14 + (nextLines.Count * Ink.Body(false).LineHeight) + Pad - 4;
        ink.Gfx.DrawRectangle(new XSolidBrush(fill), Margin, y, ContentWidth, height);
        ink.Gfx.DrawRectangle(new XSolidBrush(edge), Margin, y, 6, height);
        var x = Margin + 6 + Pad;
        var line = y + Pad + 9;
        ink.Line(text.ResultHeading, Ink.Small(true), XColors.DimGray, x, line);
        line += 20;
        ink.Line(text.Category(category), Ink.Heading(16), edge, x, line);
        line += 16;
        ink.Line(text.NextHeading, Ink.Small(true), XColors.DimGray, x, line);
        line += Ink.Body(false).LineHeight;
        foreach (var l in nextLines)
        {
            ink.Line(l, Ink.Body(false), XColors.Black, x, line);
            line += Ink.Body(false).LineHeight;
        }

        return y + height;
    }

    private static double DrawHeatMap(Ink ink, ReportText text, ScreeningReport report, double x, double y, double width)
    {
        ink.Line(text.HeatMapHeading, Ink.Heading(11), XColors.Black, x, y + 10);
        y += 18;
        if (report.DepthMap is not { } map)
        {
            return ink.Wrapped(text.NotMeasured, Ink.Small(false), XColors.DimGray, x, y + 2, width);
        }

        var scale = Math.Min(width / map.Width, 280.0 / map.Height);
        double w = map.Width * scale, h = map.Height * scale;
        var gfx = ink.Gfx;
        gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0x22, 0x22, 0x22)), x, y, w, h);
        using (var png = new MemoryStream(HeatMap.RenderPng(map)))
        {
            using var image = XImage.FromStream(png);
            image.Interpolate = false;
            gfx.DrawImage(image, x, y, w, h);
        }

        var state = gfx.Save();
        gfx.IntersectClip(new XRect(x, y, w, h));
        var contour = new XPen(XColor.FromArgb(150, 255, 255, 255), 0.35);
        foreach (var s in HeatMap.Contours(map))
        {
            gfx.DrawLine(contour, x + (s.X1 * scale), y + (s.Y1 * scale), x + (s.X2 * scale), y + (s.Y2 * scale));
        }

        var spine = report.Analysis.SpinalLine.CameraMm;
        if (spine.Count > 1)
        {
            var points = new XPoint[spine.Count];
            for (var i = 0; i < spine.Count; i++)
            {
                var (px, py) = HeatMap.ToPixel(map, spine[i]);
                points[i] = new XPoint(x + (px * scale), y + (py * scale));
            }

            gfx.DrawLines(new XPen(XColor.FromArgb(0xFF, 0xEB, 0x3B), 1.6) { LineJoin = XLineJoin.Round }, points);
        }

        var landmarkFill = new XSolidBrush(XColor.FromArgb(0x00, 0xE5, 0xFF));
        var landmarkEdge = new XPen(XColors.Black, 0.5);
        foreach (var landmark in report.Analysis.Landmarks)
        {
            var (px, py) = HeatMap.ToPixel(map, landmark.CameraMm);
            gfx.DrawEllipse(landmarkEdge, landmarkFill, x + (px * scale) - 2.6, y + (py * scale) - 2.6, 5.2, 5.2);
        }

        gfx.Restore(state);
        y += h + 4;
        y = ink.Wrapped(text.HeatMapHelp, Ink.Small(false), XColors.DimGray, x, y, width);
        return ink.Wrapped(string.Format(Inv, text.HeatMapOverlay, HeatMap.ContourStepMm), Ink.Small(false), XColors.DimGray, x, y + 3, width);
    }

    private static double DrawMetrics(Ink ink, ReportText text, AnalysisResult analysis, CategoryThresholds thresholds, double x, double y, double width)
    {
        ink.Line(text.MetricsHeading, Ink.Heading(11), XColors.Black, x, y + 10);
        y += 18;
        var rows = new List<(string Label, string Value, string Threshold)>();
        var metrics = analysis.Metrics;
        var cobbThreshold = string.Format(Inv, text.ThresholdFormat, Number(thresholds.RescreenCobbDeg) + "°", Number(thresholds.ReferCobbDeg) + "°");
        if (metrics.CobbDeg.Count == 0)
        {
            rows.Add((text.CobbLabel, text.NotMeasured, cobbThreshold));
        }

        for (var i = 0; i < metrics.CobbDeg.Count; i++)
        {
            var curve = metrics.CobbDeg[i];
            // A further curve that prints as 0.0° is no curve for a parent: it is left out, not shown as "0.0°".
            if (i > 0 && Number(curve.Value) == Number(0))
            {
                continue;
            }

            var label = text.CobbLabel + " · " + text.Region(curve.Region) + (curve.ApexLevel is { } apex ? " (" + apex + ")" : "");
            var value = Format(curve.Value, curve.Unit);
            if (curve.Interval90 is { } interval)
            {
                value += " " + string.Format(Inv, text.CobbIntervalFormat, interval.Lower, interval.Upper);
            }

            rows.Add((label, value, i == 0 ? cobbThreshold : "–"));
        }

        // "No sign of scoliosis" beside a curve pattern reads as a contradiction: the pattern is shown only when the result is not normal.
        if (analysis.Category != ScreeningCategory.Normal)
        {
            rows.Add((text.CurvePatternLabel, text.Pattern(metrics.CurvePattern), "–"));
        }

        rows.Add((text.AtrLabel, Value(metrics.AtrDeg, text),
            string.Format(Inv, text.ThresholdFormat, Number(thresholds.RescreenAtrDeg) + "°", Number(thresholds.ReferAtrDeg) + "°")));
        rows.Add((text.SurfaceRotationLabel, Value(metrics.SurfaceRotationDeg, text), "–"));
        rows.Add((text.KyphosisLabel, Value(metrics.KyphosisDeg, text), "–"));
        rows.Add((text.LordosisLabel, Value(metrics.LordosisDeg, text), "–"));
        rows.Add((text.TrunkInclinationLabel, Value(metrics.TrunkInclinationDeg, text), "–"));
        rows.Add((text.ShoulderLabel, Value(metrics.ShoulderHeightDifferenceMm, text), "–"));
        rows.Add((text.ScapulaLabel, Value(metrics.ScapulaAsymmetryMm, text), "–"));
        rows.Add((text.WaistLabel, Value(metrics.WaistTriangleAsymmetryPct, text), "–"));
        rows.Add((text.PelvicLabel, Value(metrics.PelvicObliquityDeg, text), "–"));
        rows.Add((text.TrunkImbalanceLabel, Value(metrics.TrunkImbalanceMm, text), "–"));

        // The value column holds a Cobb estimate with its 90 % interval, e.g. "23.4° (90 %: 20–27°)".
        var valueWidth = 96.0;
        var thresholdWidth = 84.0;
        var labelWidth = width - valueWidth - thresholdWidth;
        var style = Ink.Cell(false);
        var header = Ink.Cell(true);
        var gfx = ink.Gfx;
        gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xE3, 0xEA, 0xF2)), x, y, width, header.LineHeight + 4);
        ink.Line(text.MetricColumn, header, XColors.Black, x + 3, y + header.Size + 2);
        ink.Line(text.ValueColumn, header, XColors.Black, x + labelWidth + 3, y + header.Size + 2);
        ink.Line(text.ThresholdColumn, header, XColors.Black, x + labelWidth + valueWidth + 3, y + header.Size + 2);
        y += header.LineHeight + 4;
        var rule = new XPen(XColor.FromArgb(0xDD, 0xDD, 0xDD), 0.5);
        var odd = false;
        foreach (var (label, value, threshold) in rows)
        {
            var labelLines = ink.Wrap(label, style, labelWidth - 6);
            var thresholdLines = ink.Wrap(threshold, style, thresholdWidth - 6);
            var valueLines = ink.Wrap(value, Ink.Cell(true), valueWidth - 6);
            var lines = Math.Max(Math.Max(labelLines.Count, thresholdLines.Count), valueLines.Count);
            var height = (lines * style.LineHeight) + 4;
            if (odd)
            {
                gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xF6, 0xF8, 0xFA)), x, y, width, height);
            }

            odd = !odd;
            var baseline = y + style.Size + 2;
            for (var i = 0; i < labelLines.Count; i++)
            {
                ink.Line(labelLines[i], style, XColors.Black, x + 3, baseline + (i * style.LineHeight));
            }

            for (var i = 0; i < valueLines.Count; i++)
            {
                ink.Line(valueLines[i], Ink.Cell(true), XColors.Black, x + labelWidth + 3, baseline + (i * style.LineHeight));
            }
            for (var i = 0; i < thresholdLines.Count; i++)
            {
                ink.Line(thresholdLines[i], style, XColors.DimGray, x + labelWidth + valueWidth + 3, baseline + (i * style.LineHeight));
            }

            y += height;
            gfx.DrawLine(rule, x, y, x + width, y);
        }

        if (metrics.CobbDeg.Any(c => c.Interval90 is not null))
        {
            y = ink.Wrapped(text.CobbIntervalMeaning, Ink.Small(false), XColors.DimGray, x, y + 3, width);
        }

        return y;
    }

    private static double DrawQuality(Ink ink, ReportText text, CaptureQuality quality, double x, double y, double width)
    {
        ink.Line(text.QualityHeading, Ink.Heading(11), XColors.Black, x, y + 10);
        y += 18;
        var style = Ink.Cell(false);
        y = ink.Wrapped(quality.Accepted ? text.QualityAccepted : text.QualityRejected, Ink.Cell(true),
            quality.Accepted ? XColor.FromArgb(0x2E, 0x7D, 0x32) : XColor.FromArgb(0xC6, 0x28, 0x28), x, y, width);
        foreach (var reason in quality.Reasons)
        {
            y = ink.Wrapped("• " + reason.Message + " (" + reason.Code + ")", style, XColors.Black, x + 6, y, width - 6);
        }

        var facts = new List<string>();
        if (quality.ValidPixelFraction is { } valid)
        {
            facts.Add(text.ValidPixelsLabel + ": " + Number(valid * 100) + " %");
        }

        if (quality.DistanceMm is { } distance)
        {
            facts.Add(text.DistanceLabel + ": " + distance.ToString("0", Inv) + " mm");
        }

        if (quality.FramesUsed is { } frames)
        {
            facts.Add(text.FramesLabel + ": " + frames.ToString(Inv));
        }

        foreach (var fact in facts)
        {
            y = ink.Wrapped(fact, style, XColors.DimGray, x, y, width);
        }

        return y;
    }

    private static double DrawSection(Ink ink, string heading, string body, double x, double y, double width)
    {
        ink.Line(heading, Ink.Heading(11), XColors.Black, x, y + 10);
        return ink.Wrapped(body, Ink.Body(false), XColors.Black, x, y + 15, width);
    }

    private static void DrawQr(Ink ink, ReportText text, Uri link, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(link.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var n = matrix.Count;
        var module = size / n;
        var gfx = ink.Gfx;
        gfx.DrawRectangle(XBrushes.White, x, y, size, size);
        for (var row = 0; row < n; row++)
        {
            // Runs of dark modules as one rectangle each: crisp at any zoom, no image decoding.
            var col = 0;
            while (col < n)
            {
                if (!matrix[row][col])
                {
                    col++;
                    continue;
                }

                var start = col;
                while (col < n && matrix[row][col])
                {
                    col++;
                }

                gfx.DrawRectangle(XBrushes.Black, x + (start * module), y + (row * module), ((col - start) * module) + 0.05, module + 0.05);
            }
        }

        ink.Wrapped(text.QrCaption, Ink.Small(false), XColors.DimGray, x, y + size + 3, size);
    }

    private static string Value(Metric? metric, ReportText text) => metric is null ? text.NotMeasured : Format(metric.Value, metric.Unit);

    [LoggerMessage(Level = LogLevel.Error, Message = "PDF reports are unavailable: {Reason}")]
    private static partial void LogNoLatin(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Chinese font found for PDF reports (looked for {Candidates}): zh-Hant and zh-Hans PDFs will fail. Install fonts-droid-fallback or fonts-noto-cjk, or set PdfReports:CjkFont.")]
    private static partial void LogNoCjk(ILogger logger, string candidates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PDF reports use the CFF font {Path} for Chinese: PDFsharp embeds it whole (about 13 MB per Chinese PDF). Install fonts-droid-fallback for small PDFs.")]
    private static partial void LogCffCjk(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "PDF reports use {Path} for Chinese")]
    private static partial void LogCjk(ILogger logger, string path);
}
