using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SpineScan.Web;

/// <summary>
/// The server's console log line: level, category, message and exception, with parent-link tokens redacted (a token in
/// a request path is a key to a child's report) and control characters escaped (a device or a URL cannot forge lines
/// or send terminal escapes).
/// </summary>
public sealed partial class SafeConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "spinescan";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? "";
        var line = new StringBuilder();
        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category).Append(' ').Append(Clean(message));
        if (logEntry.Exception is { } ex)
        {
            line.Append(" | ").Append(Clean(ex.ToString()));
        }

        textWriter.WriteLine(line.ToString());
    }

    /// <summary>Redacts parent-link tokens and escapes every control character as <c>\uXXXX</c>.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var redacted = TokenInPath().Replace(text, "/r/[token]");
        var sb = new StringBuilder(redacted.Length);
        foreach (var c in redacted)
        {
            if (char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    // A token is 43 base64url characters; also its percent-encoded form in a path.
    [GeneratedRegex("/r/[A-Za-z0-9_%-]{20,}")]
    private static partial Regex TokenInPath();
}
