using System.Globalization;
using System.Net;
using System.Text;
using SpineScan.Contracts;
using SpineScan.Reports.Pdf;

namespace SpineScan.Web.Services;

/// <summary>A plane in which the spinal line is drawn.</summary>
public enum SpinePlane
{
    /// <summary>Seen from behind: the child's left on the left, right on the right (body x), up the spine (body y).</summary>
    Frontal,

    /// <summary>Seen from the child's left: front on the left, back on the right (body z), up the spine (body y).</summary>
    Sagittal,
}

/// <summary>
/// The estimated spinal line in body coordinates (origin at the lumbar dimples' midpoint, +x to the child's right, +y
/// up, +z backwards) as SVG, one plane at a time. The horizontal scale is stretched <see cref="Exaggeration"/> times, and
/// says so, so that deviations of a few millimetres over half a metre of spine can be seen.
/// </summary>
public static class SpinalLineChart
{
    /// <summary>How many times the horizontal scale is stretched against the vertical.</summary>
    public const int Exaggeration = 2;

    private const double PlotHeight = 300;
    private const double Pad = 26;

    public static string RenderSvg(SpinalLine line, IReadOnlyList<Landmark> landmarks, SpinePlane plane, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(text);
        var inv = CultureInfo.InvariantCulture;
        var points = line.BodyMm;
        double Across(Point3Mm p) => plane == SpinePlane.Frontal ? p.X : p.Z;
        var label = plane == SpinePlane.Frontal ? text.FrontalPlane : text.SagittalPlane; // the SVG's name; the page's caption shows it
        if (points.Count < 2)
        {
            return $"<p class=\"no-line\">{Enc(text.NotMeasured)}</p>";
        }

        var marks = landmarks.Where(l => l.Name is "c7").Select(l => l.BodyMm).Append(new Point3Mm(0, 0, 0)).ToList();
        var all = points.Concat(marks).ToList();
        double yMin = all.Min(p => p.Y), yMax = all.Max(p => p.Y);
        var scale = PlotHeight / Math.Max(50, yMax - yMin);
        var across = scale * Exaggeration;
        // Frontal: centred on the plumb line through the dimples' midpoint; sagittal: on the line's own mean depth.
        var centre = plane == SpinePlane.Frontal ? 0 : points.Average(p => p.Z);
        var half = Math.Max(20, all.Max(p => Math.Abs(Across(p) - centre)) + 5);
        var width = (2 * half * across) + (2 * Pad);
        var height = PlotHeight + (2 * Pad);
        double X(Point3Mm p) => Pad + ((Across(p) - centre + half) * across);
        double Y(Point3Mm p) => Pad + ((yMax - p.Y) * scale);

        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spinal-plot spinal-{plane.ToString().ToLowerInvariant()}\" viewBox=\"0 0 {width:0.#} {height:0.#}\" width=\"{width:0.#}\" height=\"{height:0.#}\" role=\"img\" aria-label=\"{Enc(label)}\">");
        sb.Append(inv, $"<rect x=\"{Pad}\" y=\"{Pad}\" width=\"{width - (2 * Pad):0.#}\" height=\"{PlotHeight}\" fill=\"#fafafa\" stroke=\"#bbb\"/>");
        // Grid every 10 mm across, every 100 mm up.
        for (var v = Math.Ceiling((centre - half) / 10) * 10; v <= centre + half; v += 10)
        {
            var gx = Pad + ((v - centre + half) * across);
            sb.Append(inv, $"<line x1=\"{gx:0.#}\" x2=\"{gx:0.#}\" y1=\"{Pad}\" y2=\"{Pad + PlotHeight}\" stroke=\"#e3e3e3\"/>");
        }

        for (var v = Math.Ceiling(yMin / 100) * 100; v <= yMax; v += 100)
        {
            var gy = Pad + ((yMax - v) * scale);
            sb.Append(inv, $"<line x1=\"{Pad}\" x2=\"{width - Pad:0.#}\" y1=\"{gy:0.#}\" y2=\"{gy:0.#}\" stroke=\"#e3e3e3\"/><text x=\"{Pad - 3}\" y=\"{gy + 3:0.#}\" font-size=\"9\" text-anchor=\"end\" fill=\"#333\">{v:0}</text>");
        }

        if (plane == SpinePlane.Frontal)
        {
            var plumb = X(new Point3Mm(0, 0, 0));
            sb.Append(inv, $"<line class=\"plumb\" x1=\"{plumb:0.#}\" x2=\"{plumb:0.#}\" y1=\"{Pad}\" y2=\"{Pad + PlotHeight}\" stroke=\"#777\" stroke-dasharray=\"4 3\"/>");
        }

        sb.Append("<polyline class=\"line\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"2\" points=\"");
        foreach (var p in points)
        {
            sb.Append(inv, $"{X(p):0.#},{Y(p):0.#} ");
        }

        sb.Append("\"/>");
        foreach (var m in marks)
        {
            sb.Append(inv, $"<circle cx=\"{X(m):0.#}\" cy=\"{Y(m):0.#}\" r=\"3\" fill=\"#1565c0\"/>");
        }

        var (leftWord, rightWord) = plane == SpinePlane.Frontal ? (text.LeftSide, text.RightSide) : (text.FrontSide, text.BackSide);
        sb.Append(inv, $"<text x=\"{Pad}\" y=\"{height - 8:0.#}\" font-size=\"10\" fill=\"#333\">{Enc(leftWord)}</text><text x=\"{width - Pad:0.#}\" y=\"{height - 8:0.#}\" font-size=\"10\" text-anchor=\"end\" fill=\"#333\">{Enc(rightWord)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
