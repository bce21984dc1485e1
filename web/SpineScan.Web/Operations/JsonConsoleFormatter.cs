using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SpineScan.Web.Operations;

/// <summary>
/// One JSON object per log line (<c>Logging:ConsoleFormat=json</c>) for log collectors, with the same redaction as
/// <see cref="SafeConsoleFormatter"/>: parent-link tokens cut out, control characters escaped.
/// </summary>
public sealed class JsonConsoleFormatter(TimeProvider time) : ConsoleFormatter(Name)
{
    public new const string Name = "spinescan-json";

    /// <summary>The configuration key choosing the console format: <c>text</c> (default) or <c>json</c>.</summary>
    public const string FormatKey = "Logging:ConsoleFormat";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? "";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", time.GetUtcNow());
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }

            json.WriteString("message", SafeConsoleFormatter.Clean(message));
            if (logEntry.Exception is { } ex)
            {
                json.WriteString("exception", SafeConsoleFormatter.Clean(ex.ToString()));
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
