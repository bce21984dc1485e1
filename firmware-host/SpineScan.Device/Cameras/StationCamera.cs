using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineScan.Core.Analysis;
using SpineScan.Core.Cameras;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Device.Workflow;
using SpineScan.Imaging;
using SpineScan.Imaging.Positioning;

namespace SpineScan.Device.Cameras;

/// <summary>
/// The station's camera: the registered source that <see cref="StationOptions.Source"/> names, probed once, behind a
/// <see cref="FrameChannel"/> started on first use. A source that cannot be used is not replaced silently: the status
/// says so in one line and names the sources that can. The status says frames flow only while they arrive.
/// </summary>
public sealed partial class StationCamera : IAsyncDisposable
{
    // Frames older than this mean the stream has stalled (a camera delivers 30 a second).
    private static readonly TimeSpan FlowingWithin = TimeSpan.FromSeconds(2);

    private readonly PositioningGuide _guide = new();
    private readonly IDepthCamera? _camera;
    private readonly IStagedCamera? _staged;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private FrameChannel? _channel;
    private string _description;
    private long _lastFrameAt = long.MinValue;
    private long? _subjectFor;
    private bool _needsNewSubject;

    public StationCamera(IEnumerable<IDepthCameraSource> sources, IOptions<StationOptions> options, TimeProvider timeProvider, ILogger<StationCamera> logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        _time = timeProvider;
        Source = options.Value.Source;
        var registered = sources.ToList();
        var source = registered.FirstOrDefault(s => string.Equals(s.Name, Source, StringComparison.Ordinal));
        var others = string.Join(" or ", registered.Select(s => s.Name).Where(n => !string.Equals(n, Source, StringComparison.Ordinal)));
        if (source is null)
        {
            _description = $"Unknown camera source '{Source}': use {string.Join(", ", registered.Select(s => s.Name))}";
        }
        else
        {
            var state = source.Probe();
            _description = state.Description;
            if (state.Available)
            {
                var camera = source.Create();
                _staged = camera as IStagedCamera;
                _camera = camera;
            }
        }

        if (_camera is null)
        {
            LogUnavailable(logger, _description, others);
        }
    }

    /// <summary>The source's name (phantom, replay, realsense).</summary>
    public string Source { get; }

    /// <summary>False when the source cannot be used at all (its library, camera or folder is missing).</summary>
    public bool Available => _camera is not null;

    /// <summary>True when a refused capture shows a different subject on the retake (the phantom), so both poses are taken again.</summary>
    public bool RetakeShowsNewSubject => _staged?.RetakeShowsNewSubject == true;

    public StationCameraStatus Status => new(Source, _description, FramesFlowing);

    private bool FramesFlowing
    {
        get
        {
            var last = Interlocked.Read(ref _lastFrameAt);
            return last != long.MinValue && _channel is { Completion.IsCompleted: false } && _time.GetElapsedTime(last) < FlowingWithin;
        }
    }

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
                var channel = new FrameChannel(new Watched(_camera, this));
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
            }

            return (_channel, _camera.Info!);
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>Live positioning for a pose: each preview frame assessed and drawn (<see cref="LivePositioning"/>), until cancelled.</summary>
    public async IAsyncEnumerable<PositioningFrame> WatchAsync(CapturePose pose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (channel, info) = await StartAsync(cancellationToken).ConfigureAwait(false);
        ShowPose(pose);
        // The picture needs OpenCV (absent on arm64): the guidance still runs without it.
        using var picture = OpenCvProbe.IsAvailable ? new PositioningPicture() : null;
        while (true)
        {
            DepthFrame frame;
            try
            {
                frame = await channel.Preview.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                yield break;
            }

            PositioningFrame result;
            using (frame)
            {
                result = LivePositioning.Frame(frame, info.Intrinsics, pose, _guide, picture);
            }

            yield return result;
        }
    }

    /// <summary>Shows a staged camera the pose to stream (a real child changes pose by itself).</summary>
    public void ShowPose(CapturePose pose)
    {
        if (_staged is not null)
        {
            _staged.Pose = pose;
        }
    }

    /// <summary>
    /// Before a standing capture: a staged camera shows the pupil's subject, a new one for another pupil or after a
    /// refusal (<see cref="SubjectRefused"/>). A real camera needs nothing: the next child steps in front of it.
    /// </summary>
    public async Task ShowSubjectForAsync(long pupilId, CancellationToken cancellationToken)
    {
        if (_staged is null)
        {
            return;
        }

        if (_subjectFor is { } shownFor && (shownFor != pupilId || _needsNewSubject))
        {
            await _staged.NextSubjectAsync(cancellationToken).ConfigureAwait(false);
        }

        _subjectFor = pupilId;
        _needsNewSubject = false;
    }

    /// <summary>A capture of the subject shown was refused: the next standing capture shows a new one where the camera can.</summary>
    public void SubjectRefused() => _needsNewSubject = true;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera unavailable: {Reason} (other sources: {Others})")]
    private static partial void LogUnavailable(ILogger logger, string reason, string others);

    // Notes when each frame arrives, so the status tells frames that flow from a stream that stalled.
    private sealed class Watched(IDepthCamera inner, StationCamera owner) : IDepthCamera
    {
        public DepthCameraInfo? Info => inner.Info;

        public ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

        public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
        {
            var frame = await inner.NextFrameAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref owner._lastFrameAt, owner._time.GetTimestamp());
            return frame;
        }

        // The station disposes the camera itself, after the channel.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
