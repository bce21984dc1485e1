using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Testing;
using UglyToad.PdfPig;

namespace SpineScan.Reports.Pdf.Tests;

public sealed class PdfReportRendererTests
{
    private const string Noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    private static readonly PdfReportRenderer Renderer = new(Options.Create(new PdfReportOptions()), NullLogger<PdfReportRenderer>.Instance);

    private static ScreeningReport Sample(ReportLanguage language, double cobb = 23.4, double atr = 6.2, Uri? link = null, string? name = null) =>
        new(SampleReports.Analysis(cobb, atr), new DateTimeOffset(2025, 9, 15, 9, 30, 0, TimeSpan.FromHours(8)), language,
            CategoryThresholds.Default, SampleReports.DepthMap(), name, link);

    /// <summary>Text without white space: wrapping and extraction put line breaks and spaces where they like.</summary>
    private static string Flat(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static (string Text, int Images, int Pages) Read(byte[] pdf)
    {
        // SPINESCAN_PDF_OUT=/tmp/pdfs keeps each rendered PDF for a look (pdftoppm -png -r 60 file.pdf page).
        if (Environment.GetEnvironmentVariable("SPINESCAN_PDF_OUT") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"report-{Guid.NewGuid():N}.pdf"), pdf);
        }

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        return (string.Concat(pages.Select(p => p.Text)), pages.Sum(p => p.GetImages().Count()), pages.Count);
    }

    [Fact]
    public void Render_English_HoldsCategoryNumbersAndHeatMap()
    {
        var report = Sample(ReportLanguage.English, link: new Uri("https://spinescan.example/r/abc"));
        var pdf = Renderer.Render(report);
        var (text, images, pages) = Read(pdf);

        Assert.Equal(1, pages);
        Assert.Contains("Referral to a doctor advised", text, StringComparison.Ordinal);
        Assert.Contains(report.Analysis.LargestCobbDeg!.Value.ToString("0.0", CultureInfo.InvariantCulture) + "°", text, StringComparison.Ordinal);
        Assert.Contains(report.Analysis.Metrics.AtrDeg!.Value.ToString("0.0", CultureInfo.InvariantCulture) + "°", text, StringComparison.Ordinal);
        Assert.Contains("20.0°", text, StringComparison.Ordinal);
        Assert.Contains("2025-09-15", text, StringComparison.Ordinal);
        Assert.Contains("Capture quality", text, StringComparison.Ordinal);
        Assert.True(images >= 1, "The heat map is an image.");
    }

    [Fact]
    public void Render_NormalSlip_ListsNoCurvePatternNoZeroCurveAndNoWordsAboutOtherChildren()
    {
        var analysis = SampleReports.Analysis(4.2, 2.1);
        analysis = analysis with
        {
            Metrics = analysis.Metrics with { CobbDeg = [analysis.Metrics.CobbDeg[0], analysis.Metrics.CobbDeg[1] with { Value = 0.02 }] },
        };
        Assert.Equal(ScreeningCategory.Normal, analysis.Category);
        var report = new ScreeningReport(analysis, new DateTimeOffset(2025, 9, 15, 9, 30, 0, TimeSpan.FromHours(8)), ReportLanguage.English,
            CategoryThresholds.Default, SampleReports.DepthMap(), null, null);

        var (text, _, _) = Read(Renderer.Render(report));

        Assert.Contains("No sign of scoliosis", text, StringComparison.Ordinal);
        Assert.Contains("4.2°", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<![0-9.])0\.0°", text);
        Assert.DoesNotContain("lower back (L2)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Curve pattern", text, StringComparison.Ordinal);
        Assert.DoesNotContain("double curve", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Most children", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReferSlip_StillShowsTheCurvePattern()
    {
        var (text, _, _) = Read(Renderer.Render(Sample(ReportLanguage.English)));

        Assert.Contains("Curve pattern", text, StringComparison.Ordinal);
        Assert.Contains("double curve (S)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReportLanguage.English, "23.4° (90 %: 20–27°)", "11.7° (90 %: 9–16°)")]
    [InlineData(ReportLanguage.TraditionalChinese, "23.4°（90 % 區間：20–27°）", "11.7°（90 % 區間：9–16°）")]
    [InlineData(ReportLanguage.SimplifiedChinese, "23.4°（90 % 区间：20–27°）", "11.7°（90 % 区间：9–16°）")]
    public void Render_CobbEstimates_EachWithIts90PercentIntervalAndWhatItMeans(ReportLanguage language, string largest, string second)
    {
        var (text, _, _) = Read(Renderer.Render(Sample(language)));
        // A wrapped line loses its breaking space in the extracted text: compare without white space.
        static string Flat(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

        Assert.Contains(Flat(largest), Flat(text), StringComparison.Ordinal);
        Assert.Contains(Flat(second), Flat(text), StringComparison.Ordinal);
        Assert.Contains(Flat(ReportText.For(language).CobbIntervalMeaning), Flat(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReportLanguage.TraditionalChinese, "脊柱篩查報告", "建議轉介醫生")]
    [InlineData(ReportLanguage.SimplifiedChinese, "脊柱筛查报告", "建议转诊医生")]
    public void Render_Chinese_HoldsChineseTextAndNumbers(ReportLanguage language, string title, string category)
    {
        Assert.True(Renderer.Fonts.HasCjk, "No CJK font: install fonts-droid-fallback or fonts-noto-cjk.");
        var pdf = Renderer.Render(Sample(language));
        var (text, images, _) = Read(pdf);

        Assert.Contains(title, text, StringComparison.Ordinal);
        Assert.Contains(category, text, StringComparison.Ordinal);
        Assert.Contains("23.4°", text, StringComparison.Ordinal);
        Assert.Contains("6.2°", text, StringComparison.Ordinal);
        Assert.True(images >= 1);
    }

    [Fact]
    public void Render_NormalWithoutDepthMap_SaysNormalAndHasNoImage()
    {
        var report = Sample(ReportLanguage.English, cobb: 4, atr: 2) with { DepthMap = null };
        var (text, images, _) = Read(Renderer.Render(report));

        Assert.Contains("No sign of scoliosis", text, StringComparison.Ordinal);
        Assert.Contains("4.0°", text, StringComparison.Ordinal);
        Assert.Equal(0, images);
    }

    [Fact]
    public void Render_ClinicianOverride_PrintsCategoryInForce()
    {
        var report = Sample(ReportLanguage.English) with { Category = ScreeningCategory.Rescreen };
        var (text, _, _) = Read(Renderer.Render(report));

        Assert.Contains("Re-screening advised", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Referral to a doctor advised", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DeviceSlipWithName_PrintsName()
    {
        var (text, _, _) = Read(Renderer.Render(Sample(ReportLanguage.SimplifiedChinese, name: "陈小明")));

        Assert.Contains("陈小明", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Retake_ListsQualityReasons()
    {
        var analysis = SampleReports.Analysis(12, 4, accepted: false);
        var (text, _, _) = Read(Renderer.Render(new ScreeningReport(analysis, DateTimeOffset.UnixEpoch)));

        Assert.Contains("The scan needs to be repeated", text, StringComparison.Ordinal);
        Assert.Contains("Hair covers the neck: tie it up and retake.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hair_covers_c7", text, StringComparison.Ordinal); // a code name is for machines
    }

    [Fact]
    public void Render_CobbEstimate_PrintsIts90PercentInterval()
    {
        var (text, _, _) = Read(Renderer.Render(Sample(ReportLanguage.English, cobb: 18)));

        // SampleReports gives 3 degrees below and 4 above.
        Assert.Contains(Flat("18.0° (90 %: 15–22°)"), Flat(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CurveOfZeroDegrees_HasNoZeroRow()
    {
        var analysis = SampleReports.Analysis(0.2, 2);
        var (text, _, _) = Read(Renderer.Render(new ScreeningReport(analysis, DateTimeOffset.UnixEpoch)));

        Assert.Contains(Flat("no sideways curve measured"), Flat(text), StringComparison.Ordinal);
        Assert.DoesNotContain("0.2°", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.1°", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_XrayOutcome_PrintsTheRadiographicAngleAndDate()
    {
        var report = Sample(ReportLanguage.English, cobb: 24) with { Xray = new XrayOutcome(27.5, new DateOnly(2025, 10, 20)) };
        var (text, _, _) = Read(Renderer.Render(report));

        Assert.Contains(Flat("Cobb angle on the X-ray of 2025-10-20"), Flat(text), StringComparison.Ordinal);
        Assert.Contains("27.5°", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "a clinician reviewed this screening and changed the result from “No sign of scoliosis” to “Referral to a doctor advised”")]
    [InlineData(false, "the screening programme re-checked the measurements and changed the result from “No sign of scoliosis”")]
    public void Render_ResultChangedAfterTheSlip_SaysSoAndThatTheSlipMayDiffer(bool byClinician, string expected)
    {
        var analysis = SampleReports.Analysis(4, 2) with { Category = ScreeningCategory.Normal };
        var report = new ScreeningReport(analysis, DateTimeOffset.UnixEpoch, Category: ScreeningCategory.Refer, Change: new ResultChange(new DateOnly(2025, 9, 20), byClinician));
        var (text, _, _) = Read(Renderer.Render(report));

        Assert.Contains("Referral to a doctor advised", text, StringComparison.Ordinal);
        Assert.Contains("2025-09-20", text, StringComparison.Ordinal);
        Assert.Contains(Flat(expected), Flat(text), StringComparison.Ordinal);
        Assert.Contains(Flat("The slip printed at school may still say “No sign of scoliosis”"), Flat(text), StringComparison.Ordinal);
    }

    [PdfToolsTheory]
    [InlineData(ReportLanguage.English)]
    [InlineData(ReportLanguage.TraditionalChinese)]
    [InlineData(ReportLanguage.SimplifiedChinese)]
    public void Render_IsPdfA2bAndTaggedPdfUa_AsTheToolsSee(ReportLanguage language)
    {
        var sample = Sample(language, link: new Uri("https://spinescan.example/r/abc"), name: "陈小明");
        var quality = sample.Analysis.Quality with { Reasons = [new QualityReason("slight_motion", "Slight motion between frames; the result stands.", Blocking: false)] };
        var report = sample with
        {
            Analysis = sample.Analysis with { Quality = quality },
            Xray = new XrayOutcome(26, new DateOnly(2025, 10, 2)),
            Change = new ResultChange(new DateOnly(2025, 9, 20), ByClinician: true),
            Category = ScreeningCategory.Rescreen,
        };
        var types = PdfChecks.AssertArchivalAndTagged(Renderer.Render(report), language.Code());

        foreach (var type in new[] { "H1", "H2", "P", "Table", "TR", "TH", "TD", "Figure", "L", "LI", "Lbl", "LBody" })
        {
            Assert.Contains(type, types);
        }
    }

    [Fact]
    public void Render_CreationDate_IsTheReportsRenderTime()
    {
        var at = new DateTimeOffset(2025, 9, 16, 3, 4, 5, TimeSpan.Zero);
        var pdf = Renderer.Render(Sample(ReportLanguage.English) with { RenderedAt = at });
        using var document = PdfDocument.Open(pdf);

        Assert.Contains("2025-09-16T03:04:05Z", System.Text.Encoding.UTF8.GetString(pdf), StringComparison.Ordinal);
        Assert.Equal("Spine screening report", document.Information.Title);
    }

    [FontFact("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")]
    public void Render_ChineseWithSubsetFont_StaysSmall()
    {
        Assert.False(Renderer.Fonts.CjkIsCff);
        var pdf = Renderer.Render(Sample(ReportLanguage.TraditionalChinese));

        Assert.True(pdf.Length < 1_000_000, $"{pdf.Length} bytes");
    }

    [FontFact(Noto)]
    public void SingleFace_OfCollection_IsStandaloneFont()
    {
        var face = ReportFonts.SingleFace(File.ReadAllBytes(Noto), 2);

        Assert.Equal("OTTO"u8.ToArray(), face[..4]);
    }
}

/// <summary>A theory that needs qpdf and poppler's tools, and says so when it is skipped.</summary>
public sealed class PdfToolsTheoryAttribute : TheoryAttribute
{
    public PdfToolsTheoryAttribute()
    {
        if (PdfChecks.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}

/// <summary>A fact that needs a font file, and says so when it is skipped.</summary>
public sealed class FontFactAttribute : FactAttribute
{
    public FontFactAttribute(string path)
    {
        if (!File.Exists(path))
        {
            Skip = $"{path} is not installed (Debian: fonts-droid-fallback / fonts-noto-cjk).";
        }
    }
}

public sealed class ReportFontsTests
{
    [Fact]
    public void Load_MissingLatinFont_NamesFileAndPackage()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => ReportFonts.Load(new PdfReportOptions { LatinFont = "/nonexistent/DejaVuSans.ttf" }));

        Assert.Contains("/nonexistent/DejaVuSans.ttf", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-dejavu-core", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingCjkFont_HasNoCjk()
    {
        var fonts = ReportFonts.Load(new PdfReportOptions { CjkFont = "/nonexistent/cjk.ttf" });

        Assert.False(fonts.HasCjk);
    }
}
