using System.Text.Json.Serialization;
using System.Text.Json;

namespace SpineScan.Models;

/// <summary>The JSON forms of the model files and cards: camelCase, indented, required members enforced on reading.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(SpinalLineModelFile))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
