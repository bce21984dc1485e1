using System.Text.Json.Serialization;

namespace SpineScan.Imaging.Replay;

// The capture.json wire shape. Every member is nullable so that a missing field can be named in the
// error instead of surfacing as a default value; CaptureManifestValidator turns it into domain types.
internal sealed class CaptureManifest
{
    public string? Schema { get; set; }

    public string? Pose { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public double? DepthScaleM { get; set; }

    public ManifestIntrinsics? Intrinsics { get; set; }

    public ManifestDevice? Device { get; set; }

    public string? CalibrationId { get; set; }

    public List<ManifestFrame?>? Frames { get; set; }
}

internal sealed class ManifestIntrinsics
{
    public double? Fx { get; set; }

    public double? Fy { get; set; }

    public double? Cx { get; set; }

    public double? Cy { get; set; }

    public string? Model { get; set; }

    public double[]? Coeffs { get; set; }
}

internal sealed class ManifestDevice
{
    public string? Model { get; set; }

    public string? Serial { get; set; }
}

internal sealed class ManifestFrame
{
    public string? File { get; set; }

    public double? TimestampMs { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CaptureManifest))]
internal sealed partial class CaptureManifestJsonContext : JsonSerializerContext;
