using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;
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
    private readonly TimeProvider _time;

    /// <summary>Creates the renderer and installs the fonts (once per process); a missing Latin font is logged, and every render then fails naming it.</summary>
    /// <param name="options">Where the fonts are.</param>
    /// <param name="logger">Says which fonts are in use, or which are missing.</param>
    /// <param name="time">The clock for a PDF's creation date when the report names none; null: the system's.</param>
    public PdfReportRenderer(IOptions<PdfReportOptions> options, ILogger<PdfReportRenderer> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
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
        // Uncompressed here: PdfArchive compresses every stream completely (PDFsharp's own Flate streams end early).
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        var tagging = UAManager.ForDocument(document);
        document.ViewerPreferences.DisplayDocTitle = true; // PDF/UA: viewers show the title, not the file name
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            tagging.SetDocumentLanguage(report.Language.Code());
            var ink = new Ink(gfx, fonts.HasCjk, tagging.StructureBuilder);
            var y = DrawHeader(ink, text, report, Margin);
            y = DrawCategory(ink, text, report, category, y + 10);
            var top = y + 14;
            var leftBottom = DrawHeatMap(ink, text, report, Margin, top, 200);
            var rightX = Margin + 214;
            var rightBottom = DrawMetrics(ink, text, report, thresholds, rightX, top, ContentWidth - 214);
            rightBottom = DrawQuality(ink, text, report.Analysis.Quality, rightX, rightBottom + 12, ContentWidth - 214);
            y = Math.Max(leftBottom, rightBottom) + 14;
            var textWidth = report.ParentLink is null ? ContentWidth : ContentWidth - 110;
            y = DrawSection(ink, text.MeasuredHeading, text.Measured, Margin, y, textWidth);
            y = DrawSection(ink, text.ExplanationHeading, text.Explanation, Margin, y + 6, textWidth);
            ink.Paragraph(text.Disclaimer, Ink.Small(true), XColors.Black, Margin, y + 4, textWidth);
            if (report.ParentLink is { } link)
            {
                DrawQr(ink, text, link, PageWidth - Margin - 96, PageHeight - Margin - 130, 96);
            }

            var footer = string.Format(Inv, text.Footer, string.Join(", ", report.Analysis.Models.Select(m => m.Id)), report.Analysis.AlgorithmVersion);
            ink.Tagged(PdfBlockLevelElementTag.Paragraph, () => ink.Line(footer, Ink.Tiny(), XColors.Gray, Margin, PageHeight - Margin + 12));
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return PdfArchive.Finish(output.ToArray(), new PdfArchiveInfo(text.Title, report.Language.Code(), report.RenderedAt ?? _time.GetUtcNow()));
    }

    private static double DrawHeader(Ink ink, ReportText text, ScreeningReport report, double y)
    {
        var blue = XColor.FromArgb(0x0D, 0x47, 0xA1);
        ink.Heading(PdfBlockLevelElementTag.Heading1, text.Title, Ink.Title(), blue, Margin, y + 20);
        var date = report.CapturedAt.ToString("yyyy-MM-dd", Inv);
        var dateLine = text.DateLabel + ": " + date;
        var style = Ink.Body(false);
        ink.Tagged(PdfBlockLevelElementTag.Paragraph, () => ink.Line(dateLine, style, XColors.DimGray, PageWidth - Margin - ink.Measure(dateLine, style), y + 18));
        y += 30;
        if (!string.IsNullOrWhiteSpace(report.ChildName))
        {
            var name = text.NameLabel + ": " + report.ChildName.Trim();
            ink.Tagged(PdfBlockLevelElementTag.Paragraph, () => ink.Line(name, Ink.Body(true), XColors.Black, Margin, y + 12));
            y += 18;
        }

        var rule = y + 2;
        ink.Artifact(() => ink.Gfx.DrawLine(new XPen(blue, 1), Margin, rule, PageWidth - Margin, rule));
        return rule;
    }

    private static double DrawCategory(Ink ink, ReportText text, ScreeningReport report, ScreeningCategory category, double y)
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
        var body = Ink.Body(false);
        var nextLines = ink.Wrap(text.Next(category), body, inner);
        var change = report.Change?.Note(text, report.Analysis.Category, category);
        var changeLines = change is null ? [] : ink.Wrap(change, Ink.Small(false), inner);
        var height = Pad + 12 + 22 + 14 + (nextLines.Count * body.LineHeight) + Pad - 4
            + (changeLines.Count == 0 ? 0 : 4 + (changeLines.Count * Ink.Small(false).LineHeight));
        ink.Artifact(() =>
        {
            ink.Gfx.DrawRectangle(new XSolidBrush(fill), Margin, y, ContentWidth, height);
            ink.Gfx.DrawRectangle(new XSolidBrush(edge), Margin, y, 6, height);
        });
        var x = Margin + 6 + Pad;
        var line = y + Pad + 9;
        ink.Heading(PdfBlockLevelElementTag.Heading2, text.ResultHeading, Ink.Small(true), XColors.DimGray, x, line);
        line += 20;
        // The category's own colour is darkened for text: 4.5:1 against the tinted box.
        ink.Tagged(PdfBlockLevelElementTag.Paragraph, () => ink.Line(text.Category(category), Ink.Heading(16), Darker(edge), x, line));
        line += 16;
        ink.Heading(PdfBlockLevelElementTag.Heading2, text.NextHeading, Ink.Small(true), XColors.DimGray, x, line);
        line += body.LineHeight;
        var first = line;
        ink.Tagged(PdfBlockLevelElementTag.Paragraph, () =>
        {
            for (var i = 0; i < nextLines.Count; i++)
            {
                ink.Line(nextLines[i], body, XColors.Black, x, first + (i * body.LineHeight));
            }
        });
        line += nextLines.Count * body.LineHeight;
        if (changeLines.Count > 0)
        {
            var start = line;
            ink.Tagged(PdfBlockLevelElementTag.Paragraph, () =>
            {
                for (var i = 0; i < changeLines.Count; i++)
                {
                    ink.Line(changeLines[i], Ink.Small(false), XColors.Black, x, start + (i * Ink.Small(false).LineHeight));
                }
            });
        }

        return y + height;
    }

    private static XColor Darker(XColor c) => XColor.FromArgb((int)(c.R * 0.8), (int)(c.G * 0.8), (int)(c.B * 0.8));

    private static double DrawHeatMap(Ink ink, ReportText text, ScreeningReport report, double x, double y, double width)
    {
        ink.Heading(PdfBlockLevelElementTag.Heading2, text.HeatMapHeading, Ink.Heading(11), XColors.Black, x, y + 10);
        y += 18;
        if (report.DepthMap is not { } map)
        {
            return ink.Paragraph(text.NotMeasured, Ink.Small(false), XColors.DimGray, x, y + 2, width);
        }

        var scale = Math.Min(width / map.Width, 280.0 / map.Height);
        double w = map.Width * scale, h = map.Height * scale;
        var gfx = ink.Gfx;
        var top = y;
        ink.Figure(text.HeatMapAlt, new XRect(x, top, w, h), () =>
        {
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0x22, 0x22, 0x22)), x, top, w, h);
            using (var png = new MemoryStream(HeatMap.RenderPng(map)))
            {
                using var image = XImage.FromStream(png);
                image.Interpolate = false;
                gfx.DrawImage(image, x, top, w, h);
            }

            var state = gfx.Save();
            gfx.IntersectClip(new XRect(x, top, w, h));
            var contour = new XPen(XColor.FromArgb(150, 255, 255, 255), 0.35);
            foreach (var s in HeatMap.Contours(map))
            {
                gfx.DrawLine(contour, x + (s.X1 * scale), top + (s.Y1 * scale), x + (s.X2 * scale), top + (s.Y2 * scale));
            }

            var spine = report.Analysis.SpinalLine.CameraMm;
            if (spine.Count > 1)
            {
                var points = new XPoint[spine.Count];
                for (var i = 0; i < spine.Count; i++)
                {
                    var (px, py) = HeatMap.ToPixel(map, spine[i]);
                    points[i] = new XPoint(x + (px * scale), top + (py * scale));
                }

                gfx.DrawLines(new XPen(XColor.FromArgb(0xFF, 0xEB, 0x3B), 1.6) { LineJoin = XLineJoin.Round }, points);
            }

            var landmarkFill = new XSolidBrush(XColor.FromArgb(0x00, 0xE5, 0xFF));
            var landmarkEdge = new XPen(XColors.Black, 0.5);
            foreach (var landmark in report.Analysis.Landmarks)
            {
                var (px, py) = HeatMap.ToPixel(map, landmark.CameraMm);
                gfx.DrawEllipse(landmarkEdge, landmarkFill, x + (px * scale) - 2.6, top + (py * scale) - 2.6, 5.2, 5.2);
            }

            gfx.Restore(state);
        });
        y += h + 4;
        y = ink.Paragraph(text.HeatMapHelp, Ink.Small(false), XColors.DimGray, x, y, width);
        return ink.Paragraph(string.Format(Inv, text.HeatMapOverlay, HeatMap.ContourStepMm), Ink.Small(false), XColors.DimGray, x, y + 3, width);
    }

    private static double DrawMetrics(Ink ink, ReportText text, ScreeningReport report, CategoryThresholds thresholds, double x, double y, double width)
    {
        ink.Heading(PdfBlockLevelElementTag.Heading2, text.MetricsHeading, Ink.Heading(11), XColors.Black, x, y + 10);
        y += 18;
        var rows = new List<(string Label, string Value, string Threshold)>();
        var metrics = report.Analysis.Metrics;
        if (report.Xray is { } xray)
        {
            rows.Add((string.Format(Inv, text.XrayLabel, xray.Date.ToString("yyyy-MM-dd", Inv)), ReportFormat.Degrees(xray.CobbDeg), "–"));
        }

        var cobbThreshold = string.Format(Inv, text.ThresholdFormat, ReportFormat.Degrees(thresholds.RescreenCobbDeg), ReportFormat.Degrees(thresholds.ReferCobbDeg));
        var curves = ReportFormat.ShownCurves(metrics);
        if (curves.Count == 0)
        {
            rows.Add((text.CobbLabel, metrics.CobbDeg.Count == 0 ? text.NotMeasured : text.NoCurve, cobbThreshold));
        }

        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var label = text.CobbLabel + " · " + text.Region(curve.Region) + (curve.ApexLevel is { } apex ? " (" + apex + ")" : "");
            rows.Add((label, ReportFormat.Cobb(curve, text), i == 0 ? cobbThreshold : "–"));
        }

        // "No sign of scoliosis" beside a curve pattern reads as a contradiction: the pattern is shown only when the result is not normal.
        if (report.Analysis.Category != ScreeningCategory.Normal)
        {
            rows.Add((text.CurvePatternLabel, text.Pattern(metrics.CurvePattern), "–"));
        }

        rows.Add((text.AtrLabel, Value(metrics.AtrDeg, text),
            string.Format(Inv, text.ThresholdFormat, ReportFormat.Degrees(thresholds.RescreenAtrDeg), ReportFormat.Degrees(thresholds.ReferAtrDeg))));
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
        var rule = new XPen(XColor.FromArgb(0xDD, 0xDD, 0xDD), 0.5);
        ink.Group(PdfBlockLevelElementTag.Table, () =>
        {
            var headerTop = y;
            ink.Artifact(() => gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xE3, 0xEA, 0xF2)), x, headerTop, width, header.LineHeight + 4));
            ink.Group(PdfBlockLevelElementTag.TableRow, () =>
            {
                ink.Tagged(PdfBlockLevelElementTag.TableHeaderCell, () => ink.Line(text.MetricColumn, header, XColors.Black, x + 3, headerTop + header.Size + 2));
                ink.Tagged(PdfBlockLevelElementTag.TableHeaderCell, () => ink.Line(text.ValueColumn, header, XColors.Black, x + labelWidth + 3, headerTop + header.Size + 2));
                ink.Tagged(PdfBlockLevelElementTag.TableHeaderCell, () => ink.Line(text.ThresholdColumn, header, XColors.Black, x + labelWidth + valueWidth + 3, headerTop + header.Size + 2));
            });
            y += header.LineHeight + 4;
            var odd = false;
            foreach (var (label, value, threshold) in rows)
            {
                var labelLines = ink.Wrap(label, style, labelWidth - 6);
                var thresholdLines = ink.Wrap(threshold, style, thresholdWidth - 6);
                var valueLines = ink.Wrap(value, Ink.Cell(true), valueWidth - 6);
                var lines = Math.Max(Math.Max(labelLines.Count, thresholdLines.Count), valueLines.Count);
                var height = (lines * style.LineHeight) + 4;
                var rowTop = y;
                if (odd)
                {
                    ink.Artifact(() => gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xF6, 0xF8, 0xFA)), x, rowTop, width, height));
                }

                odd = !odd;
                var baseline = y + style.Size + 2;
                ink.Group(PdfBlockLevelElementTag.TableRow, () =>
                {
                    Cell(ink, labelLines, style, XColors.Black, x + 3, baseline);
                    Cell(ink, valueLines, Ink.Cell(true), XColors.Black, x + labelWidth + 3, baseline);
                    Cell(ink, thresholdLines, style, XColors.DimGray, x + labelWidth + valueWidth + 3, baseline);
                });
                y += height;
                var bottom = y;
                ink.Artifact(() => gfx.DrawLine(rule, x, bottom, x + width, bottom));
            }
        });

        if (metrics.CobbDeg.Any(c => c.Interval90 is not null))
        {
            y = ink.Paragraph(text.CobbIntervalMeaning, Ink.Small(false), XColors.DimGray, x, y + 3, width);
        }

        return y;
    }

    private static void Cell(Ink ink, List<string> lines, TextStyle style, XColor color, double x, double baseline) =>
        ink.Tagged(PdfBlockLevelElementTag.TableDataCell, () =>
        {
            for (var i = 0; i < lines.Count; i++)
            {
                ink.Line(lines[i], style, color, x, baseline + (i * style.LineHeight));
            }
        });

    private static double DrawQuality(Ink ink, ReportText text, CaptureQuality quality, double x, double y, double width)
    {
        ink.Heading(PdfBlockLevelElementTag.Heading2, text.QualityHeading, Ink.Heading(11), XColors.Black, x, y + 10);
        y += 18;
        var style = Ink.Cell(false);
        y = ink.Paragraph(quality.Accepted ? text.QualityAccepted : text.QualityRejected, Ink.Cell(true),
            quality.Accepted ? XColor.FromArgb(0x2E, 0x7D, 0x32) : XColor.FromArgb(0xC6, 0x28, 0x28), x, y, width);
        if (quality.Reasons.Count > 0)
        {
            ink.Group(PdfBlockLevelElementTag.List, () =>
            {
                foreach (var reason in quality.Reasons)
                {
                    ink.Group(PdfBlockLevelElementTag.ListItem, () =>
                    {
                        var top = y;
                        ink.Tagged(PdfBlockLevelElementTag.Label, () => ink.Line("•", style, XColors.Black, x + 6, top + style.Size));
                        ink.Tagged(PdfBlockLevelElementTag.ListBody, () => y = ink.Wrapped(reason.Message, style, XColors.Black, x + 14, top, width - 14));
                    });
                }
            });
        }

        var facts = new List<string>();
        if (quality.ValidPixelFraction is { } valid)
        {
            facts.Add(text.ValidPixelsLabel + ": " + ReportFormat.Number(valid * 100) + " %");
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
            y = ink.Paragraph(fact, style, XColors.DimGray, x, y, width);
        }

        return y;
    }

    private static double DrawSection(Ink ink, string heading, string body, double x, double y, double width)
    {
        ink.Heading(PdfBlockLevelElementTag.Heading2, heading, Ink.Heading(11), XColors.Black, x, y + 10);
        return ink.Paragraph(body, Ink.Body(false), XColors.Black, x, y + 15, width);
    }

    private static void DrawQr(Ink ink, ReportText text, Uri link, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(link.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var n = matrix.Count;
        var module = size / n;
        var gfx = ink.Gfx;
        ink.Figure(text.QrAlt, new XRect(x, y, size, size), () =>
        {
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
        });

        ink.Paragraph(text.QrCaption, Ink.Small(false), XColors.DimGray, x, y + size + 3, size);
    }

    private static string Value(Metric? metric, ReportText text) => metric is null ? text.NotMeasured : ReportFormat.Format(metric.Value, metric.Unit);

    [LoggerMessage(Level = LogLevel.Error, Message = "PDF reports are unavailable: {Reason}")]
    private static partial void LogNoLatin(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Chinese font found for PDF reports (looked for {Candidates}): zh-Hant and zh-Hans PDFs will fail. Install fonts-droid-fallback or fonts-noto-cjk, or set PdfReports:CjkFont.")]
    private static partial void LogNoCjk(ILogger logger, string candidates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PDF reports use the CFF font {Path} for Chinese: PDFsharp embeds it whole (about 13 MB per Chinese PDF). Install fonts-droid-fallback for small PDFs.")]
    private static partial void LogCffCjk(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "PDF reports use {Path} for Chinese")]
    private static partial void LogCjk(ILogger logger, string path);
}
