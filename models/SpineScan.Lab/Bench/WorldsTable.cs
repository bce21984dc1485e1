using System.Globalization;
using System.Text;
using Spectre.Console;

namespace SpineScan.Lab.Bench;

/// <summary>The worlds bench as one table: a row per world, the figures of issue 17's section 4 in the columns.</summary>
internal static class WorldsTable
{
    /// <summary>The columns: header, and the cell of one world's report.</summary>
    public static IReadOnlyList<(string Header, Func<AccuracyReport, string> Cell)> Columns { get; } =
    [
        ("world", r => r.World),
        ("method (model share)", r => r.ModelShare is { } share ? $"{r.Method} ({P(share)})" : r.Method),
        ("measured / N", r => $"{r.Measured} / {r.N}"),
        ("MAE (floor)", r => $"{F(r.Estimate.MaeDeg)} ({F(r.Floor.MaeDeg)})"),
        ("slope (floor)", r => $"{F(r.Estimate.Slope)} ({F(r.Floor.Slope)})"),
        ("r", r => F(r.Estimate.PearsonR, "0.000")),
        ("MAE <10 / 10-20 / 20-30 / 30-45 / >=45", r => string.Join(" / ", AccuracyBench.Bands.Select(b => F(r.Estimate.MaeByBandDeg[b.Name], "0.0")))),
        ("sens / spec 20 (floor)", r => $"{F(r.Estimate.Sensitivity20)} / {F(r.Estimate.Specificity20)} ({F(r.Floor.Sensitivity20)} / {F(r.Floor.Specificity20)})"),
        (">=20 referred / normal (floor)", r => $"{P(r.Estimate.Referred20)} / {P(r.Estimate.Normal20)} ({P(r.Floor.Referred20)} / {P(r.Floor.Normal20)})"),
        (">=30 referred", r => P(r.Estimate.Referred30)),
        ("<10 referred (floor)", r => $"{P(r.Estimate.ReferredUnder10)} ({P(r.Floor.ReferredUnder10)})"),
        (">=40 read <30", r => r.Estimate.Read40Below30.ToString(CultureInfo.InvariantCulture)),
        ("school PPV / referral (floor PPV)", r => $"{F(r.Estimate.SchoolPpv20)} / {P(r.Estimate.SchoolReferralRate)} ({F(r.Floor.SchoolPpv20)})"),
        ("coverage 90 (floor)", r => $"{P(r.Estimate.Coverage90)} ({P(r.Floor.Coverage90)})"),
        ("refused", r => $"{P(r.RefusedShare)}{(r.RefusedByReason.Count == 0 ? string.Empty : " " + string.Join(", ", r.RefusedByReason.Select(x => $"{x.Key} {x.Value}")))}"),
        ("repeat SD", r => F(r.RepeatabilitySdDeg)),
    ];

    public static void Print(WorldsReport report, IAnsiConsole console)
    {
        var table = new Table();
        foreach (var (header, _) in Columns)
        {
            table.AddColumn(Markup.Escape(header));
        }

        foreach (var world in report.Worlds)
        {
            table.AddRow([.. Columns.Select(c => Markup.Escape(c.Cell(world)))]);
        }

        console.Write(table);
    }

    /// <summary>The same table in Markdown, for the README.</summary>
    public static string Markdown(WorldsReport report)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Columns.Select(c => c.Header)).AppendLine(" |");
        text.Append('|').AppendJoin(string.Empty, Columns.Select(_ => "---|")).AppendLine();
        foreach (var world in report.Worlds)
        {
            text.Append("| ").AppendJoin(" | ", Columns.Select(c => c.Cell(world))).AppendLine(" |");
        }

        return text.ToString();
    }

    internal static string F(double v, string format = "0.00") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);

    internal static string P(double v) => double.IsNaN(v) ? "-" : (100 * v).ToString("0", CultureInfo.InvariantCulture) + " %";
}

/// <summary>Estimate against truth, one panel per world, with each 90 % interval as a whisker: an SVG a browser or the README shows.</summary>
internal static class WorldsPlot
{
    private const int Panel = 260;
    private const int Margin = 40;
    private const double MaxDeg = 70;

    public static string Svg(WorldsReport report)
    {
        var columns = Math.Min(4, report.Worlds.Count);
        var rows = (report.Worlds.Count + columns - 1) / columns;
        var width = columns * (Panel + Margin) + Margin;
        var height = rows * (Panel + Margin + 20) + Margin;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        for (var k = 0; k < report.Worlds.Count; k++)
        {
            var world = report.Worlds[k];
            var x0 = Margin + (k % columns * (Panel + Margin));
            var y0 = Margin + (k / columns * (Panel + Margin + 20));
            double X(double deg) => x0 + (Math.Clamp(deg, 0, MaxDeg) / MaxDeg * Panel);
            double Y(double deg) => y0 + Panel - (Math.Clamp(deg, 0, MaxDeg) / MaxDeg * Panel);
            svg.Append(Invariant($"<text x=\"{x0}\" y=\"{y0 - 8}\" font-weight=\"bold\">{Escape(world.World)}: MAE {WorldsTable.F(world.Estimate.MaeDeg)}, slope {WorldsTable.F(world.Estimate.Slope)}, cover {WorldsTable.P(world.Estimate.Coverage90)}</text>"));
            svg.Append(Invariant($"<rect x=\"{x0}\" y=\"{y0}\" width=\"{Panel}\" height=\"{Panel}\" fill=\"none\" stroke=\"#888\"/>"));
            foreach (var tick in new[] { 10, 20, 30, 40, 50, 60 })
            {
                svg.Append(Invariant($"<line x1=\"{X(tick)}\" y1=\"{y0}\" x2=\"{X(tick)}\" y2=\"{y0 + Panel}\" stroke=\"#eee\"/><line x1=\"{x0}\" y1=\"{Y(tick)}\" x2=\"{x0 + Panel}\" y2=\"{Y(tick)}\" stroke=\"#eee\"/>"));
                svg.Append(Invariant($"<text x=\"{X(tick) - 6}\" y=\"{y0 + Panel + 13}\" fill=\"#555\">{tick}</text><text x=\"{x0 - 20}\" y=\"{Y(tick) + 4}\" fill=\"#555\">{tick}</text>"));
            }

            // The 20-degree decision lines and the identity.
            svg.Append(Invariant($"<line x1=\"{X(20)}\" y1=\"{y0}\" x2=\"{X(20)}\" y2=\"{y0 + Panel}\" stroke=\"#d33\" stroke-dasharray=\"3,3\"/><line x1=\"{x0}\" y1=\"{Y(20)}\" x2=\"{x0 + Panel}\" y2=\"{Y(20)}\" stroke=\"#d33\" stroke-dasharray=\"3,3\"/>"));
            svg.Append(Invariant($"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(MaxDeg)}\" y2=\"{Y(MaxDeg)}\" stroke=\"#444\"/>"));
            foreach (var row in world.Rows.Where(r => r.EstimatedCobbDeg is not null))
            {
                var colour = row.Category switch { "refer" => "#c0392b", "rescreen" => "#e67e22", _ => "#2e86c1" };
                if (row.Lower90 is { } lower && row.Upper90 is { } upper)
                {
                    svg.Append(Invariant($"<line x1=\"{X(row.TrueCobbDeg):0.0}\" y1=\"{Y(lower):0.0}\" x2=\"{X(row.TrueCobbDeg):0.0}\" y2=\"{Y(upper):0.0}\" stroke=\"{colour}\" stroke-opacity=\"0.25\"/>"));
                }

                svg.Append(Invariant($"<circle cx=\"{X(row.TrueCobbDeg):0.0}\" cy=\"{Y(row.EstimatedCobbDeg!.Value):0.0}\" r=\"2\" fill=\"{colour}\" fill-opacity=\"0.7\"/>"));
            }

            svg.Append(Invariant($"<text x=\"{x0 + (Panel / 2) - 40}\" y=\"{y0 + Panel + 27}\" fill=\"#333\">true Cobb (deg)</text>"));
        }

        svg.Append(Invariant($"<text x=\"{Margin}\" y=\"{height - 8}\" fill=\"#333\">estimate (deg) against the truth; whiskers: 90 % intervals; colour: refer (red), re-screen (orange), normal (blue); dashed: 20 deg</text>"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
