using Microsoft.Extensions.DependencyInjection;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Device.Tests.Support;
using SpineScan.Phantom;

namespace SpineScan.Device.Tests.Workflow;

public class CameraStatusTests
{
    [Fact]
    public async Task Camera_Ready_SaysFramesFlowOnlyWhileTheyDo()
    {
        var source = new GatedSource();
        await using var test = TestStation.Create(
            new Dictionary<string, string?> { ["Source"] = GatedSource.SourceName },
            configure: services => services.AddSingleton<IDepthCameraSource>(source));

        // Before the live view starts the camera, no frame has come: the status must not say they flow.
        Assert.False(test.Station.Camera.Ready);
        Assert.Equal(GatedSource.SourceName, test.Station.Camera.Source);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var watching = Task.Run(async () =>
        {
            await foreach (var frame in test.Station.WatchPositioningAsync(CapturePose.Standing, stop.Token))
            {
                Assert.NotEmpty(frame.Jpeg);
            }
        });

        await HoldsAsync(() => source.Delivered >= 3 && test.Station.Camera.Ready, "frames delivered and the status says they flow");

        // The stream stalls (a cable pulled, a hung driver): within a few seconds the status says no frames.
        source.Stall();
        await HoldsAsync(() => !test.Station.Camera.Ready, "the status says no frames once they stopped");

        // They come again: so does the status.
        var before = source.Delivered;
        source.Resume();
        await HoldsAsync(() => source.Delivered > before && test.Station.Camera.Ready, "the status says frames flow again");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
    }

    private static async Task HoldsAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 30 s: {what}.");
            await Task.Delay(20);
        }
    }

    // A phantom child's standing frames at about 30 fps, until stalled: then no frame comes until resumed.
    private sealed class GatedSource : IDepthCameraSource
    {
        public const string SourceName = "gated";

        private readonly Lock _lock = new();
        private TaskCompletionSource _open = Open();
        private int _delivered;

        public string Name => SourceName;

        public int Delivered => Volatile.Read(ref _delivered);

        public DepthCameraSourceState Probe() => new(true, "a phantom child whose stream can stall");

        public IDepthCamera Create() => new Camera(this);

        public void Stall()
        {
            lock (_lock)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Resume()
        {
            lock (_lock)
            {
                _open.TrySetResult();
            }
        }

        private Task Gate()
        {
            lock (_lock)
            {
                return _open.Task;
            }
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        private sealed class Camera(GatedSource source) : IDepthCamera
        {
            private readonly PhantomChild _child = PhantomGenerator.Generate(new PhantomOptions { Seed = 3, FrameCount = 3, Sensor = PhantomSensor.RealSenseD435 });
            private int _next;

            public DepthCameraInfo? Info { get; private set; }

            public ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
            {
                Info = new DepthCameraInfo(_child.Standing.Device, _child.Standing.Intrinsics, _child.Standing.DepthScaleM, 30);
                return ValueTask.FromResult(Info);
            }

            public async ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(33, cancellationToken);
                await source.Gate().WaitAsync(cancellationToken);
                Interlocked.Increment(ref source._delivered);
                var frames = _child.Standing.Frames;
                return frames[_next++ % frames.Count].Clone();
            }

            public ValueTask DisposeAsync()
            {
                _child.Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
