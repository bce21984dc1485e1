using SpineScan.Core.Cameras;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Phantom;
using SpineScan.Testing;

namespace SpineScan.Phantom.Tests;

public sealed class PhantomCameraTests
{
    private static readonly PhantomCameraSettings Settings = new(
        BatchSeed: 5,
        RingSize: 3,
        Template: new PhantomOptions
        {
            Symmetric = true,
            CameraPitchDeg = 0,
            CameraRollDeg = 0,
            CameraDistanceMm = 1200,
        });

    [Fact]
    public async Task StartAsync_D435_InfoAndFramesHaveIntrinsicsSizeAndDepthNearCameraDistance()
    {
        await using var camera = new PhantomCamera(Settings, new ManualTimeProvider());

        var info = await camera.StartAsync(CancellationToken.None);
        using var frame = await camera.NextFrameAsync(CancellationToken.None);

        Assert.Equal(CameraIntrinsics.RealSenseD435, info.Intrinsics);
        Assert.Equal(30, info.FramesPerSecond);
        Assert.Equal(0.001, info.DepthScaleM, 1e-12);
        Assert.Equal(info.Intrinsics.Width, frame.Width);
        Assert.Equal(info.Intrinsics.Height, frame.Height);

        // The camera aims at the mid-back from 1200 mm: the depth there is that distance within the sensor noise.
        var truth = camera.Truth!.Standing;
        var aim = truth.Camera;
        var inCamera = new PhantomCameraPose(aim.PositionBodyMm, aim.RightAxis, aim.DownAxis, aim.ForwardAxis).ToCamera(aim.AimPointBodyMm);
        var pixel = info.Intrinsics.Project(inCamera);
        Assert.Equal(1200, MedianDepthMm(frame, (int)Math.Round(pixel.X), (int)Math.Round(pixel.Y)), 10.0);
    }

    [Fact]
    public async Task NextFrameAsync_FakeClock_WaitsOneFramePeriodBetweenFrames()
    {
        var clock = new ManualTimeProvider();
        await using var camera = new PhantomCamera(Settings, clock);
        await camera.StartAsync(CancellationToken.None);

        using (var first = await camera.NextFrameAsync(CancellationToken.None))
        {
            Assert.Equal(0, first.TimestampMs);
        }

        var second = camera.NextFrameAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(30));
        Assert.False(second.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(3.4));
        using var frame = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1000.0 / 30, frame.TimestampMs, 1e-9);
    }

    [Fact]
    public async Task NextFrameAsync_RingAndPose_CyclesRingAndSwitchesPose()
    {
        var clock = new ManualTimeProvider();
        await using var camera = new PhantomCamera(Settings, clock);
        await camera.StartAsync(CancellationToken.None);

        var standing = new List<DepthFrame>();
        for (var i = 0; i < 4; i++)
        {
            standing.Add(await Next(camera, clock));
        }

        camera.Pose = CapturePose.ForwardBend;
        using var bend = await Next(camera, clock);

        try
        {
            Assert.False(standing[0].Pixels.SequenceEqual(standing[1].Pixels), "each ring frame has its own noise");
            Assert.True(standing[0].Pixels.SequenceEqual(standing[3].Pixels), "the ring of 3 repeats");
            Assert.False(bend.Pixels.SequenceEqual(standing[1].Pixels));
            Assert.Equal(CapturePose.ForwardBend, camera.Pose);
        }
        finally
        {
            standing.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task NextChildAsync_AfterStart_StreamsAnotherChild()
    {
        await using var camera = new PhantomCamera(Settings, new ManualTimeProvider());
        await camera.StartAsync(CancellationToken.None);
        var first = camera.Truth!;

        var second = await camera.NextChildAsync(CancellationToken.None);

        Assert.Equal(1, camera.ChildIndex);
        Assert.Same(second, camera.Truth);
        Assert.Equal(PhantomSeeds.ForChild(5, 0), first.Parameters.Seed);
        Assert.Equal(PhantomSeeds.ForChild(5, 1), second.Parameters.Seed);
        using var frame = await camera.NextFrameAsync(CancellationToken.None);
        Assert.Equal(CameraIntrinsics.RealSenseD435.Width, frame.Width);
    }

    private static async Task<DepthFrame> Next(PhantomCamera camera, ManualTimeProvider clock)
    {
        var next = camera.NextFrameAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(34));
        return await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static double MedianDepthMm(DepthFrame frame, int cx, int cy)
    {
        var values = new List<double>();
        for (var y = cy - 4; y <= cy + 4; y++)
        {
            for (var x = cx - 4; x <= cx + 4; x++)
            {
                if (frame[x, y] != DepthFrame.NoMeasurement)
                {
                    values.Add(frame.DepthMmAt(x, y));
                }
            }
        }

        Assert.NotEmpty(values);
        values.Sort();
        return values[values.Count / 2];
    }
}
