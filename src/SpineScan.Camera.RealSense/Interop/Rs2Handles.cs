using System.Runtime.InteropServices;

namespace SpineScan.Camera.RealSense.Interop;

/// <summary>
/// An owned librealsense object. A handle may keep its parent (a pipeline its context, a profile its
/// pipeline) referenced, so that whatever order handles are disposed or finalized in, a parent is
/// deleted only after its children.
/// </summary>
internal abstract class Rs2Handle : SafeHandle
{
    private SafeHandle? _parent;

    protected Rs2Handle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Keeps <paramref name="parent"/> alive until this handle is released.</summary>
    public void KeepAlive(SafeHandle parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var added = false;
        parent.DangerousAddRef(ref added);
        if (added)
        {
            _parent = parent;
        }
    }

    protected sealed override bool ReleaseHandle()
    {
        Delete(handle);
        var parent = _parent;
        _parent = null;
        parent?.DangerousRelease();
        return true;
    }

    protected abstract void Delete(nint native);
}

/// <summary>rs2_context*, deleted with rs2_delete_context.</summary>
internal sealed class Rs2ContextHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_context(native);
}

/// <summary>rs2_device_list*, deleted with rs2_delete_device_list (devices created from it stay valid).</summary>
internal sealed class Rs2DeviceListHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_device_list(native);
}

/// <summary>rs2_device*, deleted with rs2_delete_device.</summary>
internal sealed class Rs2DeviceHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_device(native);
}

/// <summary>rs2_pipeline*, deleted with rs2_delete_pipeline (which also stops it).</summary>
internal sealed class Rs2PipelineHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_pipeline(native);
}

/// <summary>rs2_config*, deleted with rs2_delete_config.</summary>
internal sealed class Rs2ConfigHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_config(native);
}

/// <summary>rs2_pipeline_profile*, deleted with rs2_delete_pipeline_profile.</summary>
internal sealed class Rs2PipelineProfileHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_pipeline_profile(native);
}

/// <summary>A reference to an rs2_frame* (a frameset or a frame extracted from one), dropped with rs2_release_frame.</summary>
internal sealed class Rs2FrameHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_release_frame(native);
}

/// <summary>rs2_sensor_list*, deleted with rs2_delete_sensor_list (sensors created from it stay valid).</summary>
internal sealed class Rs2SensorListHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_sensor_list(native);
}

/// <summary>rs2_sensor*, deleted with rs2_delete_sensor.</summary>
internal sealed class Rs2SensorHandle : Rs2Handle
{
    protected override void Delete(nint native) => NativeMethods.rs2_delete_sensor(native);
}
