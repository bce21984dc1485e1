using System.Globalization;

namespace SpineScan.Web.Services;

/// <summary>
/// What any text the server accepts must be: within its length, without control characters (C0, DEL, C1), without
/// bidirectional-formatting marks (which reorder a page around them) and without unpaired surrogates.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="text"/> is refused, or null when it is acceptable.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The most characters it may have.</param>
    /// <param name="lineBreaks">True to allow line feeds (a clinician's note), never any other control character.</param>
    public static string? Problem(string? text, int maxLength, bool lineBreaks = false)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"At most {maxLength} characters.");
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && !(lineBreaks && c == '\n'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Control character U+{(int)c:X4} at {i}: remove it.");
            }

            if (c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Bidirectional formatting character U+{(int)c:X4} at {i}: remove it.");
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[++i])))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Unpaired surrogate at {i}.");
            }
        }

        return null;
    }
}
