using System.Globalization;
using System.Net;
using System.Text;
using SpineScan.Reports.Pdf;

namespace SpineScan.Web.Services;

/// <summary>
/// The timeline's chart as SVG: the Cobb estimate with its 90 % interval as a bar, and the ATR, over the capture dates.
/// The axis reaches past the highest value drawn (interval ends included), in steps of 5 or 10 degrees.
/// </summary>
public static class TimelineChart
{
    public const double Width = 640;
    public const double Height = 260;
    private const double Left = 44;
    private const double Right = 12;
    private const double Top = 22;
    private const double Bottom = 26;

    /// <summary>The axis: its top (at least 25 degrees and at least the highest value) and the step between grid lines.</summary>
    public static (double Max, double Step) Axis(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var highest = values.DefaultIfEmpty(0).Max();
        var step = highest > 50 ? 10.0 : 5.0;
        var max = Math.Max(25, Math.Ceiling((highest + 0.001) / step) * step);
        return (max, step);
    }

    public static string RenderSvg(IReadOnlyList<TimelinePoint> points, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(text);
        var inv = CultureInfo.InvariantCulture;
        var values = points.SelectMany(p => new[] { p.CobbDeg, p.CobbInterval90?.Upper, p.AtrDeg, p.XrayCobbDeg }).OfType<double>();
        var (max, step) = Axis(values);
        var t0 = points.Count == 0 ? 0 : points[0].CapturedAt.ToUnixTimeSeconds();
        var t1 = points.Count == 0 ? 1 : Math.Max(t0 + 1, points[^1].CapturedAt.ToUnixTimeSeconds());
        double X(DateTimeOffset t) => points.Count == 1 ? (Left + Width - Right) / 2 : Left + ((Width - Left - Right - 20) * (t.ToUnixTimeSeconds() - t0) / (double)(t1 - t0)) + 10;
        double Y(double v) => Height - Bottom - ((Height - Bottom - Top) * Math.Clamp(v, 0, max) / max);

        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" style=\"max-width:{Width}px\" role=\"img\" aria-label=\"{Enc(text.TimelineChartLabel)}\" data-axis-max=\"{max}\">");
        for (var v = 0.0; v <= max + 0.001; v += step)
        {
            sb.Append(inv, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\" stroke=\"#ccc\"/><text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">{v:0}°</text>");
        }

        foreach (var p in points)
        {
            sb.Append(inv, $"<text x=\"{X(p.CapturedAt):0.#}\" y=\"{Height - 8}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">{p.CapturedAt:yyyy-MM}</text>");
            if (p.CobbInterval90 is { } i)
            {
                sb.Append(inv, $"<line class=\"interval\" x1=\"{X(p.CapturedAt):0.#}\" x2=\"{X(p.CapturedAt):0.#}\" y1=\"{Y(i.Lower):0.#}\" y2=\"{Y(i.Upper):0.#}\" stroke=\"#c62828\" stroke-opacity=\"0.45\" stroke-width=\"6\"/>");
            }
        }

        sb.Append(Series(points, p => p.CobbDeg, p => ReportFormat.Cobb(p.CobbDeg!.Value, p.CobbInterval90, text), "#c62828", text.CobbEstimateShort, X, Y));
        sb.Append(Series(points, p => p.AtrDeg, p => ReportFormat.Degrees(p.AtrDeg!.Value), "#1565c0", text.AtrShort, X, Y));
        sb.Append(inv, $"<text x=\"{Width - 190}\" y=\"14\" font-size=\"11\" fill=\"#b71c1c\">{Enc(text.CobbEstimateShort)} (90 %)</text><text x=\"{Width - 50}\" y=\"14\" font-size=\"11\" fill=\"#1565c0\">{Enc(text.AtrShort)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Series(IReadOnlyList<TimelinePoint> points, Func<TimelinePoint, double?> value, Func<TimelinePoint, string> shown, string colour, string name, Func<DateTimeOffset, double> x, Func<double, double> y)
    {
        var inv = CultureInfo.InvariantCulture;
        var drawn = points.Where(p => value(p) is not null).ToList();
        var sb = new StringBuilder();
        sb.Append(inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", drawn.Select(p => string.Create(inv, $"{x(p.CapturedAt):0.#},{y(value(p)!.Value):0.#}")))}\"/>");
        foreach (var p in drawn)
        {
            sb.Append(inv, $"<circle class=\"point\" cx=\"{x(p.CapturedAt):0.#}\" cy=\"{y(value(p)!.Value):0.#}\" r=\"3.5\" fill=\"{colour}\" data-value=\"{value(p)!.Value:0.#}\"><title>{Enc(name)} {Enc(shown(p))}</title></circle>");
        }

        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
