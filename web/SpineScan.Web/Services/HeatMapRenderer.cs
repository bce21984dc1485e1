using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using SpineScan.Contracts;

namespace SpineScan.Web.Services;

/// <summary>
/// Renders the review depth map server-side: a colour heat map as PNG (near red, far blue) and an SVG that
/// lays contour lines, the estimated spinal line and the landmarks over it.
/// </summary>
public static class HeatMapRenderer
{
    /// <summary>Contour spacing in millimetres of depth.</summary>
    public const double ContourStepMm = 5;

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes the depth map as an RGBA PNG; pixels with no measurement are transparent.</summary>
    public static byte[] RenderPng(ReviewDepthMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int w = map.Width, h = map.Height;
        var depths = ArrayPool<ushort>.Shared.Rent(w * h);
        try
        {
            map.CopyDepthsTo(depths);
            var (min, max) = Range(depths.AsSpan(0, w * h));
            var raw = new byte[h * ((w * 4) + 1)];
            for (var v = 0; v < h; v++)
            {
                var row = v * ((w * 4) + 1);
                raw[row] = 0; // filter: none
                for (var u = 0; u < w; u++)
                {
                    var d = depths[(v * w) + u];
                    var o = row + 1 + (u * 4);
                    if (d == ReviewDepthMap.NoDepth)
                    {
                        continue;
                    }

                    var t = max > min ? (d - min) / (double)(max - min) : 0.5;
                    var (r, g, b) = Colour(t);
                    raw[o] = r;
                    raw[o + 1] = g;
                    raw[o + 2] = b;
                    raw[o + 3] = 255;
                }
            }

            return EncodePng(w, h, raw);
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(depths);
        }
    }

    /// <summary>An SVG of the heat map with contours, the spinal line and landmarks, in the map's pixel space.</summary>
    public static string RenderSvg(ReviewDepthMap map, AnalysisResult? analysis, int displayWidth = 360)
    {
        ArgumentNullException.ThrowIfNull(map);
        int w = map.Width, h = map.Height;
        var png = Convert.ToBase64String(RenderPng(map));
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var displayHeight = displayWidth * h / w;
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{displayWidth}\" height=\"{displayHeight}\" role=\"img\" aria-label=\"Depth heat map of the back\" class=\"heatmap\">");
        sb.Append(inv, $"<rect width=\"{w}\" height=\"{h}\" fill=\"#222\"/>");
        sb.Append(inv, $"<image href=\"data:image/png;base64,{png}\" width=\"{w}\" height=\"{h}\" style=\"image-rendering:pixelated\"/>");
        sb.Append("<path class=\"contours\" fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.55\" stroke-width=\"0.25\" d=\"");
        AppendContours(sb, map);
        sb.Append("\"/>");
        if (analysis is not null)
        {
            var line = analysis.SpinalLine.CameraMm;
            if (line.Count > 1)
            {
                sb.Append("<polyline class=\"spinal-line\" fill=\"none\" stroke=\"#ffeb3b\" stroke-width=\"0.8\" points=\"");
                foreach (var p in line)
                {
                    var (x, y) = ToPixel(map, p);
                    sb.Append(inv, $"{x:0.##},{y:0.##} ");
                }

                sb.Append("\"/>");
            }

            foreach (var l in analysis.Landmarks)
            {
                var (x, y) = ToPixel(map, l.CameraMm);
                sb.Append(inv, $"<circle class=\"landmark\" cx=\"{x:0.##}\" cy=\"{y:0.##}\" r=\"1.2\" fill=\"#00e5ff\" stroke=\"#000\" stroke-width=\"0.3\"><title>{System.Net.WebUtility.HtmlEncode(l.Name)}</title></circle>");
            }
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Camera millimetres to the map's pixel coordinates (pixel centres at integer + 0.5).</summary>
    public static (double X, double Y) ToPixel(ReviewDepthMap map, Point3Mm p)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(p);
        return (((p.X - map.OriginXMm) / map.MmPerPixel) + 0.5, ((p.Y - map.OriginYMm) / map.MmPerPixel) + 0.5);
    }

    private static void AppendContours(StringBuilder sb, ReviewDepthMap map)
    {
        int w = map.Width, h = map.Height;
        var depths = ArrayPool<ushort>.Shared.Rent(w * h);
        try
        {
            map.CopyDepthsTo(depths);
            var (min, max) = Range(depths.AsSpan(0, w * h));
            var inv = CultureInfo.InvariantCulture;
            var first = Math.Ceiling(min / ContourStepMm) * ContourStepMm;
            Span<double> xs = stackalloc double[4];
            Span<double> ys = stackalloc double[4];
            for (var level = first; level < max; level += ContourStepMm)
            {
                for (var v = 0; v + 1 < h; v++)
                {
                    for (var u = 0; u + 1 < w; u++)
                    {
                        double a = depths[(v * w) + u], b = depths[(v * w) + u + 1], c = depths[((v + 1) * w) + u + 1], d = depths[((v + 1) * w) + u];
                        if (a == 0 || b == 0 || c == 0 || d == 0)
                        {
                            continue;
                        }

                        // Marching squares over the cell's four edges: connect the crossings pairwise.
                        var n = 0;
                        Cross(a, b, level, u, v, 1, 0, xs, ys, ref n);
                        Cross(b, c, level, u + 1, v, 0, 1, xs, ys, ref n);
                        Cross(d, c, level, u, v + 1, 1, 0, xs, ys, ref n);
                        Cross(a, d, level, u, v, 0, 1, xs, ys, ref n);
                        for (var i = 0; i + 1 < n; i += 2)
                        {
                            sb.Append(inv, $"M{xs[i] + 0.5:0.##} {ys[i] + 0.5:0.##}L{xs[i + 1] + 0.5:0.##} {ys[i + 1] + 0.5:0.##}");
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(depths);
        }
    }

    private static void Cross(double p, double q, double level, int u, int v, int du, int dv, Span<double> xs, Span<double> ys, ref int n)
    {
        if ((p < level) == (q < level) || n >= 4)
        {
            return;
        }

        var t = (level - p) / (q - p);
        xs[n] = u + (du * t);
        ys[n] = v + (dv * t);
        n++;
    }

    private static (ushort Min, ushort Max) Range(ReadOnlySpan<ushort> depths)
    {
        ushort min = ushort.MaxValue, max = 0;
        foreach (var d in depths)
        {
            if (d == ReviewDepthMap.NoDepth)
            {
                continue;
            }

            min = Math.Min(min, d);
            max = Math.Max(max, d);
        }

        return max == 0 ? ((ushort)0, (ushort)0) : (min, max);
    }

    /// <summary>Near (t = 0) red through yellow and green to far (t = 1) blue.</summary>
    private static (byte R, byte G, byte B) Colour(double t)
    {
        t = Math.Clamp(t, 0, 1);
        var x = t * 4;
        var i = Math.Min(3, (int)x);
        var f = x - i;
        return (Channel(i, 0, f), Channel(i, 1, f), Channel(i, 2, f));
    }

    private static byte Channel(int i, int k, double f)
    {
        ReadOnlySpan<double> stops = [0.85, 0.1, 0.1, 0.98, 0.85, 0.2, 0.2, 0.75, 0.3, 0.1, 0.6, 0.85, 0.15, 0.2, 0.65];
        return (byte)Math.Round(255 * ((stops[(i * 3) + k] * (1 - f)) + (stops[((i + 1) * 3) + k] * f)));
    }

    private static byte[] EncodePng(int width, int height, byte[] raw)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        WriteChunk(output, "IHDR"u8, header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(raw);
            }

            WriteChunk(output, "IDAT"u8, compressed.ToArray());
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        output.Write(type);
        output.Write(data);
        var crc = 0xFFFFFFFFu;
        foreach (var b in type)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        BinaryPrimitives.WriteUInt32BigEndian(four, crc ^ 0xFFFFFFFFu);
        output.Write(four);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
