using System.Buffers;
using SpineScan.Core.Cameras;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Core.Tests.Cameras;

// The pump runs on the thread pool: beside a Parallel.For of 30 phantom analyses the pool was starved for over 30 s in CI
// and a camera failure read as a timeout. These tests measure liveness, so they run alone.
[Collection(RealTimeTests.Name)]
public sealed class FrameChannelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CaptureAsync_SlowPreviewReader_PreviewDropsButCaptureGetsTenConsecutiveFrames()
    {
        var camera = new TrackingCamera();
        var previewSeen = new List<double>();
        await using (var channel = new FrameChannel(camera))
        {
            await channel.StartAsync(CancellationToken.None);

            // The preview reader takes one frame, then stalls until the burst is complete.
            var burstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(async () =>
            {
                await foreach (var frame in channel.Preview.ReadAllAsync())
                {
                    previewSeen.Add(frame.TimestampMs);
                    frame.Dispose();
                    await burstDone.Task;
                }
            });

            await WaitForFramesAsync(camera, 5);
            var burst = await channel.CaptureAsync(10, CancellationToken.None).WaitAsync(Patience);
            try
            {
                Assert.Equal(10, burst.Count);
                for (var i = 1; i < burst.Count; i++)
                {
                    Assert.Equal(burst[0].TimestampMs + i, burst[i].TimestampMs);
                    Assert.Equal((ushort)burst[i].TimestampMs, burst[i][0, 0]);
                }
            }
            finally
            {
                foreach (var frame in burst)
                {
                    frame.Dispose();
                }
            }

            burstDone.SetResult();
            await WaitForFramesAsync(camera, camera.Created + 10);
            await channel.DisposeAsync();
            await reader.WaitAsync(Patience);
        }

        await camera.DisposeAsync();
        Assert.True(previewSeen.Count >= 2);
        Assert.Contains(Enumerable.Range(1, previewSeen.Count - 1), i => previewSeen[i] - previewSeen[i - 1] > 1);
        Assert.Equal(camera.Created, camera.Disposed);
    }

    [Fact]
    public async Task CaptureAsync_WithOnFrame_EachFrameReportedOnceInOrderBeforeTheBurstCompletes()
    {
        var camera = new TrackingCamera();
        await using (var channel = new FrameChannel(camera))
        {
            await channel.StartAsync(CancellationToken.None);
            var reported = new List<(DepthFrame Frame, int Index)>();
            Task<IReadOnlyList<DepthFrame>>? capture = null;
            var completedBeforeLast = false;
            capture = channel.CaptureAsync(
                6,
                (frame, index) =>
                {
                    lock (reported)
                    {
                        reported.Add((frame, index));
                        completedBeforeLast |= index == 5 && capture is { IsCompleted: true };
                    }
                },
                CancellationToken.None);
            var burst = await capture.WaitAsync(Patience);
            try
            {
                Assert.False(completedBeforeLast);
                Assert.Equal([0, 1, 2, 3, 4, 5], reported.Select(r => r.Index));
                for (var i = 0; i < burst.Count; i++)
                {
                    Assert.Same(burst[i], reported[i].Frame);
                }
            }
            finally
            {
                foreach (var frame in burst)
                {
                    frame.Dispose();
                }
            }
        }

        await camera.DisposeAsync();
        Assert.Equal(camera.Created, camera.Disposed);
    }

    [Fact]
    public async Task DisposeAsync_NobodyReadsPreview_EveryFrameDisposedOnce()
    {
        var camera = new TrackingCamera();
        var channel = new FrameChannel(camera);
        await channel.StartAsync(CancellationToken.None);
        await WaitForFramesAsync(camera, 10);

        await channel.DisposeAsync();

        Assert.Equal(camera.Created, camera.Disposed);
        Assert.False(channel.Preview.TryRead(out _));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => channel.CaptureAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task CaptureAsync_Cancelled_TaskCancelledAndPartialFramesDisposed()
    {
        var camera = new TrackingCamera();
        await using (var channel = new FrameChannel(camera))
        {
            await channel.StartAsync(CancellationToken.None);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.CaptureAsync(1_000_000, cts.Token).WaitAsync(Patience));
        }

        Assert.Equal(camera.Created, camera.Disposed);
    }

    [Fact]
    public async Task CaptureAsync_CameraFails_ThrowsUnavailableAndPreviewFaults()
    {
        var camera = new TrackingCamera { FailAfter = 20 };
        await using (var channel = new FrameChannel(camera))
        {
            await channel.StartAsync(CancellationToken.None);

            var error = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => channel.CaptureAsync(1_000, CancellationToken.None).WaitAsync(Patience));
            Assert.Contains("unplugged", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => channel.Preview.Completion.WaitAsync(Patience));
            await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => channel.Completion);
        }

        Assert.Equal(camera.Created, camera.Disposed);
    }

    private static async Task WaitForFramesAsync(TrackingCamera camera, int count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (camera.Created < count)
        {
            Assert.True(waited.Elapsed < Patience, $"the camera served only {camera.Created} of {count} frames");
            await Task.Delay(5);
        }
    }

    /// <summary>Serves ramp frames (pixel (0,0) and timestamp = frame number) about every millisecond and counts their buffers.</summary>
    private sealed class TrackingCamera : IDepthCamera
    {
        private int _created;
        private int _disposed;

        public int Created => Volatile.Read(ref _created);

        public int Disposed => Volatile.Read(ref _disposed);

        public int FailAfter { get; init; } = int.MaxValue;

        public DepthCameraInfo? Info { get; private set; }

        public ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
        {
            Info = new DepthCameraInfo(new CaptureDevice("Tracking", "1"), new CameraIntrinsics(8, 6, 10, 10, 4, 3, DistortionModel.None), 0.001, 1000);
            return ValueTask.FromResult(Info);
        }

        public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);
            var n = _created;
            if (n >= FailAfter)
            {
                throw new DepthCameraUnavailableException("The test camera was unplugged.");
            }

            var frame = DepthFrame.Wrap(new TrackedOwner(this, MemoryPool<ushort>.Shared.Rent(48)), 8, 6, 8, 0.001, n);
            frame.Row(0)[0] = (ushort)n;
            Interlocked.Increment(ref _created);
            return frame;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class TrackedOwner(TrackingCamera camera, IMemoryOwner<ushort> inner) : IMemoryOwner<ushort>
        {
            private int _disposed;

            public Memory<ushort> Memory => inner.Memory;

            public void Dispose()
            {
                Assert.Equal(0, Interlocked.Exchange(ref _disposed, 1));
                inner.Dispose();
                Interlocked.Increment(ref camera._disposed);
            }
        }
    }
}
