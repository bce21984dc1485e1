using System.Runtime.InteropServices;

namespace SpineScan.Camera.RealSense.Interop;

/// <summary>
/// The librealsense2 C API functions SpineScan uses, as declared in include/librealsense2/h/*.h (2.55).
/// Every call that can fail takes <c>rs2_error** error</c> last, here <c>out nint error</c>: pass it to
/// <see cref="Rs2Error.ThrowIfSet"/>. Strings the library returns (<c>const char*</c>) belong to it and are
/// returned as <see cref="nint"/> to be copied, never freed.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = RealSenseLibrary.ImportName;

    static NativeMethods() => RealSenseLibrary.RegisterResolver(typeof(NativeMethods).Assembly);

    // rs_types.h
    [LibraryImport(Library)]
    internal static partial nint rs2_get_failed_function(nint error);

    [LibraryImport(Library)]
    internal static partial nint rs2_get_error_message(nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_free_error(nint error);

    // rs_context.h
    [LibraryImport(Library)]
    internal static partial Rs2ContextHandle rs2_create_context(int apiVersion, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_context(nint context);

    [LibraryImport(Library)]
    internal static partial Rs2DeviceListHandle rs2_query_devices(Rs2ContextHandle context, out nint error);

    // rs_device.h
    [LibraryImport(Library)]
    internal static partial int rs2_get_device_count(Rs2DeviceListHandle list, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_device_list(nint list);

    [LibraryImport(Library)]
    internal static partial Rs2DeviceHandle rs2_create_device(Rs2DeviceListHandle list, int index, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_device(nint device);

    [LibraryImport(Library)]
    internal static partial int rs2_supports_device_info(Rs2DeviceHandle device, Rs2CameraInfo info, out nint error);

    [LibraryImport(Library)]
    internal static partial nint rs2_get_device_info(Rs2DeviceHandle device, Rs2CameraInfo info, out nint error);

    [LibraryImport(Library)]
    internal static partial Rs2SensorListHandle rs2_query_sensors(Rs2DeviceHandle device, out nint error);

    // rs_sensor.h
    [LibraryImport(Library)]
    internal static partial int rs2_get_sensors_count(Rs2SensorListHandle list, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_sensor_list(nint list);

    [LibraryImport(Library)]
    internal static partial Rs2SensorHandle rs2_create_sensor(Rs2SensorListHandle list, int index, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_sensor(nint sensor);

    [LibraryImport(Library)]
    internal static partial int rs2_is_sensor_extendable_to(Rs2SensorHandle sensor, Rs2Extension extension, out nint error);

    [LibraryImport(Library)]
    internal static partial float rs2_get_depth_scale(Rs2SensorHandle sensor, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_get_stream_profile_data(
        nint profile, out Rs2Stream stream, out Rs2Format format, out int index, out int uniqueId, out int framerate, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_get_video_stream_intrinsics(nint profile, out Rs2Intrinsics intrinsics, out nint error);

    // rs_config.h
    [LibraryImport(Library)]
    internal static partial Rs2ConfigHandle rs2_create_config(out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_config(nint config);

    [LibraryImport(Library)]
    internal static partial void rs2_config_enable_stream(
        Rs2ConfigHandle config, Rs2Stream stream, int index, int width, int height, Rs2Format format, int framerate, out nint error);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rs2_config_enable_device(Rs2ConfigHandle config, string serial, out nint error);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rs2_config_enable_device_from_file(Rs2ConfigHandle config, string file, out nint error);

    // rs_pipeline.h
    [LibraryImport(Library)]
    internal static partial Rs2PipelineHandle rs2_create_pipeline(Rs2ContextHandle context, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_pipeline(nint pipe);

    [LibraryImport(Library)]
    internal static partial Rs2PipelineProfileHandle rs2_pipeline_start_with_config(Rs2PipelineHandle pipe, Rs2ConfigHandle config, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_pipeline_stop(Rs2PipelineHandle pipe, out nint error);

    [LibraryImport(Library)]
    internal static partial Rs2FrameHandle rs2_pipeline_wait_for_frames(Rs2PipelineHandle pipe, uint timeoutMs, out nint error);

    [LibraryImport(Library)]
    internal static partial Rs2DeviceHandle rs2_pipeline_profile_get_device(Rs2PipelineProfileHandle profile, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_delete_pipeline_profile(nint profile);

    // rs_frame.h
    [LibraryImport(Library)]
    internal static partial int rs2_embedded_frames_count(Rs2FrameHandle composite, out nint error);

    [LibraryImport(Library)]
    internal static partial Rs2FrameHandle rs2_extract_frame(Rs2FrameHandle composite, int index, out nint error);

    [LibraryImport(Library)]
    internal static partial void rs2_release_frame(nint frame);

    [LibraryImport(Library)]
    internal static partial nint rs2_get_frame_data(Rs2FrameHandle frame, out nint error);

    [LibraryImport(Library)]
    internal static partial int rs2_get_frame_width(Rs2FrameHandle frame, out nint error);

    [LibraryImport(Library)]
    internal static partial int rs2_get_frame_height(Rs2FrameHandle frame, out nint error);

    [LibraryImport(Library)]
    internal static partial int rs2_get_frame_stride_in_bytes(Rs2FrameHandle frame, out nint error);

    [LibraryImport(Library)]
    internal static partial double rs2_get_frame_timestamp(Rs2FrameHandle frame, out nint error);

    [LibraryImport(Library)]
    internal static partial nint rs2_get_frame_stream_profile(Rs2FrameHandle frame, out nint error);
}
