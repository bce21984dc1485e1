using SpineScan.Camera.RealSense.Interop;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Camera.RealSense;

/// <summary>
/// An Intel RealSense depth camera (or a <c>.bag</c> recording of one) through librealsense2.
/// Blocking librealsense calls run on the thread pool. One call at a time: do not overlap
/// <see cref="StartAsync"/> and <see cref="NextFrameAsync"/>; <see cref="DisposeAsync"/> waits for a read in progress.
/// </summary>
public sealed class RealSenseCamera : IDepthCamera
{
    private readonly RealSenseCameraOptions _options;
    private RealSenseSession? _session;
    private Task? _pendingRead;
    private bool _disposed;

    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">An option is out of range.</exception>
    public RealSenseCamera(RealSenseCameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Snapshot();
    }

    public DepthCameraInfo? Info { get; private set; }

    public async ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_session is not null)
        {
            throw new InvalidOperationException("The RealSense camera is already started.");
        }

        var options = _options;
        var (session, info) = await Task.Run(() => Open(options), cancellationToken).ConfigureAwait(false);
        _session = session;
        Info = info;
        return info;
    }

    public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _session ?? throw new InvalidOperationException("Start the RealSense camera before reading frames.");
        var read = Task.Run(session.ReadFrame, cancellationToken);
        _pendingRead = read;
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (RealSenseException ex)
        {
            throw new DepthCameraUnavailableException($"The RealSense camera failed while streaming: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_pendingRead is { } pending)
        {
            // Let a read in progress finish with the pipeline it started on; its outcome is its caller's.
            await Task.WhenAny(pending).ConfigureAwait(false);
        }

        _session?.Dispose();
        _session = null;
    }

    private static (RealSenseSession Session, DepthCameraInfo Info) Open(RealSenseCameraOptions options)
    {
        if (!RealSenseLibrary.IsAvailable(out _))
        {
            throw new DepthCameraUnavailableException(RealSenseProbe.NotInstalledMessage);
        }

        try
        {
            var session = RealSenseSession.Start(options, out var info);
            return (session, info);
        }
        catch (DllNotFoundException ex)
        {
            throw new DepthCameraUnavailableException(RealSenseProbe.NotInstalledMessage, ex);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or BadImageFormatException)
        {
            throw new DepthCameraUnavailableException(
                $"The installed librealsense2 is not usable ({ex.Message}): install librealsense 2.55 or newer, or use --source replay or --source phantom",
                ex);
        }
        catch (RealSenseException ex)
        {
            throw new DepthCameraUnavailableException($"The RealSense camera could not be started: {ex.Message}", ex);
        }
    }
}
