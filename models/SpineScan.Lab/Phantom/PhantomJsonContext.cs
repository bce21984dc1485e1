using System.Text.Json.Serialization;
using System.Text.Json;
using SpineScan.Core.Depth;
using SpineScan.Phantom;

namespace SpineScan.Lab.Phantom;

/// <summary>Source-generated JSON for the phantom's truth.json (camelCase, enums as names, points as [x, y(, z)] arrays).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(Vector3dArrayConverter), typeof(Vector2dArrayConverter)])]
[JsonSerializable(typeof(PhantomTruth))]
internal sealed partial class PhantomJsonContext : JsonSerializerContext;

/// <summary>Writes a <see cref="Vector3d"/> as [x, y, z].</summary>
internal sealed class Vector3dArrayConverter : JsonConverter<Vector3d>
{
    public override Vector3d Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var values = ReadArray(ref reader, 3);
        return new Vector3d(values[0], values[1], values[2]);
    }

    public override void Write(Utf8JsonWriter writer, Vector3d value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue(Math.Round(value.X, 3));
        writer.WriteNumberValue(Math.Round(value.Y, 3));
        writer.WriteNumberValue(Math.Round(value.Z, 3));
        writer.WriteEndArray();
    }

    internal static double[] ReadArray(ref Utf8JsonReader reader, int count)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a point as an array of numbers.");
        }

        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException(FormattableString.Invariant($"Expected {count} numbers in a point."));
            }

            values[i] = reader.GetDouble();
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException(FormattableString.Invariant($"Expected exactly {count} numbers in a point."));
        }

        return values;
    }
}

/// <summary>Writes a <see cref="Vector2d"/> as [x, y].</summary>
internal sealed class Vector2dArrayConverter : JsonConverter<Vector2d>
{
    public override Vector2d Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var values = Vector3dArrayConverter.ReadArray(ref reader, 2);
        return new Vector2d(values[0], values[1]);
    }

    public override void Write(Utf8JsonWriter writer, Vector2d value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue(Math.Round(value.X, 3));
        writer.WriteNumberValue(Math.Round(value.Y, 3));
        writer.WriteEndArray();
    }
}
