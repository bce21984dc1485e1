using OpenCvSharp;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Imaging.Replay;

namespace SpineScan.Imaging.Tests.Replay;

/// <summary>The managed 16-bit PNG codec against OpenCV's, both ways, on random frames of odd sizes.</summary>
public sealed class ManagedPng16Tests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 23, 2)]
    [InlineData(424, 240, 3)]
    public void Encode_DecodedByOpenCv_GivesTheSameDepths(int width, int height, int seed)
    {
        using var frame = RandomFrame(width, height, seed);

        var png = ManagedPng16.Encode(frame);
        using var mat = Cv2.ImDecode(png, ImreadModes.Unchanged);

        Assert.Equal(MatType.CV_16UC1, mat.Type());
        Assert.Equal((width, height), (mat.Width, mat.Height));
        for (var y = 0; y < height; y++)
        {
            Assert.True(frame.Row(y).SequenceEqual(mat.AsSpan<ushort>().Slice(y * width, width)), $"row {y} differs");
        }
    }

    [Theory]
    [InlineData(1, 1, 4)]
    [InlineData(37, 23, 5)]
    [InlineData(424, 240, 6)]
    public void Decode_OfOpenCvPngsWithEveryFilter_GivesTheSameDepths(int width, int height, int seed)
    {
        using var frame = RandomFrame(width, height, seed);
        using var mat = new Mat(height, width, MatType.CV_16UC1);
        for (var y = 0; y < height; y++)
        {
            frame.Row(y).CopyTo(mat.AsSpan<ushort>().Slice(y * width, width));
        }

        // OpenCV's default strategy picks a filter per row (None, Sub, Up, Average, Paeth); the replay writer's RLE too.
        foreach (var parameters in new[] { Array.Empty<ImageEncodingParam>(), [new(ImwriteFlags.PngCompression, 1), new(ImwriteFlags.PngStrategy, (int)ImwritePNGFlags.StrategyRLE)] })
        {
            Cv2.ImEncode(".png", mat, out var png, parameters);
            Assert.Null(PngHeader.TryRead(png, out var header));
            using var decoded = DepthFrame.Create(width, height, 0.001);

            Assert.Null(ManagedPng16.TryDecode(png, header, decoded));
            for (var y = 0; y < height; y++)
            {
                Assert.True(frame.Row(y).SequenceEqual(decoded.Row(y)), $"row {y} differs");
            }
        }
    }

    [Fact]
    public void Decode_DamagedData_SaysSoWithoutThrowing()
    {
        using var frame = RandomFrame(64, 48, 7);
        var png = ManagedPng16.Encode(frame);
        // Cut the compressed stream short and fix the chunk's length and CRC, so only the deflate data is wrong.
        var idat = Enumerable.Range(8, png.Length - 8).First(i => png[i] == 'I' && png[i + 1] == 'D' && png[i + 2] == 'A' && png[i + 3] == 'T') - 4;
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(idat));
        var shortLength = length / 2;
        var damaged = new List<byte>(png[..(idat + 8 + shortLength)]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(damaged).Slice(idat, 4), shortLength);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(damaged).Slice(idat + 4, 4 + shortLength));
        var word = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        damaged.AddRange(word);
        damaged.AddRange(png[^12..]); // IEND
        var bytes = damaged.ToArray();
        Assert.Null(PngHeader.TryRead(bytes, out var header));
        using var decoded = DepthFrame.Create(64, 48, 0.001);

        Assert.Contains("damaged", ManagedPng16.TryDecode(bytes, header, decoded), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCapture_WrittenByEitherCodec_ReadByEither_GivesTheSameFrames()
    {
        var root = Path.Combine(Path.GetTempPath(), "spinescan-png16-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var original = RandomFrame(53, 31, 8);
            var intrinsics = new CameraIntrinsics(53, 31, 30, 30, 26, 15, DistortionModel.None);
            using var capture = new DepthCapture(CapturePose.Standing, intrinsics, new CaptureDevice("t", "1"), "cal", [RandomFrame(53, 31, 8)]);
            foreach (var writeWithOpenCv in new[] { true, false })
            {
                var dir = Path.Combine(root, writeWithOpenCv ? "cv" : "managed");
                ReplayCaptureWriter.Write(capture, dir, [ReplayCaptureWriter.EncodePng(capture.Frames[0], writeWithOpenCv)]);
                foreach (var readWithOpenCv in new[] { true, false })
                {
                    using var read = ReplayCaptureReader.Read(dir, readWithOpenCv);
                    for (var y = 0; y < 31; y++)
                    {
                        Assert.True(original.Row(y).SequenceEqual(read.Frames[0].Row(y)), $"written by {(writeWithOpenCv ? "OpenCV" : "managed")}, read by {(readWithOpenCv ? "OpenCV" : "managed")}: row {y} differs");
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Depth-like rows (a ramp with noise), holes, and the extremes 0 and 65535.</summary>
    private static DepthFrame RandomFrame(int width, int height, int seed)
    {
        var random = new Random(seed);
        var frame = DepthFrame.Create(width, height, 0.001);
        for (var y = 0; y < height; y++)
        {
            var row = frame.Row(y);
            for (var x = 0; x < width; x++)
            {
                row[x] = random.Next(10) switch
                {
                    0 => DepthFrame.NoMeasurement,
                    1 => ushort.MaxValue,
                    2 => (ushort)random.Next(65536),
                    _ => (ushort)(1200 + (x * 3) + (y * 2) + random.Next(5)),
                };
            }
        }

        return frame;
    }
}
