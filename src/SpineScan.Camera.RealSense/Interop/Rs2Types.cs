using System.Runtime.InteropServices;

namespace SpineScan.Camera.RealSense.Interop;

/// <summary>Constants of librealsense2's C API (include/librealsense2/rs.h).</summary>
internal static class Rs2Api
{
    /// <summary>
    /// RS2_API_VERSION of the headers this binding was written against, 2.55.1:
    /// major x 10000 + minor x 100 + patch. librealsense accepts it when the installed library has the
    /// same major version and a minor version of at least 55.
    /// </summary>
    public const int Version = (2 * 10000) + (55 * 100) + 1;
}

/// <summary>rs2_stream (rs_sensor.h), the values used here.</summary>
internal enum Rs2Stream
{
    Any = 0,
    Depth = 1,
}

/// <summary>rs2_format (rs_sensor.h), the values used here.</summary>
internal enum Rs2Format
{
    Any = 0,

    /// <summary>16-bit linear depth: metres = depth scale x value.</summary>
    Z16 = 1,
}

/// <summary>rs2_camera_info (rs_sensor.h), the values used here.</summary>
internal enum Rs2CameraInfo
{
    Name = 0,
    SerialNumber = 1,
}

/// <summary>rs2_extension (rs_types.h), the values used here.</summary>
internal enum Rs2Extension
{
    Unknown = 0,
    DepthSensor = 7,
}

/// <summary>rs2_distortion (rs_types.h).</summary>
internal enum Rs2Distortion
{
    None = 0,
    ModifiedBrownConrady = 1,
    InverseBrownConrady = 2,
    FTheta = 3,
    BrownConrady = 4,
    KannalaBrandt4 = 5,
}

/// <summary>rs2_intrinsics (rs_types.h): 48 bytes, coefficients k1, k2, p1, p2, k3 for Brown-Conrady.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Rs2Intrinsics
{
    public int Width;
    public int Height;
    public float Ppx;
    public float Ppy;
    public float Fx;
    public float Fy;
    public Rs2Distortion Model;
    public fixed float Coeffs[5];
}
