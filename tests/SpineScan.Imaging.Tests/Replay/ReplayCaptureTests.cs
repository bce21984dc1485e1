using System.Buffers.Binary;
using OpenCvSharp;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Imaging.Replay;

namespace SpineScan.Imaging.Tests.Replay;

public sealed class ReplayCaptureTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "spinescan-replay-" + Guid.NewGuid().ToString("N"));

    public ReplayCaptureTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static DepthCapture SmallCapture(int frames = 3, int width = 40, int height = 30)
    {
        var intrinsics = new CameraIntrinsics(width, height, 30, 30, width / 2.0, height / 2.0, DistortionModel.BrownConrady, 0.01, -0.02, 0.001, 0.002, 0.003);
        var list = new List<DepthFrame>();
        for (var f = 0; f < frames; f++)
        {
            var frame = DepthFrame.Create(width, height, 0.001, f * 33.333);
            for (var y = 0; y < height; y++)
            {
                var row = frame.Row(y);
                for (var x = 0; x < width; x++)
                {
                    // A ramp that uses the full 16 bits, with holes.
                    row[x] = (x + y) % 7 == 0 ? DepthFrame.NoMeasurement : (ushort)(900 + (x * 1000) + (y * 37) + f);
                }
            }

            list.Add(frame);
        }

        return new DepthCapture(CapturePose.ForwardBend, intrinsics, new CaptureDevice("Test cam", "42"), "cal-7", list);
    }

    private string WriteValid(string name = "cap")
    {
        var dir = Path.Combine(_root, name);
        using var capture = SmallCapture();
        ReplayCaptureWriter.Write(capture, dir);
        return dir;
    }

    private static string ReadError(string dir) => Assert.Throws<InvalidCaptureException>(() => ReplayCaptureReader.Read(dir).Dispose()).Message;

    [Fact]
    public void Write_ThenRead_ReturnsIdenticalPixelsAndMetadata()
    {
        var dir = Path.Combine(_root, "roundtrip");
        using var original = SmallCapture();
        ReplayCaptureWriter.Write(original, dir);

        using var read = ReplayCaptureReader.Read(dir);

        Assert.Equal(CapturePose.ForwardBend, read.Pose);
        Assert.Equal(original.Intrinsics, read.Intrinsics);
        Assert.Equal("cal-7", read.CalibrationId);
        Assert.Equal("42", read.Device.Serial);
        Assert.Equal(3, read.Frames.Count);
        for (var f = 0; f < 3; f++)
        {
            Assert.Equal(original.Frames[f].TimestampMs, read.Frames[f].TimestampMs, 3);
            for (var y = 0; y < 30; y++)
            {
                Assert.True(original.Frames[f].Row(y).SequenceEqual(read.Frames[f].Row(y)), $"frame {f} row {y} differs");
            }
        }
    }

    [Fact]
    public void Read_FolderWrittenByAnotherTool_AnalysesTheSame()
    {
        // Another tool: hand-written JSON with extra fields and no model/coeffs, PNG from OpenCV's ImWrite.
        var dir = Path.Combine(_root, "foreign");
        Directory.CreateDirectory(dir);
        using (var mat = new Mat(30, 40, MatType.CV_16UC1, new Scalar(1234)))
        {
            Cv2.ImWrite(Path.Combine(dir, "depth_000.png"), mat);
        }

        File.WriteAllText(Path.Combine(dir, "capture.json"), """
            { "schema": "spinescan.capture/1", "pose": "standing", "width": 40, "height": 30, "depthScaleM": 0.001,
              "intrinsics": { "fx": 30, "fy": 30, "cx": 20, "cy": 15 },
              "vendorExtra": { "anything": [1, 2, 3] },
              "frames": [ { "file": "depth_000.png", "timestampMs": 0.0, "exposure": 5 } ] }
            """);

        using var capture = ReplayCaptureReader.Read(dir);

        Assert.Equal(CapturePose.Standing, capture.Pose);
        Assert.Equal(1234.0, capture.Frames[0].DepthMmAt(5, 5), 9);
    }

    [Fact]
    public void Write_ExistingCapture_RefusesAndKeepsIt()
    {
        var dir = WriteValid();
        var before = File.ReadAllBytes(Path.Combine(dir, "depth_000.png"));
        using var other = SmallCapture(frames: 1);

        var error = Assert.Throws<IOException>(() => ReplayCaptureWriter.Write(other, dir));

        Assert.Contains("never overwritten", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, "depth_000.png")));
        Assert.Equal(3, ReplayCaptureReader.Read(dir).Frames.Count);
        Assert.Empty(Directory.GetDirectories(_root, ".*partial*"));
    }

    [Fact]
    public void Read_MissingFolder_SaysSo()
    {
        Assert.Contains("does not exist", ReadError(Path.Combine(_root, "nope")), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoManifest_NamesCaptureJson()
    {
        var dir = WriteValid();
        File.Delete(Path.Combine(dir, "capture.json"));

        Assert.Contains("has no capture.json", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFrame_NamesTheFrame()
    {
        var dir = WriteValid();
        File.Delete(Path.Combine(dir, "depth_001.png"));

        var message = ReadError(dir);

        Assert.Contains("'depth_001.png' is listed", message, StringComparison.Ordinal);
        Assert.Contains("missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExtraFrame_NamesTheExtraFile()
    {
        var dir = WriteValid();
        File.Copy(Path.Combine(dir, "depth_000.png"), Path.Combine(dir, "depth_003.png"));

        var message = ReadError(dir);

        Assert.Contains("not listed", message, StringComparison.Ordinal);
        Assert.Contains("depth_003.png", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EightBitPng_SaysSixteenBitNeeded()
    {
        var dir = WriteValid();
        using (var mat = new Mat(30, 40, MatType.CV_8UC1, new Scalar(100)))
        {
            Cv2.ImWrite(Path.Combine(dir, "depth_001.png"), mat);
        }

        var message = ReadError(dir);

        Assert.Contains("depth_001.png is a 8-bit PNG", message, StringComparison.Ordinal);
        Assert.Contains("16-bit", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ColourPng_SaysSingleChannelNeeded()
    {
        var dir = WriteValid();
        using (var mat = new Mat(30, 40, MatType.CV_16UC3, new Scalar(100, 200, 300)))
        {
            Cv2.ImWrite(Path.Combine(dir, "depth_002.png"), mat);
        }

        var message = ReadError(dir);

        Assert.Contains("depth_002.png is a colour (RGB) PNG", message, StringComparison.Ordinal);
        Assert.Contains("single-channel", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongSizedFrame_GivesBothSizes()
    {
        var dir = WriteValid();
        using (var mat = new Mat(31, 40, MatType.CV_16UC1, new Scalar(1000)))
        {
            Cv2.ImWrite(Path.Combine(dir, "depth_000.png"), mat);
        }

        Assert.Contains("depth_000.png is 40x31 but capture.json says 40x30", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedPng_SaysTruncated()
    {
        var dir = WriteValid();
        var path = Path.Combine(dir, "depth_002.png");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Contains("depth_002.png is truncated", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FlippedByteInImageData_SaysCorrupt()
    {
        var dir = WriteValid();
        var path = Path.Combine(dir, "depth_001.png");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 30] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        Assert.Contains("depth_001.png is corrupt", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DamagedDeflateStreamWithValidChecksums_SaysDamaged()
    {
        // A tool that rewrote the checksums after damaging the data: only the decoder can notice.
        var dir = WriteValid();
        var path = Path.Combine(dir, "depth_001.png");
        var bytes = File.ReadAllBytes(path);
        var idat = FindChunk(bytes, "IDAT");
        var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(idat));
        for (var i = idat + 8 + 2; i < idat + 8 + length; i += 3)
        {
            bytes[i] = 0xFF;
        }

        var crc = System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(idat + 4, 4 + length));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(idat + 8 + length), crc);
        File.WriteAllBytes(path, bytes);

        Assert.Contains("depth_001.png could not be decoded", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAPng_SaysSo()
    {
        var dir = WriteValid();
        File.WriteAllText(Path.Combine(dir, "depth_000.png"), "hello");

        Assert.Contains("depth_000.png is not a PNG file", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyPng_SaysSo()
    {
        var dir = WriteValid();
        File.WriteAllBytes(Path.Combine(dir, "depth_000.png"), []);

        Assert.Contains("depth_000.png is not a PNG file", ReadError(dir), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"schema\": \"spinescan.capture/1\",", "", "required field 'schema' is missing")]
    [InlineData("spinescan.capture/1", "spinescan.capture/2", "schema 'spinescan.capture/2' is not supported")]
    [InlineData("\"pose\": \"forward_bend\",", "", "required field 'pose' is missing")]
    [InlineData("\"forward_bend\"", "\"sitting\"", "'pose' is 'sitting'")]
    [InlineData("\"width\": 40,", "", "required field 'width' is missing")]
    [InlineData("\"depthScaleM\": 0.001,", "\"depthScaleM\": -1,", "'depthScaleM' = -1 is not a usable depth unit")]
    [InlineData("\"fx\": 30,", "\"fx\": \"NaN\",", "fx = NaN must be a positive finite focal length")]
    [InlineData("\"fx\": 30,", "\"fx\": 0,", "fx = 0 must be a positive finite focal length")]
    [InlineData("\"fx\": 30,", "", "intrinsics is missing the required field(s) fx")]
    [InlineData("\"cx\": 20,", "\"cx\": 4000,", "cx = 4000 must lie inside the image width")]
    [InlineData("\"cy\": 15,", "\"cy\": \"-Infinity\",", "cy = -Infinity must lie inside the image height")]
    [InlineData("\"model\": \"brown_conrady\"", "\"model\": \"fisheye\"", "intrinsics.model 'fisheye' is not supported")]
    [InlineData("\"file\": \"depth_001.png\"", "\"file\": \"../depth_001.png\"", "must be a plain file name")]
    public void Read_BadManifestField_NamesTheField(string find, string replace, string expected)
    {
        var dir = WriteValid();
        var path = Path.Combine(dir, "capture.json");
        var json = File.ReadAllText(path);
        Assert.Contains(find, json, StringComparison.Ordinal);
        File.WriteAllText(path, json.Replace(find, replace, StringComparison.Ordinal));

        var message = ReadError(dir);

        Assert.StartsWith("capture.json:", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CoefficientsWrongCount_SaysFiveNeeded()
    {
        var dir = WriteValid();
        var path = Path.Combine(dir, "capture.json");
        var json = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), @"""coeffs"": \[[^\]]*\]", "\"coeffs\": [0, 0, 0]");
        File.WriteAllText(path, json);

        Assert.Contains("intrinsics.coeffs has 3 values; it must have 5", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedJson_GivesLineAndPosition()
    {
        var dir = WriteValid();
        File.WriteAllText(Path.Combine(dir, "capture.json"), "{\n  \"schema\": \"spinescan.capture/1\",\n  \"width\": 40 40\n}");

        var message = ReadError(dir);

        Assert.Contains("not valid capture JSON at line 3", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongJsonType_NamesTheField()
    {
        var dir = WriteValid();
        var path = Path.Combine(dir, "capture.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"width\": 40", "\"width\": \"wide\"", StringComparison.Ordinal));

        Assert.Contains("$.width", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeDeclaredImage_RefusedBeforeDecoding()
    {
        var dir = WriteValid();
        var path = Path.Combine(dir, "capture.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"width\": 40", "\"width\": 100000", StringComparison.Ordinal));

        Assert.Contains("'width' = 100000 is not a depth image size", ReadError(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadInput_LeavesFolderUnchanged()
    {
        var dir = WriteValid();
        File.WriteAllText(Path.Combine(dir, "depth_000.png"), "garbage");
        var before = Directory.GetFiles(dir).Select(f => (f, File.ReadAllBytes(f))).ToList();

        ReadError(dir);

        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }

        Assert.Equal(before.Count, Directory.GetFiles(dir).Length);
    }

    private static int FindChunk(byte[] png, string type)
    {
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            if (System.Text.Encoding.ASCII.GetString(png, offset + 4, 4) == type)
            {
                return offset;
            }

            offset += 12 + length;
        }

        throw new InvalidOperationException("chunk not found");
    }
}
