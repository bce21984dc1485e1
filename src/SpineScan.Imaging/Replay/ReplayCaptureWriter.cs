using System.Text.Json;
using OpenCvSharp;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Imaging.Replay;

/// <summary>
/// Writes a capture in the replay format, readable by its owner only (folders 0700, files 0600: children's depth). The folder is first written under a temporary name beside
/// the target and then renamed, so a crash or a full disk never leaves a half-written capture that
/// looks complete, and an existing capture is never overwritten.
/// </summary>
public static class ReplayCaptureWriter
{
    private static readonly ImageEncodingParam[] PngParameters =
    [
        new(ImwriteFlags.PngCompression, 1),
        new(ImwriteFlags.PngStrategy, (int)ImwritePNGFlags.StrategyRLE),
    ];

    public static string FrameFileName(int index) => FormattableString.Invariant($"depth_{index:000}.png");

    /// <summary>Writes <paramref name="capture"/> into the new folder <paramref name="directory"/>.</summary>
    /// <param name="capture">The capture.</param>
    /// <param name="directory">The new folder.</param>
    /// <param name="encodedFrames">The frames already encoded by <see cref="EncodePng"/> (one per frame, in order), or null to encode them here.</param>
    /// <exception cref="IOException">The folder already exists and is not empty.</exception>
    public static void Write(DepthCapture capture, string directory, IReadOnlyList<byte[]>? encodedFrames = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (capture.Frames.Count == 0)
        {
            throw new ArgumentException("A capture needs at least one frame.", nameof(capture));
        }

        if (encodedFrames is not null && encodedFrames.Count != capture.Frames.Count)
        {
            throw new ArgumentException($"{encodedFrames.Count} encoded frames were given for {capture.Frames.Count} frames.", nameof(encodedFrames));
        }

        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"'{target}' already exists and is not empty; captures are never overwritten. Choose a new folder.");
        }

        var parent = Path.GetDirectoryName(target) ?? ".";
        OwnerOnly.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(target) + ".partial-" + Guid.NewGuid().ToString("N")[..8]);
        OwnerOnly.CreateDirectory(staging);
        try
        {
            var intrinsics = capture.Intrinsics;
            var manifest = new CaptureManifest
            {
                Schema = DepthCapture.Schema,
                Pose = DepthCapture.PoseName(capture.Pose),
                Width = intrinsics.Width,
                Height = intrinsics.Height,
                DepthScaleM = capture.DepthScaleM,
                Intrinsics = new ManifestIntrinsics
                {
                    Fx = intrinsics.Fx,
                    Fy = intrinsics.Fy,
                    Cx = intrinsics.Cx,
                    Cy = intrinsics.Cy,
                    Model = intrinsics.Model == DistortionModel.None ? "none" : "brown_conrady",
                    Coeffs = [intrinsics.K1, intrinsics.K2, intrinsics.P1, intrinsics.P2, intrinsics.K3],
                },
                Device = new ManifestDevice { Model = capture.Device.Model, Serial = capture.Device.Serial },
                CalibrationId = capture.CalibrationId,
                Frames = [],
            };

            for (var i = 0; i < capture.Frames.Count; i++)
            {
                var frame = capture.Frames[i];
                if (frame.Width != intrinsics.Width || frame.Height != intrinsics.Height)
                {
                    throw new ArgumentException($"Frame {i} is {frame.Width}x{frame.Height} but the intrinsics are {intrinsics.Width}x{intrinsics.Height}.", nameof(capture));
                }
            }

            // The frames are encoded on all cores (the encoding is most of a capture's write time), then written in order.
            IReadOnlyList<byte[]> encoded = encodedFrames ?? EncodeAll(capture.Frames);
            for (var i = 0; i < capture.Frames.Count; i++)
            {
                var name = FrameFileName(i);
                OwnerOnly.WriteFile(Path.Combine(staging, name), encoded[i]);
                manifest.Frames.Add(new ManifestFrame { File = name, TimestampMs = Math.Round(capture.Frames[i].TimestampMs, 3) });
            }

            OwnerOnly.WriteFile(
                Path.Combine(staging, ReplayCaptureReader.ManifestFileName),
                JsonSerializer.SerializeToUtf8Bytes(manifest, CaptureManifestJsonContext.Default.CaptureManifest));

            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(staging, target);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static byte[][] EncodeAll(IReadOnlyList<DepthFrame> frames)
    {
        var encoded = new byte[frames.Count][];
        Parallel.For(0, frames.Count, i => encoded[i] = EncodePng(frames[i]));
        return encoded;
    }

    /// <summary>Encodes one depth frame as a 16-bit single-channel PNG (with OpenCV where it loads, else the managed PNG codec).</summary>
    public static byte[] EncodePng(DepthFrame frame) => EncodePng(frame, OpenCvProbe.IsAvailable);

    internal static byte[] EncodePng(DepthFrame frame, bool useOpenCv)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!useOpenCv)
        {
            return ManagedPng16.Encode(frame);
        }

        using var mat = new Mat(frame.Height, frame.Width, MatType.CV_16UC1);
        var pixels = mat.AsSpan<ushort>();
        for (var y = 0; y < frame.Height; y++)
        {
            frame.Row(y).CopyTo(pixels.Slice(y * frame.Width, frame.Width));
        }

        // Fast deflate with run-length matching: depth rows are runs of equal or nearby values, so this is as small as
        // the default level (392 against 389 KB for a phantom frame) at 23 instead of 54 ms a frame on this machine,
        // which is what keeps the raw-depth write inside the device's capture-to-result time.
        Cv2.ImEncode(".png", mat, out var bytes, PngParameters);
        return bytes;
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover ".partial" folder is hidden and never read as a capture.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
