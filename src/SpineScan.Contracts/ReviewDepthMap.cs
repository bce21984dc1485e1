using System.Buffers.Binary;

namespace SpineScan.Contracts;

/// <summary>
/// A downsampled back-surface depth map for clinical review: an orthographic resampling of the back in
/// camera coordinates. Pixel (u, v) covers x = <see cref="OriginXMm"/> + u * <see cref="MmPerPixel"/>,
/// y = <see cref="OriginYMm"/> + v * <see cref="MmPerPixel"/>; its value is the depth z in millimetres,
/// 0 meaning no measurement. Landmarks' camera coordinates project onto it directly.
/// </summary>
/// <param name="Width">Columns, 1 to <see cref="MaxSide"/>.</param>
/// <param name="Height">Rows, 1 to <see cref="MaxSide"/>.</param>
/// <param name="MmPerPixel">Pixel pitch in millimetres.</param>
/// <param name="OriginXMm">Camera x of pixel column 0.</param>
/// <param name="OriginYMm">Camera y of pixel row 0.</param>
/// <param name="DepthsMm">Row-major little-endian uint16 depths in mm (base64 in JSON), 2 * width * height bytes.</param>
public sealed record ReviewDepthMap(
    int Width,
    int Height,
    double MmPerPixel,
    double OriginXMm,
    double OriginYMm,
    byte[] DepthsMm)
{
    /// <summary>No measurement.</summary>
    public const ushort NoDepth = 0;

    /// <summary>The largest width or height accepted.</summary>
    public const int MaxSide = 256;

    /// <summary>Packs depths (row-major, width * height values) into a review map.</summary>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="mmPerPixel">Pixel pitch.</param>
    /// <param name="originXMm">Camera x of column 0.</param>
    /// <param name="originYMm">Camera y of row 0.</param>
    /// <param name="depthsMm">The depths in mm.</param>
    /// <returns>The map.</returns>
    public static ReviewDepthMap FromDepths(int width, int height, double mmPerPixel, double originXMm, double originYMm, ReadOnlySpan<ushort> depthsMm)
    {
        if (depthsMm.Length != width * height)
        {
            throw new ArgumentException($"Expected {width * height} depths, got {depthsMm.Length}.", nameof(depthsMm));
        }

        var bytes = new byte[depthsMm.Length * 2];
        for (var i = 0; i < depthsMm.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), depthsMm[i]);
        }

        return new ReviewDepthMap(width, height, mmPerPixel, originXMm, originYMm, bytes);
    }

    /// <summary>Unpacks the depths into <paramref name="destination"/> (width * height values).</summary>
    /// <param name="destination">Receives the depths in mm.</param>
    public void CopyDepthsTo(Span<ushort> destination)
    {
        var count = Width * Height;
        if (destination.Length < count || DepthsMm.Length != count * 2)
        {
            throw new ArgumentException("The destination or the stored depths have the wrong size.", nameof(destination));
        }

        var source = DepthsMm.AsSpan();
        for (var i = 0; i < count; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]);
        }
    }
}
