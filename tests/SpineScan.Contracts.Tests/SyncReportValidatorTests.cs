using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Contracts.Tests;

public sealed class SyncReportValidatorTests
{
    [Fact]
    public void Validate_SampleReport_HasNoErrors()
    {
        Assert.Empty(SyncReportValidator.Validate(SampleReports.Report("dev-1", "SCH1")));
        Assert.Empty(SyncReportValidator.Validate(SampleReports.Report("dev-1", "SCH1", accepted: false)));
    }

    [Fact]
    public void Validate_NotUuidV7_NamesReportId()
    {
        var report = SampleReports.Report("dev-1", "SCH1") with { ReportId = Guid.NewGuid() };
        Assert.Contains(SyncReportValidator.Validate(report), e => e.Field == "reportId");
    }

    [Fact]
    public void Validate_CurvesNotLargestFirst_NamesCobbDeg()
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var metrics = report.Analysis.Metrics with { CobbDeg = [.. report.Analysis.Metrics.CobbDeg.Reverse()] };
        report = report with { Analysis = report.Analysis with { Metrics = metrics } };

        Assert.Contains(SyncReportValidator.Validate(report), e => e.Field == "analysis.metrics.cobbDeg");
    }

    [Fact]
    public void Validate_BadPseudonymAgeAndDepthMap_NamesEach()
    {
        var report = SampleReports.Report("dev-1", "SCH1") with
        {
            PupilPseudonym = "123456",
            AgeMonths = -1,
            DepthMap = new ReviewDepthMap(10, 10, 5, 0, 0, new byte[10]),
        };
        var fields = SyncReportValidator.Validate(report).Select(e => e.Field).ToList();

        Assert.Contains("pupilPseudonym", fields);
        Assert.Contains("ageMonths", fields);
        Assert.Contains("depthMap.depthsMm", fields);
    }

    [Fact]
    public void Validate_BadForwardBendDepthMap_NamesItAndAGoodOneIsValid()
    {
        var report = SampleReports.Report("dev-1", "SCH1");

        Assert.Contains(SyncReportValidator.Validate(report with { ForwardBendDepthMap = new ReviewDepthMap(10, 10, 5, 0, 0, new byte[10]) }),
            e => e.Field == "forwardBendDepthMap.depthsMm");
        Assert.Empty(SyncReportValidator.Validate(report with { ForwardBendDepthMap = SampleReports.DepthMap(40, 56) }));
    }

    [Fact]
    public void Validate_RetakeWithAcceptedQuality_NamesCategory()
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        report = report with { Analysis = report.Analysis with { Category = ScreeningCategory.Retake } };
        Assert.Contains(SyncReportValidator.Validate(report), e => e.Field == "analysis.category");
    }

    [Fact]
    public void Validate_AnalysisSchemaV1_AsksForADeviceUpdate()
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        report = report with { Analysis = report.Analysis with { Schema = AnalysisResult.SchemaV1 } };
        var error = Assert.Single(SyncReportValidator.Validate(report), e => e.Field == "analysis.schema");
        Assert.Contains("update the device", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(21, 30)] // the value, 20, lies below the interval
    [InlineData(10, 19)] // above it
    [InlineData(-1, 25)]
    [InlineData(15, double.NaN)]
    [InlineData(15, 200)]
    public void Validate_IntervalNotAroundTheValue_NamesIt(double lower, double upper)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var curves = report.Analysis.Metrics.CobbDeg.ToList();
        curves[0] = curves[0] with { Value = 20, Interval90 = new CobbInterval(lower, upper) };
        report = report with { Analysis = report.Analysis with { Metrics = report.Analysis.Metrics with { CobbDeg = curves } } };
        Assert.Contains(SyncReportValidator.Validate(report), e => e.Field == "analysis.metrics.cobbDeg[0].interval90");
    }

    [Fact]
    public void Validate_NoModelsOrABadHash_NamesModels()
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var none = report with { Analysis = report.Analysis with { Models = [] } };
        var badHash = report with { Analysis = report.Analysis with { Models = [new ModelInfo("spinal-line", "ABC")] } };
        Assert.Contains(SyncReportValidator.Validate(none), e => e.Field == "analysis.models");
        Assert.Contains(SyncReportValidator.Validate(badHash), e => e.Field == "analysis.models[0].sha256");
    }

    [Theory]
    [InlineData(25, 3, ScreeningCategory.Refer)]
    [InlineData(5, 7, ScreeningCategory.Refer)]
    [InlineData(12, 3, ScreeningCategory.Rescreen)]
    [InlineData(5, 5, ScreeningCategory.Rescreen)]
    [InlineData(9.9, 4.9, ScreeningCategory.Normal)]
    public void Categorize_DefaultThresholds_MatchesDesign(double cobb, double atr, ScreeningCategory expected) =>
        Assert.Equal(expected, CategoryThresholds.Default.Categorize(cobb, atr));
}
