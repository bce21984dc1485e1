using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpineScan.Contracts;

/// <summary>
/// The source-generated System.Text.Json context for every wire type: camelCase, enums as strings,
/// required constructor parameters and nullable annotations enforced on reading.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowTrailingCommas = false,
    MaxDepth = 32)]
[JsonSerializable(typeof(AnalysisResult))]
[JsonSerializable(typeof(SyncReport))]
[JsonSerializable(typeof(ParentLinkRegistration))]
[JsonSerializable(typeof(ReportAccepted))]
[JsonSerializable(typeof(ParentLinkRegistered))]
[JsonSerializable(typeof(DeviceRegistrationInfo))]
[JsonSerializable(typeof(ReviewDepthMap))]
[JsonSerializable(typeof(IReadOnlyList<Point3Mm>))]
public sealed partial class SpineScanJsonContext : JsonSerializerContext;
