using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using SpineScan.Core.Depth;

namespace SpineScan.Imaging.Replay;

/// <summary>
/// The replay format's PNG without OpenCV: 16-bit grayscale, non-interlaced, the only kind a depth frame is. Used where
/// OpenCV's native library is absent (the registry serves none for linux-arm64); lossless like OpenCV's, so a frame
/// decodes to the same depths whichever codec wrote or reads it.
/// </summary>
internal static class ManagedPng16
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private const int BytesPerPixel = 2;

    /// <summary>Decodes a PNG already checked by <see cref="PngHeader.TryRead"/> (16-bit grayscale, the frame's size) into <paramref name="destination"/>; returns a problem or null.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> png, PngHeader header, DepthFrame destination)
    {
        var interlace = png[Signature.Length + 8 + 12];
        if (interlace != 0)
        {
            return "is an interlaced PNG, which depth frames never are";
        }

        using var compressed = new MemoryStream();
        var offset = Signature.Length;
        while (offset + 12 <= png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8))
            {
                compressed.Write(png.Slice(offset + 8, length));
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            offset += 12 + length;
        }

        var stride = header.Width * BytesPerPixel;
        var rows = ArrayPool<byte>.Shared.Rent(2 * (stride + 1));
        try
        {
            var previous = rows.AsSpan(0, stride + 1);
            var current = rows.AsSpan(stride + 1, stride + 1);
            previous.Clear();
            compressed.Position = 0;
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            for (var y = 0; y < header.Height; y++)
            {
                try
                {
                    inflater.ReadExactly(current);
                }
                catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException)
                {
                    return "could not be decoded as a 16-bit depth image (its compressed data is damaged or short)";
                }

                if (!Unfilter(current[0], current[1..], previous[1..]))
                {
                    return $"could not be decoded (row {y} names the unknown PNG filter {current[0]})";
                }

                var row = destination.Row(y)[..header.Width];
                var bytes = current[1..];
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(x * BytesPerPixel)..]);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }

        return null;
    }

    /// <summary>Encodes a depth frame as a 16-bit grayscale PNG (each row filtered "Up": depth rows resemble the row above; fastest deflate).</summary>
    public static byte[] Encode(DepthFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var stride = frame.Width * BytesPerPixel;
        using var data = new MemoryStream();
        var rows = ArrayPool<byte>.Shared.Rent(2 * (stride + 1));
        try
        {
            using (var deflater = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
            {
                var previous = rows.AsSpan(0, stride);
                var line = rows.AsSpan(stride, stride + 1);
                previous.Clear();
                for (var y = 0; y < frame.Height; y++)
                {
                    var pixels = frame.Row(y);
                    line[0] = 2; // Up
                    var raw = line[1..];
                    for (var x = 0; x < pixels.Length; x++)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(raw[(x * BytesPerPixel)..], pixels[x]);
                    }

                    deflater.Write(line[..1]);
                    for (var i = 0; i < stride; i++)
                    {
                        var value = raw[i];
                        raw[i] = (byte)(value - previous[i]);
                        previous[i] = value;
                    }

                    deflater.Write(raw);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }

        using var png = new MemoryStream((int)data.Length + 64);
        png.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)frame.Width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)frame.Height);
        ihdr[8] = 16; // bit depth
        ihdr[9] = 0; // grayscale
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // not interlaced
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, data.GetBuffer().AsSpan(0, (int)data.Length));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)body.Length);
        png.Write(word);
        png.Write(type);
        png.Write(body);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(body);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        png.Write(word);
    }

    /// <summary>Reverses one row's PNG filter in place (two bytes a pixel); false for an unknown filter type.</summary>
    private static bool Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above)
    {
        switch (filter)
        {
            case 0:
                return true;
            case 1:
                for (var i = BytesPerPixel; i < row.Length; i++)
                {
                    row[i] += row[i - BytesPerPixel];
                }

                return true;
            case 2:
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] += above[i];
                }

                return true;
            case 3:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= BytesPerPixel ? row[i - BytesPerPixel] : 0;
                    row[i] += (byte)((left + above[i]) >> 1);
                }

                return true;
            case 4:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= BytesPerPixel ? row[i - BytesPerPixel] : 0;
                    var upperLeft = i >= BytesPerPixel ? above[i - BytesPerPixel] : 0;
                    row[i] += Paeth(left, above[i], upperLeft);
                }

                return true;
            default:
                return false;
        }
    }

    private static byte Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
