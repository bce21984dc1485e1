using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCvSharp;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Imaging.Replay;

/// <summary>
/// Reads a capture folder in the replay format (capture.json plus 16-bit PNG depth frames). Every way
/// a folder can be wrong ends in an <see cref="InvalidCaptureException"/> naming the file and the
/// problem; reading never writes.
/// </summary>
public static partial class ReplayCaptureReader
{
    public const string ManifestFileName = "capture.json";
    public const int MaxFrames = 300;
    public const int MaxImageSide = 4096;

    /// <summary>Pixels of all frames together (about 240 MB of depth): 300 frames of 4096x4096 would take 10 GB.</summary>
    public const long MaxTotalPixels = 120_000_000;
    private const long MaxManifestBytes = 1 << 20;
    private const long MaxPngBytes = 64L << 20;

    /// <summary>Reads and validates the capture in <paramref name="directory"/> (with OpenCV where it loads, else the managed PNG codec).</summary>
    public static DepthCapture Read(string directory) => Read(directory, OpenCvProbe.IsAvailable);

    /// <summary>Reads with OpenCV's PNG decoder or with <see cref="ManagedPng16"/>.</summary>
    internal static DepthCapture Read(string directory, bool useOpenCv)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new InvalidCaptureException($"The capture folder '{directory}' does not exist. Give the folder that holds capture.json and the depth_NNN.png frames.");
        }

        var manifest = ReadManifest(directory);
        var (pose, intrinsics, depthScaleM, device, frameFiles) = Validate(manifest);
        CheckFolderMatchesFrameList(directory, frameFiles);

        var frames = new List<DepthFrame>(frameFiles.Count);
        try
        {
            foreach (var (file, timestampMs) in frameFiles)
            {
                frames.Add(ReadFrame(Path.Combine(directory, file), file, intrinsics.Width, intrinsics.Height, depthScaleM, timestampMs, useOpenCv));
            }
        }
        catch
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }

            throw;
        }

        return new DepthCapture(pose, intrinsics, device, manifest.CalibrationId, frames);
    }

    private static CaptureManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestFileName);
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
        {
            CaptureFile.RequireRegularInside(directory, path, ManifestFileName);
        }

        if (!File.Exists(path))
        {
            throw new InvalidCaptureException($"'{directory}' has no {ManifestFileName}. A capture folder holds {ManifestFileName} and the frames depth_000.png, depth_001.png, ...");
        }

        var length = new FileInfo(path).Length;
        if (length > MaxManifestBytes)
        {
            throw new InvalidCaptureException($"{ManifestFileName} is {length} bytes; a capture manifest is a few kilobytes (limit {MaxManifestBytes} bytes). Is this the right file?");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize(File.ReadAllBytes(path), CaptureManifestJsonContext.Default.CaptureManifest);
            return manifest ?? throw new InvalidCaptureException($"{ManifestFileName} holds null instead of a capture object.");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, position {ex.BytePositionInLine + 1}")
                : string.Empty;
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" (field {ex.Path})";
            throw new InvalidCaptureException($"{ManifestFileName} is not valid capture JSON{where}{field}: {FirstSentence(ex.Message)} Fix or re-export the file.", ex);
        }
    }

    private static (CapturePose Pose, CameraIntrinsics Intrinsics, double DepthScaleM, CaptureDevice Device, List<(string File, double TimestampMs)> Frames)
        Validate(CaptureManifest m)
    {
        if (m.Schema is null)
        {
            throw Problem("the required field 'schema' is missing (expected \"" + DepthCapture.Schema + "\")");
        }

        if (!string.Equals(m.Schema, DepthCapture.Schema, StringComparison.Ordinal))
        {
            throw Problem($"schema '{m.Schema}' is not supported; this SpineScan reads '{DepthCapture.Schema}'. Convert the capture or update SpineScan");
        }

        var problems = new List<string>();
        var pose = CapturePose.Standing;
        if (m.Pose is null)
        {
            problems.Add("the required field 'pose' is missing (\"standing\" or \"forward_bend\")");
        }
        else if (!DepthCapture.TryParsePose(m.Pose, out pose))
        {
            problems.Add($"'pose' is '{m.Pose}'; it must be \"standing\" or \"forward_bend\"");
        }

        RequireSide(problems, "width", m.Width);
        RequireSide(problems, "height", m.Height);
        if (m.DepthScaleM is not { } scale)
        {
            problems.Add("the required field 'depthScaleM' is missing (metres per depth unit, e.g. 0.001)");
            scale = 0;
        }
        else if (!double.IsFinite(scale) || scale <= 0 || scale > 0.1)
        {
            problems.Add(Invariant($"'depthScaleM' = {scale} is not a usable depth unit (a positive number of metres, at most 0.1)"));
        }

        CameraIntrinsics? intrinsics = null;
        if (m.Intrinsics is not { } i)
        {
            problems.Add("the required field 'intrinsics' is missing (fx, fy, cx, cy, model, coeffs)");
        }
        else
        {
            intrinsics = ValidateIntrinsics(i, m.Width ?? 0, m.Height ?? 0, problems);
        }

        var frames = new List<(string, double)>();
        if (m.Frames is null || m.Frames.Count == 0)
        {
            problems.Add("'frames' is missing or empty; list at least one depth frame");
        }
        else if (m.Frames.Count > MaxFrames)
        {
            problems.Add(Invariant($"'frames' lists {m.Frames.Count} frames; at most {MaxFrames} are accepted"));
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var n = 0; n < m.Frames.Count; n++)
            {
                var frame = m.Frames[n];
                var file = frame?.File;
                if (string.IsNullOrWhiteSpace(file))
                {
                    problems.Add(Invariant($"frames[{n}] has no 'file'"));
                    continue;
                }

                if (!FrameFilePattern().IsMatch(file))
                {
                    problems.Add($"frames[{n}].file '{file}' must be a plain file name like depth_000.png inside the capture folder");
                    continue;
                }

                if (!seen.Add(file))
                {
                    problems.Add($"frames[{n}].file '{file}' is listed twice");
                    continue;
                }

                var timestamp = frame!.TimestampMs ?? n * (1000.0 / 30.0);
                if (!double.IsFinite(timestamp))
                {
                    problems.Add(Invariant($"frames[{n}].timestampMs is not a finite number"));
                }

                frames.Add((file, timestamp));
            }
        }

        if (problems.Count == 0 && (long)m.Width!.Value * m.Height!.Value * frames.Count is var pixels && pixels > MaxTotalPixels)
        {
            problems.Add(Invariant($"{frames.Count} frames of {m.Width}x{m.Height} are {pixels} pixels, more than the {MaxTotalPixels} a capture may hold; a screening capture is 10 to 30 frames"));
        }

        if (problems.Count > 0)
        {
            throw Problem(string.Join("; ", problems));
        }

        var device = new CaptureDevice(m.Device?.Model ?? "unknown", m.Device?.Serial ?? "unknown");
        return (pose, intrinsics!, scale, device, frames);
    }

    private static CameraIntrinsics? ValidateIntrinsics(ManifestIntrinsics i, int width, int height, List<string> problems)
    {
        var missing = new List<string>();
        if (i.Fx is null)
        {
            missing.Add("fx");
        }

        if (i.Fy is null)
        {
            missing.Add("fy");
        }

        if (i.Cx is null)
        {
            missing.Add("cx");
        }

        if (i.Cy is null)
        {
            missing.Add("cy");
        }

        if (missing.Count > 0)
        {
            problems.Add("intrinsics is missing the required field(s) " + string.Join(", ", missing));
            return null;
        }

        DistortionModel model;
        switch (i.Model)
        {
            case null or "brown_conrady":
                model = DistortionModel.BrownConrady;
                break;
            case "none":
                model = DistortionModel.None;
                break;
            default:
                problems.Add($"intrinsics.model '{i.Model}' is not supported (\"brown_conrady\" or \"none\")");
                return null;
        }

        var c = i.Coeffs ?? [0, 0, 0, 0, 0];
        if (c.Length != 5)
        {
            problems.Add(Invariant($"intrinsics.coeffs has {c.Length} values; it must have 5 (k1, k2, p1, p2, k3)"));
            return null;
        }

        var intrinsics = new CameraIntrinsics(width, height, i.Fx!.Value, i.Fy!.Value, i.Cx!.Value, i.Cy!.Value, model, c[0], c[1], c[2], c[3], c[4]);
        if (width > 0 && height > 0)
        {
            foreach (var p in intrinsics.Problems())
            {
                problems.Add("intrinsics: " + p);
            }
        }

        return intrinsics;
    }

    private static void CheckFolderMatchesFrameList(string directory, List<(string File, double TimestampMs)> frames)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, _) in frames)
        {
            listed.Add(file);
            // Every listed file is checked before any is read.
            var path = Path.Combine(directory, file);
            if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
            {
                CaptureFile.RequireRegularInside(directory, path, file);
            }

            if (!File.Exists(path))
            {
                throw new InvalidCaptureException($"Frame '{file}' is listed in {ManifestFileName} but missing from '{directory}'. Copy the whole capture folder again, or remove the frame from the list.");
            }
        }

        var extra = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "depth_*.png"))
        {
            var name = Path.GetFileName(path);
            if (!listed.Contains(name))
            {
                extra.Add(name);
            }
        }

        if (extra.Count > 0)
        {
            extra.Sort(StringComparer.Ordinal);
            throw new InvalidCaptureException($"'{directory}' holds depth frame(s) not listed in {ManifestFileName}: {string.Join(", ", extra.Take(5))}{(extra.Count > 5 ? ", ..." : string.Empty)}. The list and the folder must agree: add them to 'frames' or remove the files.");
        }
    }

    private static DepthFrame ReadFrame(string path, string file, int width, int height, double depthScaleM, double timestampMs, bool useOpenCv)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxPngBytes)
        {
            throw new InvalidCaptureException(Invariant($"{file} is {length} bytes, larger than any {width}x{height} depth frame should be (limit {MaxPngBytes} bytes)."));
        }

        var bytes = File.ReadAllBytes(path);
        var problem = PngHeader.TryRead(bytes, out var header);
        if (problem is not null)
        {
            throw new InvalidCaptureException($"{file} {problem}. Re-export or re-capture this frame.");
        }

        if (!header.IsGrayscale)
        {
            throw new InvalidCaptureException(Invariant($"{file} is a {header.ColorTypeName} PNG; depth frames must be 16-bit single-channel (grayscale) PNG. Was a colour preview saved instead of the depth?"));
        }

        if (header.BitDepth != 16)
        {
            throw new InvalidCaptureException(Invariant($"{file} is a {header.BitDepth}-bit PNG; depth frames must be 16-bit single-channel PNG (8 bits cannot hold millimetre depth)."));
        }

        if (header.Width != width || header.Height != height)
        {
            throw new InvalidCaptureException(Invariant($"{file} is {header.Width}x{header.Height} but {ManifestFileName} says {width}x{height}. All frames of a capture have the size given in {ManifestFileName}."));
        }

        if (!useOpenCv)
        {
            var decoded = DepthFrame.Create(width, height, depthScaleM, timestampMs);
            if (ManagedPng16.TryDecode(bytes, header, decoded) is { } decodeProblem)
            {
                decoded.Dispose();
                throw new InvalidCaptureException($"{file} {decodeProblem}. Re-export or re-capture this frame.");
            }

            return decoded;
        }

        using var mat = Cv2.ImDecode(bytes, ImreadModes.Unchanged);
        if (mat.Empty() || mat.Type() != MatType.CV_16UC1 || mat.Width != width || mat.Height != height)
        {
            throw new InvalidCaptureException($"{file} could not be decoded as a 16-bit depth image (its compressed data is damaged). Re-export or re-capture this frame.");
        }

        var frame = DepthFrame.Create(width, height, depthScaleM, timestampMs);
        var source = mat.IsContinuous() ? mat.AsSpan<ushort>() : throw new InvalidCaptureException($"{file} decoded to an unexpected memory layout.");
        for (var y = 0; y < height; y++)
        {
            source.Slice(y * width, width).CopyTo(frame.Row(y));
        }

        return frame;
    }

    private static void RequireSide(List<string> problems, string name, int? value)
    {
        if (value is null)
        {
            problems.Add($"the required field '{name}' is missing");
        }
        else if (value <= 0 || value > MaxImageSide)
        {
            problems.Add(Invariant($"'{name}' = {value} is not a depth image size (1 to {MaxImageSide} pixels)"));
        }
    }

    private static InvalidCaptureException Problem(string what) =>
        new($"{ManifestFileName}: {what}.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+\.png$", RegexOptions.CultureInvariant)]
    private static partial Regex FrameFilePattern();
}
