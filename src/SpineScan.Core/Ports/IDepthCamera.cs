using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Ports;

/// <summary>What a depth camera is and how its depth is to be read.</summary>
/// <param name="Device">Model and serial number.</param>
/// <param name="Intrinsics">Depth stream intrinsics (pixels), with distortion.</param>
/// <param name="DepthScaleM">Metres per depth unit.</param>
/// <param name="FramesPerSecond">Nominal frame rate.</param>
public sealed record DepthCameraInfo(CaptureDevice Device, CameraIntrinsics Intrinsics, double DepthScaleM, double FramesPerSecond);

/// <summary>
/// A source of depth frames: a real camera, a recording being replayed, or the phantom. Frames are
/// handed over: the caller owns and disposes each one.
/// </summary>
public interface IDepthCamera : IAsyncDisposable
{
    /// <summary>Set once <see cref="StartAsync"/> has returned.</summary>
    DepthCameraInfo? Info { get; }

    /// <summary>Opens the device and starts streaming depth.</summary>
    /// <exception cref="DepthCameraUnavailableException">No such camera, or its driver is missing; the message says which and what to do.</exception>
    ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken);

    /// <summary>Waits for the next depth frame (the caller disposes it).</summary>
    ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken);
}

/// <summary>A camera source cannot be used: its driver library or the device is missing, or the device failed.</summary>
public sealed class DepthCameraUnavailableException : Exception
{
    public DepthCameraUnavailableException()
    {
    }

    public DepthCameraUnavailableException(string message)
        : base(message)
    {
    }

    public DepthCameraUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
