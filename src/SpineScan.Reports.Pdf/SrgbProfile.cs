using System.Buffers.Binary;
using System.Text;

namespace SpineScan.Reports.Pdf;

/// <summary>
/// A minimal ICC v2.1 display profile for sRGB (IEC 61966-2.1), made here so that no profile file has to ship: the
/// D50-adapted primaries (Bradford), the sRGB tone curve as a 1024-entry table, D50 white. PDF/A's output intent embeds it.
/// </summary>
internal static class SrgbProfile
{
    /// <summary>The name the output intent gives it.</summary>
    public const string Name = "sRGB IEC61966-2.1";

    /// <summary>The profile's bytes.</summary>
    public static byte[] Bytes { get; } = Build();

    private static byte[] Build()
    {
        var curve = new byte[12 + (1024 * 2)];
        Encoding.ASCII.GetBytes("curv").CopyTo(curve, 0);
        BinaryPrimitives.WriteUInt32BigEndian(curve.AsSpan(8), 1024);
        for (var i = 0; i < 1024; i++)
        {
            var v = i / 1023.0;
            var linear = v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            BinaryPrimitives.WriteUInt16BigEndian(curve.AsSpan(12 + (i * 2)), (ushort)Math.Round(linear * 65535));
        }

        // Tag data in the order written; the three tone curves share one table.
        var tags = new List<(string Signature, byte[] Data)>
        {
            ("desc", Description(Name)),
            ("cprt", Text("No copyright, use freely")),
            ("wtpt", Xyz(0.9642, 1.0, 0.8249)),
            ("rXYZ", Xyz(0.4361, 0.2225, 0.0139)),
            ("gXYZ", Xyz(0.3851, 0.7169, 0.0971)),
            ("bXYZ", Xyz(0.1431, 0.0606, 0.7141)),
            ("rTRC", curve),
        };
        string[] sharedCurves = ["gTRC", "bTRC"];
        var count = tags.Count + sharedCurves.Length;
        var offset = 128 + 4 + (12 * count);
        var table = new List<(string Signature, int Offset, int Size)>();
        using var data = new MemoryStream();
        foreach (var (signature, bytes) in tags)
        {
            table.Add((signature, offset + (int)data.Length, bytes.Length));
            data.Write(bytes);
            while (data.Length % 4 != 0)
            {
                data.WriteByte(0);
            }
        }

        var trc = table[^1];
        foreach (var signature in sharedCurves)
        {
            table.Add((signature, trc.Offset, trc.Size));
        }

        var profile = new byte[offset + data.Length];
        var header = profile.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)profile.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], 0x02100000); // version 2.1
        Encoding.ASCII.GetBytes("mntrRGB XYZ ").CopyTo(header[12..]);
        ushort[] date = [2025, 1, 1, 0, 0, 0];
        for (var i = 0; i < date.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(header[(24 + (2 * i))..], date[i]);
        }

        Encoding.ASCII.GetBytes("acsp").CopyTo(header[36..]);
        Fixed(header[68..], 0.9642);
        Fixed(header[72..], 1.0);
        Fixed(header[76..], 0.8249);
        BinaryPrimitives.WriteUInt32BigEndian(header[128..], (uint)count);
        for (var i = 0; i < table.Count; i++)
        {
            var entry = header[(132 + (12 * i))..];
            Encoding.ASCII.GetBytes(table[i].Signature).CopyTo(entry);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)table[i].Offset);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)table[i].Size);
        }

        data.ToArray().CopyTo(profile, offset);
        return profile;
    }

    private static byte[] Xyz(double x, double y, double z)
    {
        var bytes = new byte[20];
        Encoding.ASCII.GetBytes("XYZ ").CopyTo(bytes, 0);
        Fixed(bytes.AsSpan(8), x);
        Fixed(bytes.AsSpan(12), y);
        Fixed(bytes.AsSpan(16), z);
        return bytes;
    }

    private static byte[] Text(string text)
    {
        var bytes = new byte[8 + text.Length + 1];
        Encoding.ASCII.GetBytes("text").CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(text).CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>textDescriptionType (v2): the ASCII name, no Unicode or ScriptCode names.</summary>
    private static byte[] Description(string text)
    {
        var bytes = new byte[12 + text.Length + 1 + 4 + 4 + 2 + 1 + 67];
        Encoding.ASCII.GetBytes("desc").CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)(text.Length + 1));
        Encoding.ASCII.GetBytes(text).CopyTo(bytes, 12);
        return bytes;
    }

    private static void Fixed(Span<byte> destination, double value) =>
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)Math.Round(value * 65536));
}
