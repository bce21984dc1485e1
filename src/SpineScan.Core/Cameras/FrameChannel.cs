using System.Threading.Channels;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Core.Cameras;

/// <summary>
/// Pumps an <see cref="IDepthCamera"/> into (a) a live preview, a bounded channel that keeps only the newest
/// frames (older ones are dropped and disposed when the reader is slow), and (b) capture requests, each of which gets
/// exactly the next N frames the camera delivers, never dropped, whatever the preview reader does.
/// <para>
/// Ownership: every frame read from <see cref="Preview"/> and every frame returned by <see cref="CaptureAsync"/> belongs
/// to its reader, who disposes it. Frames dropped from the preview, frames of a cancelled or failed capture and frames
/// left in the preview at shutdown are disposed here. A capture gets the camera's frame and the preview a copy while a
/// capture is running. The camera is not owned: start it (or let <see cref="StartAsync"/> start it) and dispose it
/// after this channel.
/// </para>
/// </summary>
public sealed class FrameChannel : IAsyncDisposable
{
    /// <summary>Frames the preview holds before dropping the oldest.</summary>
    public const int DefaultPreviewCapacity = 2;

    private readonly IDepthCamera _camera;
    private readonly Channel<DepthFrame> _preview;
    private readonly Lock _lock = new();
    private readonly List<CaptureRequest> _captures = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _pump;
    private Exception? _failure;
    private bool _closed;

    public FrameChannel(IDepthCamera camera, int previewCapacity = DefaultPreviewCapacity)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(previewCapacity);
        _camera = camera;
        _preview = Channel.CreateBounded<DepthFrame>(
            new BoundedChannelOptions(previewCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
                SingleReader = false,
                AllowSynchronousContinuations = false,
            },
            static dropped => dropped.Dispose());
    }

    /// <summary>The newest frames, for the live view. Completes when the pump stops (with the camera's error if it failed).</summary>
    public ChannelReader<DepthFrame> Preview => _preview.Reader;

    /// <summary>The pump: completes when the channel is disposed, faults when the camera fails.</summary>
    public Task Completion => _pump ?? Task.CompletedTask;

    /// <summary>Starts the camera when it is not started yet, then the pump.</summary>
    public async ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_pump is not null)
            {
                throw new InvalidOperationException("The frame channel is already started.");
            }
        }

        var info = _camera.Info ?? await _camera.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _pump = Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None);
        }

        return info;
    }

    /// <summary>
    /// Returns the next <paramref name="count"/> consecutive frames from the camera (the caller disposes them). Frames
    /// already waiting in the preview do not count: the burst starts with the first frame the camera delivers after this call.
    /// </summary>
    /// <exception cref="DepthCameraUnavailableException">The camera failed before the burst was complete.</exception>
    public Task<IReadOnlyList<DepthFrame>> CaptureAsync(int count, CancellationToken cancellationToken) => CaptureAsync(count, null, cancellationToken);

    /// <summary>
    /// As <see cref="CaptureAsync(int, CancellationToken)"/>, telling <paramref name="onFrame"/> of each frame as it arrives.
    /// </summary>
    /// <param name="count">How many frames.</param>
    /// <param name="onFrame">
    /// Called with each frame of the burst and its index as it arrives, on the camera's thread: for work that can start
    /// before the burst ends (it must only queue that work). The frame stays the burst's; it is valid until the caller
    /// disposes the burst, or until the burst is abandoned.
    /// </param>
    /// <param name="cancellationToken">Abandons the burst (its frames are disposed).</param>
    /// <exception cref="DepthCameraUnavailableException">The camera failed before the burst was complete.</exception>
    public Task<IReadOnlyList<DepthFrame>> CaptureAsync(int count, Action<DepthFrame, int>? onFrame, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var request = new CaptureRequest(count, onFrame);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_failure is not null)
            {
                return Task.FromException<IReadOnlyList<DepthFrame>>(Unavailable(_failure));
            }

            if (_pump is null)
            {
                throw new InvalidOperationException("Start the frame channel before capturing.");
            }

            _captures.Add(request);
        }

        if (cancellationToken.CanBeCanceled)
        {
            request.Registration = cancellationToken.Register(() => Abandon(request, fail: null, cancellationToken));
        }

        return request.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pump is { } pump)
        {
            await Task.WhenAny(pump).ConfigureAwait(false);
        }

        Shutdown(new ObjectDisposedException(nameof(FrameChannel)));
        _stop.Dispose();
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var frame = await _camera.NextFrameAsync(stop).ConfigureAwait(false);
                Publish(frame);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Shutdown(new ObjectDisposedException(nameof(FrameChannel)));
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure = ex;
            }

            Shutdown(ex);
            throw;
        }
    }

    private void Publish(DepthFrame frame)
    {
        DepthFrame? forPreview = frame;
        List<CaptureRequest>? done = null;
        List<(CaptureRequest Request, DepthFrame Frame, int Index)>? arrived = null;
        lock (_lock)
        {
            if (_captures.Count > 0)
            {
                // The first capture takes the camera's frame, others a copy, the preview a copy.
                var owned = false;
                foreach (var request in _captures)
                {
                    request.Frames.Add(owned ? frame.Clone() : frame);
                    owned = true;
                    if (request.OnFrame is not null)
                    {
                        (arrived ??= []).Add((request, request.Frames[^1], request.Frames.Count - 1));
                    }

                    if (request.Frames.Count == request.Count)
                    {
                        (done ??= []).Add(request);
                    }
                }

                forPreview = frame.Clone();
                if (done is not null)
                {
                    foreach (var request in done)
                    {
                        _captures.Remove(request);
                    }
                }
            }
        }

        if (arrived is not null)
        {
            foreach (var (request, captured, index) in arrived)
            {
                request.OnFrame!(captured, index);
            }
        }

        if (done is not null)
        {
            foreach (var request in done)
            {
                request.Registration.Dispose();
                request.Completion.TrySetResult(request.Frames);
            }
        }

        if (!_preview.Writer.TryWrite(forPreview))
        {
            forPreview.Dispose();
        }
    }

    // Stops the preview and fails every pending capture; leftover frames are disposed.
    private void Shutdown(Exception reason)
    {
        _preview.Writer.TryComplete(reason is ObjectDisposedException ? null : reason);
        while (_preview.Reader.TryRead(out var left))
        {
            left.Dispose();
        }

        CaptureRequest[] pending;
        lock (_lock)
        {
            pending = [.. _captures];
        }

        foreach (var request in pending)
        {
            Abandon(request, reason, CancellationToken.None);
        }
    }

    private void Abandon(CaptureRequest request, Exception? fail, CancellationToken cancelled)
    {
        lock (_lock)
        {
            if (!_captures.Remove(request))
            {
                return;
            }
        }

        foreach (var frame in request.Frames)
        {
            frame.Dispose();
        }

        request.Registration.Dispose();
        if (fail is null)
        {
            request.Completion.TrySetCanceled(cancelled);
        }
        else
        {
            request.Completion.TrySetException(fail is ObjectDisposedException ? fail : Unavailable(fail));
        }
    }

    private static Exception Unavailable(Exception failure) => failure as DepthCameraUnavailableException
        ?? new DepthCameraUnavailableException($"The camera stopped while capturing: {failure.Message}", failure);

    private sealed class CaptureRequest(int count, Action<DepthFrame, int>? onFrame)
    {
        public int Count { get; } = count;

        public Action<DepthFrame, int>? OnFrame { get; } = onFrame;

        public List<DepthFrame> Frames { get; } = new(count);

        public TaskCompletionSource<IReadOnlyList<DepthFrame>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
