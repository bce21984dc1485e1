using PdfSharp.Drawing;
using PdfSharp.UniversalAccessibility;

namespace SpineScan.Reports.Pdf;

/// <summary>A font size and weight; each string is drawn in runs: Chinese in the CJK font, the rest in the Latin one.</summary>
internal sealed class TextStyle(double size, bool bold)
{
    public double Size { get; } = size;

    public double LineHeight => Size * 1.4;

    public XFont Latin { get; } = new(ReportFonts.Latin, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

    public XFont Cjk { get; } = new(ReportFonts.Cjk, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
}

/// <summary>
/// Draws, measures and wraps mixed Latin and Chinese text on one page (baseline positions, points), and tags what it
/// draws (PDF/UA): every piece of content lies in a structure element or is marked as an artifact.
/// </summary>
internal sealed class Ink(XGraphics gfx, bool hasCjk, StructureBuilder tags)
{
    public XGraphics Gfx { get; } = gfx;

    /// <summary>Draws inside a block-level structure element (heading, paragraph, table cell, ...).</summary>
    public void Tagged(PdfBlockLevelElementTag tag, Action draw)
    {
        tags.BeginElement(tag);
        draw();
        tags.End();
    }

    /// <summary>Draws inside a grouping element (a section, a table, ...) whose children tag themselves.</summary>
    public void Group(PdfBlockLevelElementTag tag, Action draw) => Tagged(tag, draw);

    /// <summary>Draws a picture with its text alternative.</summary>
    public void Figure(string alternative, XRect box, Action draw)
    {
        tags.BeginElement(PdfIllustrationElementTag.Figure, alternative, box);
        draw();
        tags.End();
    }

    /// <summary>Draws decoration (backgrounds, rules, the category bar): content a reader skips.</summary>
    public void Artifact(Action draw)
    {
        tags.BeginArtifact();
        draw();
        tags.End();
    }

    /// <summary>One paragraph of wrapped text; returns the bottom of its last line.</summary>
    public double Paragraph(string text, TextStyle style, XColor color, double x, double top, double width)
    {
        var bottom = top;
        Tagged(PdfBlockLevelElementTag.Paragraph, () => bottom = Wrapped(text, style, color, x, top, width));
        return bottom;
    }

    /// <summary>A heading of one line.</summary>
    public void Heading(PdfBlockLevelElementTag level, string text, TextStyle style, XColor color, double x, double baseline) =>
        Tagged(level, () => Line(text, style, color, x, baseline));

    public static TextStyle Title() => new(20, true);

    public static TextStyle Heading(double size) => new(size, true);

    public static TextStyle Body(bool bold) => new(10, bold);

    public static TextStyle Cell(bool bold) => new(8.5, bold);

    public static TextStyle Small(bool bold) => new(8, bold);

    public static TextStyle Tiny() => new(7, false);

    /// <summary>Ideographs, kana, hangul, CJK punctuation and full-width forms: drawn with the CJK font.</summary>
    public static bool IsCjk(char c) => c >= '\u2E80' && c is < '\uD800' or > '\uDFFF';

    public double Measure(string text, TextStyle style)
    {
        var width = 0.0;
        foreach (var (run, cjk) in Runs(text))
        {
            width += Gfx.MeasureString(run, Font(style, cjk)).Width;
        }

        return width;
    }

    /// <summary>Draws one line with its baseline at <paramref name="baseline"/>.</summary>
    public void Line(string text, TextStyle style, XColor color, double x, double baseline)
    {
        var brush = new XSolidBrush(color);
        foreach (var (run, cjk) in Runs(text))
        {
            var font = Font(style, cjk);
            Gfx.DrawString(run, font, brush, x, baseline);
            x += Gfx.MeasureString(run, font).Width;
        }
    }

    /// <summary>Draws wrapped text in lines from <paramref name="top"/>; returns the bottom of the last line.</summary>
    public double Wrapped(string text, TextStyle style, XColor color, double x, double top, double width)
    {
        var lines = Wrap(text, style, width);
        foreach (var line in lines)
        {
            Line(line, style, color, x, top + style.Size);
            top += style.LineHeight;
        }

        return top;
    }

    /// <summary>Greedy wrapping: Latin breaks between words, Chinese between any two characters.</summary>
    public List<string> Wrap(string text, TextStyle style, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var token in Tokens(text))
        {
            var candidate = current + token;
            if (current.Length > 0 && Measure(candidate.TrimEnd(), style) > width)
            {
                lines.Add(current.TrimEnd());
                current = token.TrimStart();
            }
            else
            {
                current = candidate;
            }
        }

        if (current.Trim().Length > 0 || lines.Count == 0)
        {
            lines.Add(current.TrimEnd());
        }

        return lines;
    }

    private XFont Font(TextStyle style, bool cjk) => cjk && hasCjk ? style.Cjk : style.Latin;

    private static IEnumerable<(string Run, bool Cjk)> Runs(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || IsCjk(text[i]) != IsCjk(text[start]))
            {
                yield return (text[start..i], IsCjk(text[start]));
                start = i;
            }
        }
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsCjk(c))
            {
                if (i > start)
                {
                    yield return text[start..i];
                }

                // Keep closing punctuation with the character before it.
                var end = i + 1;
                while (end < text.Length && "，。、；：）」』！？".Contains(text[end], StringComparison.Ordinal))
                {
                    end++;
                }

                yield return text[i..end];
                start = end;
                i = end - 1;
            }
            else if (c == ' ')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
