using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using SpineScan.Camera.RealSense.Interop;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Camera.RealSense;

/// <summary>
/// One streaming pipeline and the native objects it needs, driven synchronously (the camera runs it on
/// the thread pool). Started by <see cref="Start"/>, which releases everything it created when any step
/// fails; <see cref="Dispose"/> stops and releases the rest.
/// </summary>
internal sealed class RealSenseSession : IDisposable
{
    private const string WaitForFrames = "rs2_pipeline_wait_for_frames";

    private readonly uint _frameTimeoutMs;
    private Rs2ContextHandle? _context;
    private Rs2ConfigHandle? _config;
    private Rs2PipelineHandle? _pipeline;
    private Rs2PipelineProfileHandle? _profile;
    private bool _streaming;
    private double _depthScaleM;

    private RealSenseSession(int frameTimeoutMs) => _frameTimeoutMs = (uint)frameTimeoutMs;

    /// <summary>Opens the device (or recording), starts the depth stream and reads what the camera is.</summary>
    /// <exception cref="RealSenseException">A librealsense call failed; nothing is left allocated.</exception>
    /// <exception cref="DepthCameraUnavailableException">No such camera, or it cannot deliver depth.</exception>
    public static RealSenseSession Start(RealSenseCameraOptions options, out DepthCameraInfo info)
    {
        var session = new RealSenseSession(options.FrameTimeoutMs);
        try
        {
            info = session.StartCore(options);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next frameset and copies its depth frame into a pooled buffer.</summary>
    public DepthFrame ReadFrame()
    {
        using var frameset = WaitForFrameset();
        using var depth = ExtractDepth(frameset, out _)
            ?? throw new DepthCameraUnavailableException("The RealSense camera sent a frameset without a Z16 depth frame.");
        return CopyDepth(depth, _depthScaleM);
    }

    public void Dispose()
    {
        if (_streaming)
        {
            _streaming = false;
            NativeMethods.rs2_pipeline_stop(_pipeline!, out var error);
            Rs2Error.Discard(error);
        }

        _profile?.Dispose();
        _pipeline?.Dispose();
        _config?.Dispose();
        _context?.Dispose();
    }

    /// <summary>Maps librealsense intrinsics onto Core's model (coefficients k1, k2, p1, p2, k3 in both).</summary>
    internal static unsafe CameraIntrinsics MapIntrinsics(in Rs2Intrinsics native)
    {
        var k = new double[5];
        var distortionFree = true;
        for (var i = 0; i < k.Length; i++)
        {
            k[i] = ToDouble(native.Coeffs[i]);
            distortionFree &= k[i] == 0;
        }

        var model = native.Model switch
        {
            Rs2Distortion.BrownConrady => DistortionModel.BrownConrady,

            // Tangential terms on the radially distorted point: equal to Brown-Conrady to second order.
            Rs2Distortion.ModifiedBrownConrady => DistortionModel.BrownConrady,
            Rs2Distortion.None => DistortionModel.None,
            _ when distortionFree => DistortionModel.None,
            _ => throw new DepthCameraUnavailableException(
                $"The RealSense depth stream uses the {native.Model} distortion model, which SpineScan does not support."),
        };

        if (model == DistortionModel.None)
        {
            Array.Clear(k);
        }

        var intrinsics = new CameraIntrinsics(
            native.Width, native.Height, ToDouble(native.Fx), ToDouble(native.Fy), ToDouble(native.Ppx), ToDouble(native.Ppy),
            model, k[0], k[1], k[2], k[3], k[4]);
        var problems = intrinsics.Problems();
        return problems.Count == 0
            ? intrinsics
            : throw new DepthCameraUnavailableException($"The RealSense camera reports unusable intrinsics: {string.Join("; ", problems)}.");
    }

    // A float's shortest decimal form, so that 0.001f becomes 0.001 and not 0.0010000000474974513.
    private static double ToDouble(float value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private DepthCameraInfo StartCore(RealSenseCameraOptions options)
    {
        _context = Rs2.CreateContext();
        _config = NativeMethods.rs2_create_config(out var error);
        Rs2Error.ThrowIfSet(error, _config);
        if (!string.IsNullOrEmpty(options.PlaybackFile))
        {
            var file = Path.GetFullPath(options.PlaybackFile);
            if (!File.Exists(file))
            {
                throw new DepthCameraUnavailableException($"The RealSense recording {file} does not exist.");
            }

            NativeMethods.rs2_config_enable_device_from_file(_config, file, out error);
            Rs2Error.ThrowIfSet(error);

            // A recording holds the mode it was made in: ask for its depth stream whatever its size and rate.
            EnableDepth(_config, 0, 0, 0);
        }
        else
        {
            var device = SelectDevice(_context, options.Serial);
            NativeMethods.rs2_config_enable_device(_config, device.Serial, out error);
            Rs2Error.ThrowIfSet(error);
            EnableDepth(_config, options.Width, options.Height, options.FramesPerSecond);
        }

        _pipeline = NativeMethods.rs2_create_pipeline(_context, out error);
        Rs2Error.ThrowIfSet(error, _pipeline);
        _pipeline.KeepAlive(_context);
        _profile = NativeMethods.rs2_pipeline_start_with_config(_pipeline, _config, out error);
        Rs2Error.ThrowIfSet(error, _profile);
        _profile.KeepAlive(_pipeline);
        _streaming = true;

        RealSenseDeviceDescription description;
        using (var device = NativeMethods.rs2_pipeline_profile_get_device(_profile, out error))
        {
            Rs2Error.ThrowIfSet(error, device);
            description = Rs2.Describe(device);
            _depthScaleM = ReadDepthScale(device);
        }

        // Intrinsics and the actual rate come with the stream profile of the first depth frame.
        using var frameset = WaitForFrameset();
        using var depth = ExtractDepth(frameset, out var streamProfile)
            ?? throw new DepthCameraUnavailableException("The RealSense camera streams no Z16 depth.");
        NativeMethods.rs2_get_stream_profile_data(streamProfile, out _, out _, out _, out _, out var framerate, out error);
        Rs2Error.ThrowIfSet(error);
        NativeMethods.rs2_get_video_stream_intrinsics(streamProfile, out var native, out error);
        Rs2Error.ThrowIfSet(error);
        return new DepthCameraInfo(
            new CaptureDevice(description.Name, description.Serial),
            MapIntrinsics(native),
            _depthScaleM,
            framerate > 0 ? framerate : options.FramesPerSecond);
    }

    private static RealSenseDeviceDescription SelectDevice(Rs2ContextHandle context, string? serial)
    {
        var devices = Rs2.ListDevices(context);
        if (devices.Count == 0)
        {
            throw new DepthCameraUnavailableException(RealSenseProbe.NoCameraMessage);
        }

        if (string.IsNullOrEmpty(serial))
        {
            return devices[0];
        }

        return devices.Find(d => string.Equals(d.Serial, serial, StringComparison.Ordinal))
            ?? throw new DepthCameraUnavailableException(
                $"No RealSense camera with serial {serial} is connected (connected: {string.Join(", ", devices.Select(d => d.Serial))}).");
    }

    private static void EnableDepth(Rs2ConfigHandle config, int width, int height, int framesPerSecond)
    {
        NativeMethods.rs2_config_enable_stream(config, Rs2Stream.Depth, 0, width, height, Rs2Format.Z16, framesPerSecond, out var error);
        Rs2Error.ThrowIfSet(error);
    }

    private static double ReadDepthScale(Rs2DeviceHandle device)
    {
        using var sensors = NativeMethods.rs2_query_sensors(device, out var error);
        Rs2Error.ThrowIfSet(error, sensors);
        var count = NativeMethods.rs2_get_sensors_count(sensors, out error);
        Rs2Error.ThrowIfSet(error);
        for (var i = 0; i < count; i++)
        {
            using var sensor = NativeMethods.rs2_create_sensor(sensors, i, out error);
            Rs2Error.ThrowIfSet(error, sensor);
            var isDepth = NativeMethods.rs2_is_sensor_extendable_to(sensor, Rs2Extension.DepthSensor, out error);
            Rs2Error.ThrowIfSet(error);
            if (isDepth == 0)
            {
                continue;
            }

            var scale = NativeMethods.rs2_get_depth_scale(sensor, out error);
            Rs2Error.ThrowIfSet(error);
            return float.IsFinite(scale) && scale > 0
                ? ToDouble(scale)
                : throw new DepthCameraUnavailableException(
                    string.Create(CultureInfo.InvariantCulture, $"The RealSense depth sensor reports a depth scale of {scale} m."));
        }

        throw new DepthCameraUnavailableException("The RealSense device has no depth sensor.");
    }

    private Rs2FrameHandle WaitForFrameset()
    {
        var frameset = NativeMethods.rs2_pipeline_wait_for_frames(_pipeline!, _frameTimeoutMs, out var error);
        try
        {
            Rs2Error.ThrowIfSet(error, frameset);
        }
        catch (RealSenseException ex) when (ex.FailedFunction == WaitForFrames)
        {
            throw new DepthCameraUnavailableException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"No depth frame arrived from the RealSense camera within {_frameTimeoutMs} ms ({ex.LibrealsenseMessage}): check that it is on a USB 3 port and that no other program is using it."),
                ex);
        }

        return frameset;
    }

    /// <summary>The first Z16 depth frame of a frameset (the caller releases it), or null.</summary>
    private static Rs2FrameHandle? ExtractDepth(Rs2FrameHandle frameset, out nint streamProfile)
    {
        var count = NativeMethods.rs2_embedded_frames_count(frameset, out var error);
        Rs2Error.ThrowIfSet(error);
        for (var i = 0; i < count; i++)
        {
            // Extracted frames are acquired by librealsense: each one is released on its own.
            var frame = NativeMethods.rs2_extract_frame(frameset, i, out error);
            Rs2Error.ThrowIfSet(error, frame);
            try
            {
                var profile = NativeMethods.rs2_get_frame_stream_profile(frame, out error);
                Rs2Error.ThrowIfSet(error);
                NativeMethods.rs2_get_stream_profile_data(profile, out var stream, out var format, out _, out _, out _, out error);
                Rs2Error.ThrowIfSet(error);
                if (stream == Rs2Stream.Depth && format == Rs2Format.Z16)
                {
                    streamProfile = profile;
                    return frame;
                }
            }
            catch
            {
                frame.Dispose();
                throw;
            }

            frame.Dispose();
        }

        streamProfile = 0;
        return null;
    }

    private static unsafe DepthFrame CopyDepth(Rs2FrameHandle frame, double depthScaleM)
    {
        var width = NativeMethods.rs2_get_frame_width(frame, out var error);
        Rs2Error.ThrowIfSet(error);
        var height = NativeMethods.rs2_get_frame_height(frame, out error);
        Rs2Error.ThrowIfSet(error);
        var strideBytes = NativeMethods.rs2_get_frame_stride_in_bytes(frame, out error);
        Rs2Error.ThrowIfSet(error);
        var timestampMs = NativeMethods.rs2_get_frame_timestamp(frame, out error);
        Rs2Error.ThrowIfSet(error);
        var data = NativeMethods.rs2_get_frame_data(frame, out error);
        Rs2Error.ThrowIfSet(error);
        var rowBytes = width * sizeof(ushort);
        if (width <= 0 || height <= 0 || strideBytes < rowBytes || data == 0)
        {
            throw new DepthCameraUnavailableException(
                string.Create(CultureInfo.InvariantCulture, $"The RealSense camera sent a malformed depth frame ({width}x{height}, {strideBytes} bytes per row)."));
        }

        var owner = MemoryPool<ushort>.Shared.Rent(width * height);
        try
        {
            // Rows are copied one by one: librealsense may pad each row beyond width x 2 bytes.
            var source = (byte*)data;
            var target = MemoryMarshal.AsBytes(owner.Memory.Span);
            for (var y = 0; y < height; y++)
            {
                new ReadOnlySpan<byte>(source + ((long)y * strideBytes), rowBytes).CopyTo(target.Slice(y * rowBytes, rowBytes));
            }

            return DepthFrame.Wrap(owner, width, height, width, depthScaleM, timestampMs);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }
}
