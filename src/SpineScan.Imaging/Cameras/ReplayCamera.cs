using SpineScan.Core.Cameras;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Imaging.Replay;

namespace SpineScan.Imaging.Cameras;

/// <summary>
/// Plays a capture folder in the replay format (capture.json and depth_NNN.png) as a live camera, in a loop: frames
/// come at the capture's own timestamps (or at <c>framesPerSecond</c> when given), paced on the injected
/// <see cref="TimeProvider"/>. Each frame is a copy the caller owns, stamped with the playback time, which keeps
/// increasing across loops (a loop lasts the capture's span plus one frame period). The folder is read once, at start.
/// </summary>
public sealed class ReplayCamera : IDepthCamera
{
    private const double DefaultFramesPerSecond = 30;

    private readonly string _directory;
    private readonly double? _framesPerSecond;
    private readonly FramePacer _pacer;
    private DepthCapture? _capture;
    private double _periodMs;
    private double _loopMs;
    private long _frameNumber;
    private bool _disposed;

    /// <param name="directory">The capture folder.</param>
    /// <param name="framesPerSecond">Play at this rate instead of the capture's timestamps.</param>
    /// <param name="timeProvider">The clock that paces playback (the system clock when null).</param>
    public ReplayCamera(string directory, double? framesPerSecond = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (framesPerSecond is { } fps && (!double.IsFinite(fps) || fps <= 0 || fps > 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), fps, "The frame rate must be above 0 and at most 1000.");
        }

        _directory = directory;
        _framesPerSecond = framesPerSecond;
        _pacer = new FramePacer(timeProvider ?? TimeProvider.System);
    }

    public DepthCameraInfo? Info { get; private set; }

    /// <summary>The pose of the recording.</summary>
    public CapturePose? Pose => _capture?.Pose;

    /// <exception cref="DepthCameraUnavailableException">The folder is not a valid capture (the message says why).</exception>
    public async ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_capture is not null)
        {
            throw new InvalidOperationException("The replay camera is already started.");
        }

        var directory = _directory;
        DepthCapture capture;
        try
        {
            capture = await Task.Run(() => ReplayCaptureReader.Read(directory), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidCaptureException ex)
        {
            throw new DepthCameraUnavailableException($"The replay capture cannot be played: {ex.Message}", ex);
        }

        if (capture.Frames.Count == 0)
        {
            capture.Dispose();
            throw new DepthCameraUnavailableException($"The replay capture '{directory}' holds no frames.");
        }

        var frames = capture.Frames;
        var spanMs = frames[^1].TimestampMs - frames[0].TimestampMs;
        var capturePeriodMs = frames.Count > 1 && spanMs > 0 ? spanMs / (frames.Count - 1) : 1000 / DefaultFramesPerSecond;
        _periodMs = _framesPerSecond is { } fps ? 1000 / fps : capturePeriodMs;
        _loopMs = _framesPerSecond is null ? spanMs + _periodMs : frames.Count * _periodMs;
        _capture = capture;
        var info = new DepthCameraInfo(capture.Device, capture.Intrinsics, capture.DepthScaleM, 1000 / _periodMs);
        Info = info;
        return info;
    }

    public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var capture = _capture ?? throw new InvalidOperationException("Start the replay camera before reading frames.");
        var frames = capture.Frames;
        var n = _frameNumber;
        var index = (int)(n % frames.Count);
        var loop = n / frames.Count;

        // The wait before this frame is the gap to the previous one (the first frame of a loop follows one period after the last).
        var gapMs = _framesPerSecond is null && index > 0
            ? Math.Max(0, frames[index].TimestampMs - frames[index - 1].TimestampMs)
            : _periodMs;
        await _pacer.WaitAsync(TimeSpan.FromMilliseconds(gapMs), cancellationToken).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _frameNumber = n + 1;
        var playbackMs = _framesPerSecond is null
            ? (loop * _loopMs) + (frames[index].TimestampMs - frames[0].TimestampMs)
            : n * _periodMs;
        return FramePacer.CopyAt(frames[index], playbackMs);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _capture?.Dispose();
        _capture = null;
        return ValueTask.CompletedTask;
    }
}
