using System.Text.Json.Serialization;

namespace SpineScan.Lab.Validation;

/// <summary>Source-generated JSON for <c>spinescan-lab validate aasce --json</c> (camelCase).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AasceSummary))]
internal sealed partial class AasceJsonContext : JsonSerializerContext;
