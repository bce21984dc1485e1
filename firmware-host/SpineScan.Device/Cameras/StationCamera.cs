using SpineScan.Camera.RealSense;
using SpineScan.Core.Cameras;
using SpineScan.Core.Capture;
using SpineScan.Core.Ports;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Cameras;
using SpineScan.Phantom;

namespace SpineScan.Device.Cameras;

/// <summary>
/// The station's camera: the configured source (phantom, replay folder or RealSense, the last probed once) behind a
/// <see cref="FrameChannel"/>, started on first use. A RealSense source whose library or camera is missing is not
/// replaced silently: the status says so in one line and offers the phantom and replay sources.
/// </summary>
internal sealed class StationCamera : IAsyncDisposable
{
    private readonly IDepthCamera? _camera;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private FrameChannel? _channel;
    private string _description;
    private bool _ready;

    public StationCamera(StationOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        Source = options.Source;
        switch (options.Source)
        {
            case "phantom":
                _camera = new PhantomCamera(new PhantomCameraSettings(BatchSeed: options.PhantomSeed), timeProvider);
                _description = "Phantom camera (synthetic children, no hardware)";
                break;
            case "replay" when string.IsNullOrWhiteSpace(options.ReplayDirectory):
                _description = "No replay folder is configured (Station:ReplayDirectory): use --source phantom, or give a capture folder";
                break;
            case "replay" when PoseReplayCamera.HoldsBothPoses(options.ReplayDirectory!):
                _camera = new PoseReplayCamera(options.ReplayDirectory!, timeProvider);
                _description = "Replay of the screening in " + options.ReplayDirectory;
                break;
            case "replay":
                _camera = new ReplayCamera(options.ReplayDirectory!, framesPerSecond: null, timeProvider);
                _description = "Replay of " + options.ReplayDirectory + " (one pose)";
                break;
            case "realsense":
                var probe = RealSenseProbe.Probe();
                _description = probe.Message;
                if (probe.HasCamera)
                {
                    _camera = new RealSenseCamera(new RealSenseCameraOptions());
                }

                break;
            default:
                _description = $"Unknown camera source '{options.Source}': use phantom, replay or realsense";
                break;
        }
    }

    public string Source { get; }

    /// <summary>False when the source cannot be used at all (its library, camera or folder is missing).</summary>
    public bool Available => _camera is not null;

    /// <summary>The phantom camera when that is the source (the station puts the next child in front of it).</summary>
    public PhantomCamera? Phantom => _camera as PhantomCamera;

    public StationCameraStatus Status => new(Source, _description, _ready);

    /// <summary>The running frame channel, started on first use.</summary>
    /// <exception cref="StationInputException">The source cannot be used; the message says why and what to use instead.</exception>
    public async Task<(FrameChannel Channel, DepthCameraInfo Info)> StartAsync(CancellationToken cancellationToken)
    {
        if (_camera is null)
        {
            throw new StationInputException(_description);
        }

        await _startLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is null)
            {
                var channel = new FrameChannel(_camera);
                try
                {
                    var info = await channel.StartAsync(cancellationToken).ConfigureAwait(false);
                    _description = $"{info.Device.Model} (serial {info.Device.Serial}), {info.Intrinsics.Width}x{info.Intrinsics.Height}";
                }
                catch (DepthCameraUnavailableException ex)
                {
                    await channel.DisposeAsync().ConfigureAwait(false);
                    _description = ex.Message;
                    throw new StationInputException(ex.Message, ex);
                }

                _channel = channel;
                _ready = true;
            }

            return (_channel, _camera.Info!);
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>Switches what the phantom or a two-pose replay streams (a real child changes pose by itself).</summary>
    public void SetPose(CapturePose pose)
    {
        switch (_camera)
        {
            case PhantomCamera phantom:
                phantom.Pose = pose;
                break;
            case PoseReplayCamera replay:
                replay.Pose = pose;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }

        if (_camera is not null)
        {
            await _camera.DisposeAsync().ConfigureAwait(false);
        }

        _startLock.Dispose();
    }
}
