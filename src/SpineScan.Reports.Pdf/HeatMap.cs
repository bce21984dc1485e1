using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using SpineScan.Contracts;

namespace SpineScan.Reports.Pdf;

/// <summary>One contour segment in the map's pixel space (pixel centres at integer + 0.5).</summary>
/// <param name="X1">Start x.</param>
/// <param name="Y1">Start y.</param>
/// <param name="X2">End x.</param>
/// <param name="Y2">End y.</param>
public readonly record struct ContourSegment(double X1, double Y1, double X2, double Y2);

/// <summary>
/// The review depth map as pictures, shared by the PDF report, the dashboard's SVG and the device: a colour heat
/// map as PNG (near red, far blue), contour segments, and camera millimetres to pixels. Pure code, no PDF types.
/// </summary>
public static class HeatMap
{
    /// <summary>Contour spacing in millimetres of depth.</summary>
    public const double ContourStepMm = 5;


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

    /// <summary>Camera millimetres to the map's pixel coordinates (pixel centres at integer + 0.5).</summary>
    public static (double X, double Y) ToPixel(ReviewDepthMap map, Point3Mm p)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(p);
        return (((p.X - map.OriginXMm) / map.MmPerPixel) + 0.5, ((p.Y - map.OriginYMm) / map.MmPerPixel) + 0.5);
    }

    /// <summary>Marching-squares contour segments every <paramref name="stepMm"/> of depth, in the map's pixel space.</summary>
    public static List<ContourSegment> Contours(ReviewDepthMap map, double stepMm = ContourStepMm)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepMm);
        int w = map.Width, h = map.Height;
        var segments = new List<ContourSegment>();
        var depths = ArrayPool<ushort>.Shared.Rent(w * h);
        try
        {
            map.CopyDepthsTo(depths);
            var (min, max) = Range(depths.AsSpan(0, w * h));
            var first = Math.Ceiling(min / stepMm) * stepMm;
            Span<double> xs = stackalloc double[4];
            Span<double> ys = stackalloc double[4];
            for (var level = first; level < max; level += stepMm)
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
                            segments.Add(new ContourSegment(xs[i] + 0.5, ys[i] + 0.5, xs[i + 1] + 0.5, ys[i + 1] + 0.5));
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(depths);
        }

        return segments;
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
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, crc.GetCurrentHashAsUInt32());
        output.Write(four);
    }

}
