using System.Text;
using System.Text.Json;
using SpineScan.Contracts;
using SpineScan.Web.Services;

namespace SpineScan.Web.Api;

/// <summary>
/// The server's own reading of a device's JSON, before and beside the contract's rules: numbers strictly (a number in a
/// string is refused), no duplicate members, every number finite (<c>1e400</c> is refused), every string within its
/// length and free of control and bidirectional-formatting characters (<see cref="TextRules"/>).
/// </summary>
public static class UntrustedJson
{
    /// <summary>The longest string anywhere, except the depth map's base64 pixels.</summary>
    public const int MaxStringLength = 1024;

    /// <summary>Strict options over the contracts' source-generated metadata.</summary>
    public static readonly SpineScanJsonContext Strict = new(new JsonSerializerOptions(SpineScanJsonContext.Default.Options)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    });

    /// <summary>Every breach of the rules above, each naming its JSON path; empty when the body is clean (or not JSON).</summary>
    public static IReadOnlyList<ContractError> Scan(ReadOnlySpan<byte> body)
    {
        var errors = new List<ContractError>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var path = new List<string>();
        var index = new Stack<int>();
        string? property = null;
        try
        {
            while (reader.Read() && errors.Count < 32)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        path.Add(Segment(index, property));
                        index.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        property = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        index.Pop();
                        path.RemoveAt(path.Count - 1);
                        Advance(index);
                        break;
                    case JsonTokenType.Number:
                        if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                        {
                            errors.Add(new(Join(path, Segment(index, property)), "Must be a finite number."));
                        }

                        Advance(index);
                        break;
                    case JsonTokenType.String when property == "depthsMm":
                        // The depth map's pixels (base64, the largest value of a report): not copied into a string here
                        // and scanned char by char, since the deserialiser refuses anything but base64 in it anyway.
                        Advance(index);
                        break;
                    case JsonTokenType.String:
                        if (TextRules.Problem(reader.GetString(), MaxStringLength) is { } problem)
                        {
                            errors.Add(new(Join(path, Segment(index, property)), problem));
                        }

                        Advance(index);
                        break;
                    default:
                        Advance(index);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON (or an invalid escape): the deserialiser names it.
        }

        return errors;
    }

    private static string Segment(Stack<int> index, string? property) =>
        index.Count > 0 && index.Peek() >= 0 ? $"[{index.Peek()}]" : property ?? "";

    private static void Advance(Stack<int> index)
    {
        if (index.Count > 0 && index.Peek() >= 0)
        {
            index.Push(index.Pop() + 1);
        }
    }

    private static string Join(List<string> path, string last)
    {
        var sb = new StringBuilder();
        foreach (var part in path.Skip(1).Append(last))
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (sb.Length > 0 && !part.StartsWith('['))
            {
                sb.Append('.');
            }

            sb.Append(part);
        }

        return sb.Length == 0 ? "$" : sb.ToString();
    }
}
