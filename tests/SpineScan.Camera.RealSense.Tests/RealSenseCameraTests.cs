using SpineScan.Camera.RealSense.Interop;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Camera.RealSense.Tests;

public sealed class RealSenseCameraTests : IDisposable
{
    // The stub's default frame: 64 x 48 pixels, rows padded to 152 bytes (24 bytes beyond width x 2).
    private const int Width = 64;
    private const int Height = 48;
    private const double PixelTolerance = 1e-6; // intrinsics arrive as float: compare to a millionth of a pixel

    public RealSenseCameraTests() => Rs2Stub.Reset();

    public void Dispose() => Rs2Stub.Reset();

    [Fact]
    public async Task StartAsync_StubCamera_ReportsDeviceIntrinsicsAndDepthScale()
    {
        float[] coeffs = [0.11f, -0.05f, 0.001f, -0.002f, 0.01f];
        Rs2Stub.stub_set_intrinsics(31.5f, 23.25f, 42.5f, 43f, (int)Rs2Distortion.BrownConrady, coeffs);
        Rs2Stub.stub_set_depth_scale(0.0001f);

        await using var camera = new RealSenseCamera(new RealSenseCameraOptions());
        var info = await camera.StartAsync(CancellationToken.None);

        Assert.Same(info, camera.Info);
        Assert.Equal("Intel RealSense D435 (stub)", info.Device.Model);
        Assert.Equal("846122070000", info.Device.Serial);
        Assert.Equal(0.0001, info.DepthScaleM); // the float's decimal value, not 0.00009999999747
        Assert.Equal(30, info.FramesPerSecond);
        var k = info.Intrinsics;
        Assert.Equal((Width, Height), (k.Width, k.Height));
        Assert.Equal(DistortionModel.BrownConrady, k.Model);
        Assert.Equal(42.5, k.Fx, PixelTolerance);
        Assert.Equal(43.0, k.Fy, PixelTolerance);
        Assert.Equal(31.5, k.Cx, PixelTolerance);
        Assert.Equal(23.25, k.Cy, PixelTolerance);
        Assert.Equal([0.11, -0.05, 0.001, -0.002, 0.01], new[] { k.K1, k.K2, k.P1, k.P2, k.K3 });
        Assert.Equal(Rs2Api.Version, Rs2Stub.stub_last_api_version());
    }

    [Fact]
    public async Task StartAsync_DefaultOptions_RequestsZ16DepthAt848x480x30OnTheChosenSerial()
    {
        await using var camera = new RealSenseCamera(new RealSenseCameraOptions());
        await camera.StartAsync(CancellationToken.None);

        // stream, index, width, height, format, framerate
        Assert.Equal([(int)Rs2Stream.Depth, 0, 848, 480, (int)Rs2Format.Z16, 30], Rs2Stub.LastEnabledStream());
        Assert.Equal("846122070000", Rs2Stub.LastEnabledSerial);
    }

    [Fact]
    public async Task StartAsync_DistortionNone_MapsToPinholeWithoutCoefficients()
    {
        Rs2Stub.stub_set_intrinsics(32f, 24f, 40f, 40f, (int)Rs2Distortion.None, [0.3f, 0.1f, 0f, 0f, 0f]);

        await using var camera = new RealSenseCamera(new RealSenseCameraOptions());
        var info = await camera.StartAsync(CancellationToken.None);

        Assert.Equal(DistortionModel.None, info.Intrinsics.Model);
        Assert.Equal(0, info.Intrinsics.K1);
    }

    [Fact]
    public async Task StartAsync_FisheyeDistortion_ThrowsUnavailableAndReleasesHandles()
    {
        Rs2Stub.stub_set_intrinsics(32f, 24f, 40f, 40f, (int)Rs2Distortion.KannalaBrandt4, [0.3f, 0.1f, 0f, 0f, 0f]);

        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Contains("KannalaBrandt4", ex.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task NextFrameAsync_PaddedRows_CopiesEveryPixelRespectingTheStride()
    {
        await using var camera = new RealSenseCamera(new RealSenseCameraOptions());
        await camera.StartAsync(CancellationToken.None); // consumes stub frame 0 for the intrinsics

        using var frame = await camera.NextFrameAsync(CancellationToken.None);

        Assert.Equal((Width, Height), (frame.Width, frame.Height));
        Assert.True(frame.Stride >= Width);
        Assert.Equal(0.001, frame.DepthScaleM);
        for (var y = 0; y < Height; y++)
        {
            var row = frame.Row(y);
            for (var x = 0; x < Width; x++)
            {
                if (row[x] != Rs2Stub.Ramp(1, x, y))
                {
                    Assert.Fail($"pixel ({x}, {y}) = {row[x]}, expected {Rs2Stub.Ramp(1, x, y)}");
                }
            }
        }
    }

    [Fact]
    public async Task NextFrameAsync_OddWidthAndStride_CopiesRowsWithoutShift()
    {
        Rs2Stub.stub_set_frame_layout(37, 5, (37 * 2) + 7); // an odd pad: rows start at unaligned addresses
        Rs2Stub.stub_set_intrinsics(18f, 2f, 40f, 40f, (int)Rs2Distortion.BrownConrady, null);

        await using var camera = new RealSenseCamera(new RealSenseCameraOptions { Width = 37, Height = 16 });
        await camera.StartAsync(CancellationToken.None);
        using var frame = await camera.NextFrameAsync(CancellationToken.None);

        Assert.Equal(Rs2Stub.Ramp(1, 36, 4), frame[36, 4]);
        Assert.Equal(Rs2Stub.Ramp(1, 0, 4), frame[0, 4]);
    }

    [Fact]
    public async Task NextFrameAsync_SuccessiveFrames_CarryTheFrameTimestamps()
    {
        await using var camera = new RealSenseCamera(new RealSenseCameraOptions());
        await camera.StartAsync(CancellationToken.None);

        using var first = await camera.NextFrameAsync(CancellationToken.None);
        using var second = await camera.NextFrameAsync(CancellationToken.None);

        // The stub stamps frame n at 1000 + 33.25 n ms; frame 0 went to StartAsync.
        Assert.Equal(1033.25, first.TimestampMs);
        Assert.Equal(1066.5, second.TimestampMs);
        Assert.Equal(Rs2Stub.Ramp(2, 5, 7), second[5, 7]);
    }

    [Fact]
    public async Task DisposeAsync_AfterStreaming_StopsThePipelineAndReleasesEveryHandle()
    {
        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        await camera.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            using var frame = await camera.NextFrameAsync(CancellationToken.None);
        }

        await camera.DisposeAsync();
        await camera.DisposeAsync();

        Assert.Equal(1, Rs2Stub.stub_call_count("rs2_pipeline_stop"));
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task StartAsync_NoCameraConnected_ThrowsUnavailableWithPlainMessage()
    {
        Rs2Stub.stub_set_device_count(0);

        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Equal(RealSenseProbe.NoCameraMessage, ex.Message);
        Assert.Null(camera.Info);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task StartAsync_SerialOfSecondCamera_StreamsFromThatCamera()
    {
        Rs2Stub.stub_set_device_count(2);

        await using var camera = new RealSenseCamera(new RealSenseCameraOptions { Serial = "846122070001" });
        var info = await camera.StartAsync(CancellationToken.None);

        Assert.Equal("846122070001", Rs2Stub.LastEnabledSerial);
        Assert.Equal("846122070001", info.Device.Serial);
    }

    [Fact]
    public async Task StartAsync_SerialNotConnected_ThrowsUnavailableListingConnectedSerials()
    {
        Rs2Stub.stub_set_device_count(2);

        var camera = new RealSenseCamera(new RealSenseCameraOptions { Serial = "000000000000" });
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Contains("000000000000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("846122070000, 846122070001", ex.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Theory]
    [InlineData("rs2_create_context")]
    [InlineData("rs2_query_devices")]
    [InlineData("rs2_get_device_info")]
    [InlineData("rs2_create_config")]
    [InlineData("rs2_config_enable_stream")]
    [InlineData("rs2_create_pipeline")]
    [InlineData("rs2_pipeline_start_with_config")]
    [InlineData("rs2_pipeline_profile_get_device")]
    [InlineData("rs2_query_sensors")]
    [InlineData("rs2_create_sensor")]
    [InlineData("rs2_get_depth_scale")]
    [InlineData("rs2_extract_frame")]
    [InlineData("rs2_get_stream_profile_data")]
    [InlineData("rs2_get_video_stream_intrinsics")]
    public async Task StartAsync_Rs2ErrorMidStart_NamesTheFailedFunctionAndReleasesEveryHandle(string function)
    {
        Rs2Stub.stub_fail_next(function);

        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Contains($"{function} failed: stub failure injected into {function}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(function, Assert.IsType<RealSenseException>(ex.InnerException).FailedFunction);
        Assert.Null(camera.Info);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task StartAsync_FirstFrameTimesOut_ThrowsUnavailableAndReleasesEveryHandle()
    {
        Rs2Stub.stub_timeout_next_wait();

        var camera = new RealSenseCamera(new RealSenseCameraOptions { FrameTimeoutMs = 1500 });
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.StartsWith("No depth frame arrived from the RealSense camera within 1500 ms", ex.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task NextFrameAsync_WaitForFramesTimesOut_ThrowsUnavailableSayingNoFrameArrived()
    {
        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        await camera.StartAsync(CancellationToken.None);
        Rs2Stub.stub_timeout_next_wait();

        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.NextFrameAsync(CancellationToken.None).AsTask());

        Assert.Equal(
            "No depth frame arrived from the RealSense camera within 5000 ms (Frame didn't arrive within 5000): " +
            "check that it is on a USB 3 port and that no other program is using it.",
            ex.Message);
        Assert.Equal("rs2_pipeline_wait_for_frames", Assert.IsType<RealSenseException>(ex.InnerException).FailedFunction);

        // The camera recovers when frames come again, and still releases everything.
        using (var frame = await camera.NextFrameAsync(CancellationToken.None))
        {
            Assert.Equal(Width, frame.Width);
        }

        await camera.DisposeAsync();
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task NextFrameAsync_FrameAccessorFails_ThrowsUnavailableAndLeaksNoFrame()
    {
        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        await camera.StartAsync(CancellationToken.None);
        Rs2Stub.stub_fail_next("rs2_get_frame_stride_in_bytes");

        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.NextFrameAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Contains("rs2_get_frame_stride_in_bytes failed", ex.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task StartAsync_BagFile_PlaysBackThroughEnableDeviceFromFileWithoutACamera()
    {
        Rs2Stub.stub_set_device_count(0);
        var bag = Path.Combine(Path.GetTempPath(), $"spinescan-{Guid.NewGuid():N}.bag");
        await File.WriteAllBytesAsync(bag, []);
        try
        {
            var camera = new RealSenseCamera(new RealSenseCameraOptions { PlaybackFile = bag });
            var info = await camera.StartAsync(CancellationToken.None);
            using (var frame = await camera.NextFrameAsync(CancellationToken.None))
            {
                Assert.Equal(Rs2Stub.Ramp(1, 10, 10), frame[10, 10]);
            }

            await camera.DisposeAsync();

            Assert.Equal(bag, Rs2Stub.LastPlaybackFile);
            Assert.Equal(0, Rs2Stub.stub_call_count("rs2_query_devices"));
            Assert.Equal(0, Rs2Stub.stub_call_count("rs2_config_enable_device"));
            Assert.Equal([(int)Rs2Stream.Depth, 0, 0, 0, (int)Rs2Format.Z16, 0], Rs2Stub.LastEnabledStream());
            Assert.Equal("846112070000", info.Device.Serial);
            Rs2Stub.AssertAllReleased();
        }
        finally
        {
            File.Delete(bag);
        }
    }

    [Fact]
    public async Task StartAsync_BagFileMissing_ThrowsUnavailableNamingTheFile()
    {
        var bag = Path.Combine(Path.GetTempPath(), $"spinescan-missing-{Guid.NewGuid():N}.bag");

        var camera = new RealSenseCamera(new RealSenseCameraOptions { PlaybackFile = bag });
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Contains(bag, ex.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public async Task StartAsync_LibraryMissing_ThrowsUnavailableSayingNotInstalled()
    {
        Environment.SetEnvironmentVariable(RealSenseLibrary.PathVariable, "/nonexistent/librealsense2.so");

        var camera = new RealSenseCamera(new RealSenseCameraOptions());
        var ex = await Assert.ThrowsAsync<DepthCameraUnavailableException>(() => camera.StartAsync(CancellationToken.None).AsTask());
        await camera.DisposeAsync();

        Assert.Equal(RealSenseProbe.NotInstalledMessage, ex.Message);
    }

    [Fact]
    public async Task NextFrameAsync_BeforeStart_ThrowsInvalidOperation()
    {
        await using var camera = new RealSenseCamera(new RealSenseCameraOptions());

        await Assert.ThrowsAsync<InvalidOperationException>(() => camera.NextFrameAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public void Constructor_WidthOutOfRange_ThrowsValidation() =>
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(
            () => new RealSenseCamera(new RealSenseCameraOptions { Width = 0 }));
}
