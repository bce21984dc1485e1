using System.Reflection;
using System.Runtime.InteropServices;
using SpineScan.Camera.RealSense.Interop;

namespace SpineScan.Camera.RealSense.Tests;

/// <summary>
/// The test controls of native/rs2_stub.c, the librealsense2 stand-in built next to the tests.
/// <see cref="Reset"/> also points the production resolver at it through <c>SPINESCAN_REALSENSE_LIB</c>.
/// </summary>
internal static partial class Rs2Stub
{
    public const string FileName = "librealsense2_stub.so";
    private const string Library = "rs2stub";

    static Rs2Stub() => NativeLibrary.SetDllImportResolver(
        typeof(Rs2Stub).Assembly,
        (name, _, _) => name == Library ? NativeLibrary.Load(Path) : 0);

    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>Back to one connected stub camera with default frames, and zero counters.</summary>
    public static void Reset()
    {
        Environment.SetEnvironmentVariable(RealSenseLibrary.PathVariable, Path);
        stub_reset();
    }

    public static string LiveReport => Marshal.PtrToStringUTF8(stub_live_report()) ?? string.Empty;

    public static string LastMisuse => Marshal.PtrToStringUTF8(stub_last_misuse()) ?? string.Empty;

    public static string LastPlaybackFile => Marshal.PtrToStringUTF8(stub_last_playback_file()) ?? string.Empty;

    public static string LastEnabledSerial => Marshal.PtrToStringUTF8(stub_last_enabled_serial()) ?? string.Empty;

    public static int[] LastEnabledStream()
    {
        var args = new int[6];
        stub_last_enabled_stream(args);
        return args;
    }

    /// <summary>Asserts that every handle and error the binding got was released, and none was misused.</summary>
    public static void AssertAllReleased()
    {
        Assert.True(stub_misuse_count() == 0, $"handle misuse: {LastMisuse}");
        Assert.True(stub_live_handles() == 0, $"live handles: {LiveReport}");
    }

    /// <summary>The depth value the stub writes at (x, y) of its n-th frame (0-based).</summary>
    public static ushort Ramp(int frameNumber, int x, int y) => (ushort)((frameNumber * 7) + x + (3 * y));

    [LibraryImport(Library)]
    public static partial void stub_reset();

    [LibraryImport(Library)]
    public static partial void stub_set_device_count(int count);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void stub_set_device_name(string name);

    [LibraryImport(Library)]
    public static partial void stub_set_frame_layout(int width, int height, int strideBytes);

    [LibraryImport(Library)]
    public static partial void stub_set_intrinsics(float ppx, float ppy, float fx, float fy, int model, [In] float[]? coeffs);

    [LibraryImport(Library)]
    public static partial void stub_set_depth_scale(float scale);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void stub_fail_next(string function);

    [LibraryImport(Library)]
    public static partial void stub_timeout_next_wait();

    [LibraryImport(Library)]
    public static partial int stub_live_handles();

    [LibraryImport(Library)]
    public static partial int stub_misuse_count();

    [LibraryImport(Library)]
    public static partial int stub_last_api_version();

    [LibraryImport(Library)]
    public static partial int stub_sizeof_intrinsics();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int stub_call_count(string function);

    [LibraryImport(Library)]
    private static partial nint stub_live_report();

    [LibraryImport(Library)]
    private static partial nint stub_last_misuse();

    [LibraryImport(Library)]
    private static partial nint stub_last_playback_file();

    [LibraryImport(Library)]
    private static partial nint stub_last_enabled_serial();

    [LibraryImport(Library)]
    private static partial void stub_last_enabled_stream([Out] int[] args);
}
