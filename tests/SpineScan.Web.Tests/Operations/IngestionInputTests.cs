using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Web.Tests.Operations;

/// <summary>The depth map's pixels skip the strict text scan (speed); what is not base64 in them is still refused, and nothing is stored.</summary>
public sealed class IngestionInputTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Theory]
    [InlineData("AAAA\\u0001AAA")] // a control character
    [InlineData("AAAA\\u202eAAA")] // a bidirectional-formatting mark
    [InlineData("not base64!")]
    public async Task Post_DepthMapPixelsNotBase64_Returns400AndStoresNothing(string pixels)
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var json = JsonNode.Parse(JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport))!;
        json["depthMap"]!["depthsMm"] = "PLACEHOLDER";
        var body = json.ToJsonString().Replace("\"PLACEHOLDER\"", "\"" + pixels + "\"", StringComparison.Ordinal);
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Device1Credential);

        using var response = await client.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await Api.ApiScenarios.CountAsync(fixture, report.ReportId));
    }

    [Fact]
    public async Task Post_ValidDepthMap_IsStoredByteForByte()
    {
        var report = SampleReports.Report("dev-1", "SCH1");
        var body = JsonSerializer.Serialize(report, SpineScanJsonContext.Default.SyncReport);
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Device1Credential);

        using var response = await client.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await Api.ApiScenarios.CountAsync(fixture, report.ReportId));
    }
}
