using Bunit;
using Microsoft.AspNetCore.Components;
using SpineScan.Contracts;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Fakes;
using SpineScan.Testing;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class ResultViewTests
{
    private static ScreeningOutcome Outcome(AnalysisResult analysis) =>
        new(7, Guid.NewGuid(), 1, analysis, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), 104, null);

    [Theory]
    [InlineData("en", "18.4° (90 %: 15–22°)")]
    [InlineData("zh-Hant", "18.4°（90 % 區間：15–22°）")]
    [InlineData("zh-Hans", "18.4°（90 % 区间：15–22°）")]
    public async Task LargestCobb_WithItsInterval_ShowsTheRangeAndWhatItMeans(string language, string expected)
    {
        var text = KioskText.For(Reports.Pdf.ReportLanguages.FromCode(language));
        await using var context = KioskTestContext.Create(new FakeScreeningStation());

        var cut = context.Render<CascadingValue<KioskText>>(p => p
            .Add(c => c.Value, text)
            .AddChildContent<ResultView>(r => r.Add(v => v.Outcome, Outcome(SampleReports.Analysis(18.4, 4.0)))));

        Assert.StartsWith(expected, cut.Find("#metric-cobb td:nth-child(2)").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(text.CobbIntervalMeaning, cut.Find("#cobb-interval-meaning").TextContent.Trim());
    }

    [Fact]
    public async Task LargestCobb_WithoutAnInterval_ShowsTheValueAlone()
    {
        var analysis = SampleReports.Analysis(18.4, 4.0);
        analysis = analysis with
        {
            Metrics = analysis.Metrics with { CobbDeg = [.. analysis.Metrics.CobbDeg.Select(c => c with { Interval90 = null })] },
        };
        await using var context = KioskTestContext.Create(new FakeScreeningStation());

        var cut = context.Render<ResultView>(p => p.Add(v => v.Outcome, Outcome(analysis)));

        Assert.StartsWith("18.4° · ", cut.Find("#metric-cobb td:nth-child(2)").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#cobb-interval-meaning"));
    }
}
