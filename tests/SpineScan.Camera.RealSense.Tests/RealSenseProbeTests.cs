using SpineScan.Camera.RealSense.Interop;

namespace SpineScan.Camera.RealSense.Tests;

public sealed class RealSenseProbeTests : IDisposable
{
    public RealSenseProbeTests() => Rs2Stub.Reset();

    public void Dispose() => Rs2Stub.Reset();

    [Fact]
    public void Run_LibraryMissing_ReportsNotInstalledWithoutThrowing()
    {
        Environment.SetEnvironmentVariable(RealSenseLibrary.PathVariable, "/nonexistent/librealsense2.so");

        var result = RealSenseProbe.Run();

        Assert.Equal(RealSenseProbeStatus.LibraryMissing, result.Status);
        Assert.Equal(
            "Intel RealSense library (librealsense2.so) is not installed: use --source replay or --source phantom",
            result.Message);
        Assert.Empty(result.Cameras);
        Assert.False(result.HasCamera);
    }

    [Fact]
    public void Run_StubWithTwoCameras_ListsNameAndSerialOfEach()
    {
        Rs2Stub.stub_set_device_count(2);

        var result = RealSenseProbe.Run();

        Assert.Equal(RealSenseProbeStatus.CamerasFound, result.Status);
        Assert.Equal(
            [new("Intel RealSense D435 (stub)", "846122070000"), new RealSenseDeviceDescription("Intel RealSense D435 (stub)", "846122070001")],
            result.Cameras);
        Assert.Equal(
            "2 RealSense cameras: Intel RealSense D435 (stub) (serial 846122070000), Intel RealSense D435 (stub) (serial 846122070001)",
            result.Message);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public void Run_StubWithoutCamera_ReportsNoCamera()
    {
        Rs2Stub.stub_set_device_count(0);

        var result = RealSenseProbe.Run();

        Assert.Equal(RealSenseProbeStatus.NoCamera, result.Status);
        Assert.StartsWith("No RealSense camera is connected", result.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public void Run_ContextCreationFails_ReportsFailureWithoutThrowing()
    {
        Rs2Stub.stub_fail_next("rs2_create_context");

        var result = RealSenseProbe.Run();

        Assert.Equal(RealSenseProbeStatus.Failed, result.Status);
        Assert.Contains("rs2_create_context failed", result.Message, StringComparison.Ordinal);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public void Probe_CalledTwice_ProbesOnce()
    {
        var first = RealSenseProbe.Probe();
        var second = RealSenseProbe.Probe();

        Assert.Same(first, second);
    }
}
