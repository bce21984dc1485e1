using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SpineScan.Testing;

/// <summary>
/// What the real PDF tools say of a PDF (poppler's <c>pdfinfo</c> and <c>pdffonts</c>, <c>qpdf</c>; installed by
/// <c>.ci/setup</c>): a clean <c>qpdf --check</c>, PDF/A-2b and PDF/UA-1 claimed in the XMP, the language, the output
/// intent, every font embedded, the structure tree's element types, and no page content outside a structure element or
/// an artifact.
/// </summary>
internal static partial class PdfChecks
{
    public static readonly string[] Tools = ["/usr/bin/qpdf", "/usr/bin/pdfinfo", "/usr/bin/pdffonts"];

    /// <summary>Null when the tools are installed, else why a test that needs them is skipped.</summary>
    public static string? Missing =>
        Tools.FirstOrDefault(t => !File.Exists(t)) is { } tool ? $"{tool} is not installed (apt-get install qpdf poppler-utils, or bash .ci/setup)." : null;

    public static (int Code, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Everything the tools can check of an archival, tagged report; returns the structure element types found.</summary>
    public static IReadOnlySet<string> AssertArchivalAndTagged(byte[] pdf, string language)
    {
        var folder = Path.Combine(Path.GetTempPath(), "spinescan-pdfchecks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "report.pdf");
            File.WriteAllBytes(file, pdf);

            var (checkCode, check) = Run("/usr/bin/qpdf", "--check", file);
            Assert.True(checkCode == 0 && !check.Contains("WARNING", StringComparison.Ordinal), "qpdf --check: " + check);

            var (_, info) = Run("/usr/bin/pdfinfo", file);
            Assert.Matches(@"Tagged:\s+yes", info);
            Assert.Matches(@"Pages:\s+1\b", info);
            var (_, meta) = Run("/usr/bin/pdfinfo", "-meta", file);
            Assert.Contains("<pdfaid:part>2</pdfaid:part>", meta, StringComparison.Ordinal);
            Assert.Contains("<pdfaid:conformance>B</pdfaid:conformance>", meta, StringComparison.Ordinal);
            Assert.Contains("<pdfuaid:part>1</pdfuaid:part>", meta, StringComparison.Ordinal);
            Assert.Contains($"<rdf:li>{language}</rdf:li>", meta, StringComparison.Ordinal);

            var (_, fonts) = Run("/usr/bin/pdffonts", file);
            var rows = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            Assert.NotEmpty(rows);
            Assert.All(rows, row => Assert.Matches(@"\s+yes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row)); // embedded and subset

            var qdf = Path.Combine(folder, "qdf.pdf");
            var (qdfCode, qdfOutput) = Run("/usr/bin/qpdf", "--qdf", "--object-streams=disable", file, qdf);
            Assert.True(qdfCode == 0, "qpdf --qdf: " + qdfOutput);
            var dump = Encoding.Latin1.GetString(File.ReadAllBytes(qdf));
            Assert.Contains($"/Lang ({language})", dump, StringComparison.Ordinal);
            Assert.Contains("/S /GTS_PDFA1", dump, StringComparison.Ordinal);
            Assert.Contains("/DestOutputProfile", dump, StringComparison.Ordinal);
            Assert.Contains("/DisplayDocTitle true", dump, StringComparison.Ordinal);
            Assert.Contains("/Marked true", dump, StringComparison.Ordinal);
            Assert.Matches(@"/ID \[", dump);
            foreach (Match figure in FigureElement().Matches(dump))
            {
                Assert.Contains("/Alt", figure.Value, StringComparison.Ordinal);
            }

            AssertEveryMarkIsContent(PageContent(dump));
            return StructureTypes().Matches(dump).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The first page's content stream in a qpdf QDF file (uncompressed there).</summary>
    private static string PageContent(string qdf)
    {
        var marker = qdf.IndexOf("%% Contents for page 1", StringComparison.Ordinal);
        Assert.True(marker >= 0, "No page content in the QDF dump.");
        var start = qdf.IndexOf("stream\n", marker, StringComparison.Ordinal) + "stream\n".Length;
        var end = qdf.IndexOf("\nendstream", start, StringComparison.Ordinal);
        return qdf[start..end];
    }

    /// <summary>No painting operator (text, paths, images) outside a marked-content sequence (a tagged element or an artifact).</summary>
    private static void AssertEveryMarkIsContent(string content)
    {
        string[] painting = ["Tj", "TJ", "'", "\"", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh"];
        var depth = 0;
        var painted = 0;
        var i = 0;
        while (i < content.Length)
        {
            var c = content[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                // A string literal: balanced parentheses, backslash escapes.
                var level = 0;
                do
                {
                    if (content[i] == '\\')
                    {
                        i++;
                    }
                    else if (content[i] == '(')
                    {
                        level++;
                    }
                    else if (content[i] == ')')
                    {
                        level--;
                    }

                    i++;
                }
                while (level > 0 && i < content.Length);
            }
            else if (c == '<' && i + 1 < content.Length && content[i + 1] == '<')
            {
                i = content.IndexOf(">>", i, StringComparison.Ordinal) + 2;
            }
            else if (c is '<' or '[' or ']' or '>')
            {
                i = c == '<' ? content.IndexOf('>', i) + 1 : i + 1;
            }
            else
            {
                var start = i;
                while (i < content.Length && !char.IsWhiteSpace(content[i]) && content[i] is not ('(' or '<' or '[' or ']' or '/') || (i == start && content[i] == '/'))
                {
                    i++;
                }

                var token = content[start..i];
                if (token is "BDC" or "BMC")
                {
                    depth++;
                }
                else if (token == "EMC")
                {
                    depth--;
                    Assert.True(depth >= 0, "EMC without a marked-content sequence.");
                }
                else if (painting.Contains(token, StringComparer.Ordinal))
                {
                    painted++;
                    Assert.True(depth > 0, $"'{token}' paints outside any structure element or artifact (near offset {start}).");
                }
            }
        }

        Assert.Equal(0, depth);
        Assert.True(painted > 10, "The page paints almost nothing.");
    }

    [GeneratedRegex(@"/S /(\w+)\n(?:  /[^\n]*\n)*?  /Type /StructElem")]
    private static partial Regex StructureTypes();

    [GeneratedRegex(@"<<\n(?:  [^\n]*\n)*?  /S /Figure\n(?:  [^\n]*\n)*?>>")]
    private static partial Regex FigureElement();
}
