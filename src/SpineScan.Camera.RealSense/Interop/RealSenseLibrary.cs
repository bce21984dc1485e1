using System.Reflection;
using System.Runtime.InteropServices;

namespace SpineScan.Camera.RealSense.Interop;

/// <summary>
/// Finds librealsense2 at run time. <see cref="NativeMethods"/> imports the name
/// <see cref="ImportName"/>; the resolver registered here maps it to the file named by the
/// <see cref="PathVariable"/> environment variable when that is set, otherwise to the installed
/// library (<c>librealsense2.so</c>, then the versioned sonames of the runtime-only packages).
/// </summary>
internal static class RealSenseLibrary
{
    /// <summary>The library name every <c>[LibraryImport]</c> of the binding uses.</summary>
    public const string ImportName = "realsense2";

    /// <summary>Full path of the library to use instead of the installed one (a build from source, a test stub).</summary>
    public const string PathVariable = "SPINESCAN_REALSENSE_LIB";

    // librealsense2-dev installs librealsense2.so; the runtime package only the sonames (2.55 is the oldest the binding accepts).
    private static readonly string[] InstalledNames =
        ["librealsense2.so", "librealsense2.so.2.58", "librealsense2.so.2.57", "librealsense2.so.2.56", "librealsense2.so.2.55"];

    /// <summary>Maps <see cref="ImportName"/> for the imports of <paramref name="assembly"/>; called once, by <see cref="NativeMethods"/>.</summary>
    public static void RegisterResolver(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    /// <summary>Where the library is looked for, in order: only the override when <see cref="PathVariable"/> is set.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var overridePath = Environment.GetEnvironmentVariable(PathVariable);
        return string.IsNullOrWhiteSpace(overridePath) ? InstalledNames : [overridePath];
    }

    /// <summary>
    /// Whether the library can be loaded from where <see cref="Candidates"/> says, without calling into it
    /// (so without ever throwing <see cref="DllNotFoundException"/>).
    /// </summary>
    public static bool IsAvailable(out string? location)
    {
        if (!TryLoad(out var handle, out location))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static bool TryLoad(out nint handle, out string? location)
    {
        foreach (var candidate in Candidates())
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                location = candidate;
                return true;
            }
        }

        handle = 0;
        location = null;
        return false;
    }

    // Returning 0 lets the runtime try its default probing, which then throws DllNotFoundException.
    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        string.Equals(libraryName, ImportName, StringComparison.Ordinal) && TryLoad(out var handle, out _) ? handle : 0;
}
