using System.Text.Json;
using System.Text.Json.Nodes;
using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Contracts.Tests;

public sealed class SyncReportJsonTests
{
    [Fact]
    public void Serialize_Report_UsesCamelCaseAndDocumentedShape()
    {
        var report = SampleReports.Report("dev-1", "SCH1", cobb: 23, atr: 6);
        var json = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport);
        var node = JsonNode.Parse(json)!;

        Assert.Equal("spinescan.report/1", (string?)node["schema"]);
        var cobb = node["analysis"]!["metrics"]!["cobbDeg"]!.AsArray();
        Assert.Equal(23, (double)cobb[0]!["value"]!, 3);
        Assert.True((double)cobb[0]!["value"]! >= (double)cobb[1]!["value"]!);
        Assert.Equal("deg", (string?)node["analysis"]!["metrics"]!["atrDeg"]!["unit"]);
        Assert.Equal("refer", (string?)node["analysis"]!["category"]);
        Assert.True((bool)node["analysis"]!["quality"]!["accepted"]!);
        Assert.NotNull(node["analysis"]!["quality"]!["reasons"]!.AsArray());
        Assert.NotNull(node["analysis"]!["landmarks"]![0]!["cameraMm"]!["x"]);
        Assert.NotNull(node["analysis"]!["spinalLine"]!["bodyMm"]);
        Assert.NotNull(node["analysis"]!["timingsMs"]!["fusion"]);
        Assert.Equal("female", (string?)node["sex"]);
        Assert.IsType<string>((string?)node["depthMap"]!["depthsMm"]);
    }

    [Fact]
    public void RoundTrip_Report_KeepsEveryValue()
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var json = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport);
        var back = JsonSerializer.Deserialize(json, SpineScanJsonContext.Default.SyncReport)!;

        Assert.Equal(report.ReportId, back.ReportId);
        Assert.Equal(report.CapturedAt, back.CapturedAt);
        Assert.Equal(report.Analysis.Metrics.CobbDeg, back.Analysis.Metrics.CobbDeg);
        Assert.Equal(report.Analysis.Metrics.AtrDeg, back.Analysis.Metrics.AtrDeg);
        Assert.Equal(report.DepthMap!.DepthsMm, back.DepthMap!.DepthsMm);
        Assert.Empty(SyncReportValidator.Validate(back));
    }

    [Fact]
    public void RoundTrip_UncalibratedDeviceWithoutAtr_WritesTheNullsItRequiresOnReading()
    {
        // An uncalibrated device (calibrationId null) and a standing-only result (atrDeg null): both parameters are
        // required on reading, so they must be written as explicit nulls, not left out.
        var sample = SampleReports.Report("dev-1", "SCH1");
        var report = sample with { Analysis = sample.Analysis with { CalibrationId = null, Metrics = sample.Analysis.Metrics with { AtrDeg = null } } };

        var json = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport);
        var back = JsonSerializer.Deserialize(json, SpineScanJsonContext.Default.SyncReport)!;

        Assert.Contains("\"calibrationId\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"atrDeg\":null", json, StringComparison.Ordinal);
        Assert.Null(back.Analysis.CalibrationId);
        Assert.Null(back.Analysis.Metrics.AtrDeg);
    }

    [Fact]
    public void Deserialize_MissingRequiredField_ThrowsNamingIt()
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(SampleReports.Report("dev-1", "SCH1"), SpineScanJsonContext.Default.SyncReport))!;
        node["analysis"]!["metrics"]!.AsObject().Remove("cobbDeg");

        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(node.ToJsonString(), SpineScanJsonContext.Default.SyncReport));
        Assert.Contains("cobbDeg", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_NullForNonNullable_Throws()
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(SampleReports.Report("dev-1", "SCH1"), SpineScanJsonContext.Default.SyncReport))!;
        node["schoolCode"] = null;

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(node.ToJsonString(), SpineScanJsonContext.Default.SyncReport));
    }

    [Fact]
    public void DepthMap_RoundTrip_KeepsDepths()
    {
        ushort[] depths = [0, 1, 900, 65535, 1234, 7];
        var map = ReviewDepthMap.FromDepths(3, 2, 5, 0, 0, depths);
        var back = new ushort[6];
        map.CopyDepthsTo(back);

        Assert.Equal(depths, back);
        Assert.Equal(0x84, map.DepthsMm[4]); // 900 = 0x0384, little-endian
        Assert.Equal(0x03, map.DepthsMm[5]);
    }
}
