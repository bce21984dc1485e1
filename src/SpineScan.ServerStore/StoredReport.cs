using System.Text.Json;
using SpineScan.Contracts;

namespace SpineScan.ServerStore;

/// <summary>
/// Reads what the dashboard, the exports and the parent pages need from a stored body (<see cref="ScreeningPayload.Body"/>):
/// the analysis and the depth maps (standing, and forward bend when the device sent one), straight from the bytes that arrived.
/// </summary>
public sealed record StoredReport(AnalysisResult Analysis, ReviewDepthMap? DepthMap, ReviewDepthMap? ForwardBendDepthMap = null)
{
    /// <summary>Reads the top-level <c>analysis</c>, <c>depthMap</c> and <c>forwardBendDepthMap</c> members of a stored body.</summary>
    /// <exception cref="InvalidDataException">The body has no analysis (it was checked at ingest, so the store is damaged).</exception>
    public static StoredReport Read(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        AnalysisResult? analysis = null;
        ReviewDepthMap? depthMap = null;
        ReviewDepthMap? forwardBend = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("The stored report is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("analysis"u8))
            {
                reader.Read();
                analysis = JsonSerializer.Deserialize(ref reader, SpineScanJsonContext.Default.AnalysisResult);
            }
            else if (reader.ValueTextEquals("depthMap"u8))
            {
                reader.Read();
                depthMap = JsonSerializer.Deserialize(ref reader, SpineScanJsonContext.Default.ReviewDepthMap);
            }
            else if (reader.ValueTextEquals("forwardBendDepthMap"u8))
            {
                reader.Read();
                forwardBend = JsonSerializer.Deserialize(ref reader, SpineScanJsonContext.Default.ReviewDepthMap);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new StoredReport(analysis ?? throw new InvalidDataException("The stored report has no analysis."), depthMap, forwardBend);
    }
}
