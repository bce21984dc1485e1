using System.Runtime.InteropServices;

namespace SpineScan.Camera.RealSense.Interop;

/// <summary>Checked calls shared by the probe and the camera session.</summary>
internal static class Rs2
{
    private const string Unknown = "unknown";

    public static Rs2ContextHandle CreateContext()
    {
        var context = NativeMethods.rs2_create_context(Rs2Api.Version, out var error);
        Rs2Error.ThrowIfSet(error, context);
        return context;
    }

    /// <summary>Name and serial of every connected camera, in librealsense's order.</summary>
    public static List<RealSenseDeviceDescription> ListDevices(Rs2ContextHandle context)
    {
        using var list = NativeMethods.rs2_query_devices(context, out var error);
        Rs2Error.ThrowIfSet(error, list);
        var count = NativeMethods.rs2_get_device_count(list, out error);
        Rs2Error.ThrowIfSet(error);
        var devices = new List<RealSenseDeviceDescription>(count);
        for (var i = 0; i < count; i++)
        {
            using var device = NativeMethods.rs2_create_device(list, i, out error);
            Rs2Error.ThrowIfSet(error, device);
            devices.Add(Describe(device));
        }

        return devices;
    }

    public static RealSenseDeviceDescription Describe(Rs2DeviceHandle device) =>
        new(Info(device, Rs2CameraInfo.Name), Info(device, Rs2CameraInfo.SerialNumber));

    private static string Info(Rs2DeviceHandle device, Rs2CameraInfo info)
    {
        var supported = NativeMethods.rs2_supports_device_info(device, info, out var error);
        Rs2Error.ThrowIfSet(error);
        if (supported == 0)
        {
            return Unknown;
        }

        // The string belongs to the device: copy it, never free it.
        var text = NativeMethods.rs2_get_device_info(device, info, out error);
        Rs2Error.ThrowIfSet(error);
        return Marshal.PtrToStringUTF8(text) ?? Unknown;
    }
}
