using SpineScan.Core.Cameras;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Phantom;

namespace SpineScan.Phantom;

/// <summary>How the phantom camera draws its children and streams them.</summary>
/// <param name="BatchSeed">Child n is <see cref="PhantomSeeds.ForChild"/>(BatchSeed, n).</param>
/// <param name="RingSize">Frames pre-rendered per pose per child and cycled (1..120).</param>
/// <param name="FramesPerSecond">Stream rate.</param>
/// <param name="Sensor">The sensor every child is rendered for (fixed, so the intrinsics never change while streaming).</param>
/// <param name="Template">Everything else about the children (curve, distance, noise, scene); its seed, frame count and sensor are replaced.</param>
public sealed record PhantomCameraSettings(
    int BatchSeed = 1,
    int RingSize = 10,
    double FramesPerSecond = 30,
    PhantomSensor Sensor = PhantomSensor.RealSenseD435,
    PhantomOptions? Template = null);

/// <summary>
/// The phantom generator as a live camera, for demos and tests without hardware. Rendering costs about 50-100 ms a
/// frame, too slow for 30 fps, so each child is rendered once as a ring of <see cref="PhantomCameraSettings.RingSize"/>
/// frames per pose (each with its own sensor noise and sway) and the stream cycles through the ring of the current
/// pose: the noise repeats every ring, which is enough for a preview or a capture burst. A new child
/// (<see cref="NextChildAsync"/>) is rendered on the thread pool while the old one keeps streaming, then swapped in.
/// Frames are paced on the injected <see cref="TimeProvider"/> and stamped with the stream time (frame n at n x period).
/// </summary>
public sealed class PhantomCamera : IDepthCamera
{
    private readonly PhantomCameraSettings _settings;
    private readonly FramePacer _pacer;
    private readonly Lock _lock = new();
    private PhantomChild? _child;
    private int _childIndex = -1;
    private CapturePose _pose = CapturePose.Standing;
    private long _frameNumber;
    private bool _disposed;

    public PhantomCamera(PhantomCameraSettings? settings = null, TimeProvider? timeProvider = null)
    {
        _settings = settings ?? new PhantomCameraSettings();
        if (_settings.RingSize is < 1 or > 120)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), _settings.RingSize, "The ring size must be 1..120 frames.");
        }

        if (!double.IsFinite(_settings.FramesPerSecond) || _settings.FramesPerSecond <= 0 || _settings.FramesPerSecond > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), _settings.FramesPerSecond, "The frame rate must be above 0 and at most 1000.");
        }

        _pacer = new FramePacer(timeProvider ?? TimeProvider.System);
    }

    public DepthCameraInfo? Info { get; private set; }

    /// <summary>The pose now streamed; switch it when the screener moves the child to the forward bend.</summary>
    public CapturePose Pose
    {
        get
        {
            lock (_lock)
            {
                return _pose;
            }
        }

        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown pose.");
            }

            lock (_lock)
            {
                _pose = value;
            }
        }
    }

    /// <summary>The ground truth of the child now in front of the camera (null before start).</summary>
    public PhantomTruth? Truth
    {
        get
        {
            lock (_lock)
            {
                return _child?.Truth;
            }
        }
    }

    /// <summary>Index of the child now streamed in the batch (-1 before start).</summary>
    public int ChildIndex
    {
        get
        {
            lock (_lock)
            {
                return _childIndex;
            }
        }
    }

    /// <summary>Renders the first child.</summary>
    public async ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Info is not null)
        {
            throw new InvalidOperationException("The phantom camera is already started.");
        }

        await NextChildAsync(cancellationToken).ConfigureAwait(false);
        PhantomChild child;
        lock (_lock)
        {
            child = _child!;
        }

        var capture = child.Standing;
        var info = new DepthCameraInfo(
            new CaptureDevice(capture.Device.Model, FormattableString.Invariant($"PHANTOM-{_settings.BatchSeed}")),
            capture.Intrinsics,
            capture.DepthScaleM,
            _settings.FramesPerSecond);
        Info = info;
        return info;
    }

    /// <summary>
    /// Puts the next child of the batch in front of the camera (rendered on the thread pool; the previous child keeps
    /// streaming meanwhile) and returns its ground truth.
    /// </summary>
    public async Task<PhantomTruth> NextChildAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int index;
        lock (_lock)
        {
            index = ++_childIndex;
        }

        var template = _settings.Template ?? new PhantomOptions();
        var options = template with
        {
            Seed = PhantomSeeds.ForChild(_settings.BatchSeed, index),
            FrameCount = _settings.RingSize,
            Sensor = _settings.Sensor,
        };
        var child = await Task.Run(() => PhantomGenerator.Generate(options), cancellationToken).ConfigureAwait(false);
        PhantomChild? old;
        lock (_lock)
        {
            if (_disposed)
            {
                old = child;
            }
            else
            {
                old = _child;
                _child = child;
            }
        }

        old?.Dispose();
        ObjectDisposedException.ThrowIf(_disposed, this);
        return child.Truth;
    }

    public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Info is null)
        {
            throw new InvalidOperationException("Start the phantom camera before reading frames.");
        }

        var periodMs = 1000 / _settings.FramesPerSecond;
        await _pacer.WaitAsync(TimeSpan.FromMilliseconds(periodMs), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var capture = _pose == CapturePose.Standing ? _child!.Standing : _child!.ForwardBend;
            var n = _frameNumber++;
            var source = capture.Frames[(int)(n % capture.Frames.Count)];
            return FramePacer.CopyAt(source, n * periodMs);
        }
    }

    public ValueTask DisposeAsync()
    {
        PhantomChild? child;
        lock (_lock)
        {
            _disposed = true;
            child = _child;
            _child = null;
        }

        child?.Dispose();
        return ValueTask.CompletedTask;
    }
}
