using OpenCvSharp;

namespace SpineScan.Imaging;

/// <summary>
/// Whether OpenCV's native library loads here, probed once per process. The registry serves no OpenCV runtime for
/// linux-arm64: there the replay format is read and written by the managed PNG codec instead of dying on the first capture.
/// </summary>
public static class OpenCvProbe
{
    /// <summary>The one line a host prints when OpenCV is absent.</summary>
    public const string AbsentLine = "OpenCV's native library is not available on this machine: depth frames are read and written with SpineScan's managed PNG codec (the same depths; the live picture needs OpenCV).";

    private static readonly Lazy<bool> Loaded = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when OpenCV's native library loaded.</summary>
    public static bool IsAvailable => Loaded.Value;

    private static bool Probe()
    {
        try
        {
            return !string.IsNullOrEmpty(Cv2.GetVersionString());
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException or OpenCvSharpException)
        {
            return false;
        }
    }
}
