using System.Runtime.CompilerServices;
using SpineScan.Camera.RealSense.Interop;

namespace SpineScan.Camera.RealSense.Tests.Interop;

public sealed class Rs2ErrorTests : IDisposable
{
    public Rs2ErrorTests() => Rs2Stub.Reset();

    public void Dispose() => Rs2Stub.Reset();

    [Fact]
    public void ThrowIfSet_ErrorFromLibrary_NamesFunctionAndMessageAndFreesTheError()
    {
        Rs2Stub.stub_fail_next("rs2_create_config");
        var config = NativeMethods.rs2_create_config(out var error);

        var ex = Assert.Throws<RealSenseException>(() => Rs2Error.ThrowIfSet(error, config));

        Assert.Equal("rs2_create_config failed: stub failure injected into rs2_create_config", ex.Message);
        Assert.Equal("rs2_create_config", ex.FailedFunction);
        Assert.Equal("stub failure injected into rs2_create_config", ex.LibrealsenseMessage);
        Assert.True(config.IsClosed);
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public void ThrowIfSet_NoError_DoesNothing()
    {
        using var config = NativeMethods.rs2_create_config(out var error);

        Rs2Error.ThrowIfSet(error, config);

        Assert.False(config.IsInvalid);
    }

    [Fact]
    public void KeepAlive_ParentDisposedFirst_DeletesParentOnlyAfterChild()
    {
        var context = Rs2.CreateContext();
        var pipeline = NativeMethods.rs2_create_pipeline(context, out var error);
        Rs2Error.ThrowIfSet(error, pipeline);
        pipeline.KeepAlive(context);

        context.Dispose();
        Assert.Equal(0, Rs2Stub.stub_call_count("rs2_delete_context"));
        pipeline.Dispose();

        Assert.Equal(1, Rs2Stub.stub_call_count("rs2_delete_context"));
        Rs2Stub.AssertAllReleased();
    }

    [Fact]
    public void Rs2Intrinsics_Layout_MatchesTheNativeStruct() =>
        Assert.Equal(Rs2Stub.stub_sizeof_intrinsics(), Unsafe.SizeOf<Rs2Intrinsics>());
}
