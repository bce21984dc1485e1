using System.Buffers.Binary;
using System.IO.Hashing;

namespace SpineScan.Imaging.Replay;

/// <summary>
/// Walks a PNG's chunk structure before any decoder sees it, so that an 8-bit or colour image, a
/// wrong size, or a truncated or bit-flipped file gets a message that names the problem (OpenCV only
/// says "could not decode"), and so that a huge declared size is refused before memory is allocated.
/// </summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType)
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public bool IsGrayscale => ColorType == 0;

    public string ColorTypeName => ColorType switch
    {
        0 => "grayscale",
        2 => "colour (RGB)",
        3 => "palette colour",
        4 => "grayscale with alpha",
        6 => "colour with alpha (RGBA)",
        _ => $"unknown colour type {ColorType}",
    };

    /// <summary>Parses and checks the whole chunk sequence; returns a problem description or null.</summary>
    public static string? TryRead(ReadOnlySpan<byte> png, out PngHeader header)
    {
        header = default;
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            return "is not a PNG file (its first bytes are not the PNG signature)";
        }

        var offset = Signature.Length;
        var sawHeader = false;
        var sawData = false;
        while (true)
        {
            if (offset + 8 > png.Length)
            {
                return "is truncated (the file ends before its IEND chunk)";
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (length > int.MaxValue || offset + 12 + (long)length > png.Length)
            {
                return "is truncated (a chunk runs past the end of the file)";
            }

            var body = png.Slice(offset + 8, (int)length);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (Crc32.HashToUInt32(png.Slice(offset + 4, 4 + (int)length)) != storedCrc)
            {
                return $"is corrupt (the checksum of its {System.Text.Encoding.ASCII.GetString(type)} chunk does not match)";
            }

            if (!sawHeader)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    return "is corrupt (it does not start with an IHDR chunk)";
                }

                header = new PngHeader(
                    (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(body), int.MaxValue),
                    (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(body[4..]), int.MaxValue),
                    body[8],
                    body[9]);
                sawHeader = true;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                sawData = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                return sawData ? null : "is corrupt (it holds no image data)";
            }

            offset += 12 + (int)length;
        }
    }
}
