using System.Globalization;
using System.Text;
using SpineScan.Contracts;
using SpineScan.Reports.Pdf;

namespace SpineScan.Web.Services;

/// <summary>
/// The dashboard's heat map: the shared <see cref="HeatMap"/> PNG with contour lines, the estimated spinal line and
/// the landmarks laid over it as SVG.
/// </summary>
public static class HeatMapRenderer
{
    /// <summary>Contour spacing in millimetres of depth.</summary>
    public const double ContourStepMm = HeatMap.ContourStepMm;

    /// <summary>Encodes the depth map as an RGBA PNG; pixels with no measurement are transparent.</summary>
    public static byte[] RenderPng(ReviewDepthMap map) => HeatMap.RenderPng(map);

    /// <summary>An SVG of the heat map with contours, the spinal line and landmarks (when an analysis is given), in the map's pixel space.</summary>
    public static string RenderSvg(ReviewDepthMap map, AnalysisResult? analysis, int displayWidth = 360, string label = "Depth heat map of the back")
    {
        ArgumentNullException.ThrowIfNull(map);
        int w = map.Width, h = map.Height;
        var png = Convert.ToBase64String(HeatMap.RenderPng(map));
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var displayHeight = displayWidth * h / w;
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{displayWidth}\" height=\"{displayHeight}\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\" class=\"heatmap\">");
        sb.Append(inv, $"<rect width=\"{w}\" height=\"{h}\" fill=\"#222\"/>");
        sb.Append(inv, $"<image href=\"data:image/png;base64,{png}\" width=\"{w}\" height=\"{h}\" style=\"image-rendering:pixelated\"/>");
        sb.Append("<path class=\"contours\" fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.55\" stroke-width=\"0.25\" d=\"");
        foreach (var s in HeatMap.Contours(map))
        {
            sb.Append(inv, $"M{s.X1:0.##} {s.Y1:0.##}L{s.X2:0.##} {s.Y2:0.##}");
        }

        sb.Append("\"/>");
        if (analysis is not null)
        {
            var line = analysis.SpinalLine.CameraMm;
            if (line.Count > 1)
            {
                sb.Append("<polyline class=\"spinal-line\" fill=\"none\" stroke=\"#ffeb3b\" stroke-width=\"0.8\" points=\"");
                foreach (var p in line)
                {
                    var (x, y) = HeatMap.ToPixel(map, p);
                    sb.Append(inv, $"{x:0.##},{y:0.##} ");
                }

                sb.Append("\"/>");
            }

            foreach (var l in analysis.Landmarks)
            {
                var (x, y) = HeatMap.ToPixel(map, l.CameraMm);
                sb.Append(inv, $"<circle class=\"landmark\" cx=\"{x:0.##}\" cy=\"{y:0.##}\" r=\"1.2\" fill=\"#00e5ff\" stroke=\"#000\" stroke-width=\"0.3\"><title>{System.Net.WebUtility.HtmlEncode(l.Name)}</title></circle>");
            }
        }

        sb.Append("</svg>");
        return sb.ToString();
    }
}
