using System.Globalization;
using SpineScan.Camera.RealSense.Interop;

namespace SpineScan.Camera.RealSense;

/// <summary>What <see cref="RealSenseProbe"/> found.</summary>
public enum RealSenseProbeStatus
{
    /// <summary>librealsense2 is not installed (or not where <c>SPINESCAN_REALSENSE_LIB</c> points).</summary>
    LibraryMissing,

    /// <summary>The library works but no camera is plugged in.</summary>
    NoCamera,

    /// <summary>At least one camera is connected.</summary>
    CamerasFound,

    /// <summary>The library is there but failed (too old a version, a USB back-end error).</summary>
    Failed,
}

/// <summary>A connected camera as librealsense names it.</summary>
public sealed record RealSenseDeviceDescription(string Name, string Serial);

/// <summary>The outcome of probing for RealSense support, with a message fit to show as is.</summary>
public sealed record RealSenseProbeResult(RealSenseProbeStatus Status, string Message, IReadOnlyList<RealSenseDeviceDescription> Cameras)
{
    public bool HasCamera => Status == RealSenseProbeStatus.CamerasFound;
}

/// <summary>
/// Checks once per process whether a RealSense camera can be used: whether librealsense2 loads and
/// which cameras it sees. Never throws: a missing library or camera is a result, so that a host can
/// say so plainly and fall back to replay or the phantom.
/// </summary>
public static class RealSenseProbe
{
    public const string NotInstalledMessage =
        "Intel RealSense library (librealsense2.so) is not installed: use --source replay or --source phantom";

    public const string NoCameraMessage =
        "No RealSense camera is connected: plug a D400-series camera into a USB 3 port, or use --source replay or --source phantom";

    private static readonly Lazy<RealSenseProbeResult> Once = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The probe's result, computed on the first call and then reused.</summary>
    public static RealSenseProbeResult Probe() => Once.Value;

    /// <summary>Probes now, without the cache (tests, and a host's "retry" command).</summary>
    internal static RealSenseProbeResult Run()
    {
        if (!RealSenseLibrary.IsAvailable(out var location))
        {
            return new RealSenseProbeResult(RealSenseProbeStatus.LibraryMissing, NotInstalledMessage, []);
        }

        try
        {
            using var context = Rs2.CreateContext();
            var cameras = Rs2.ListDevices(context);
            return cameras.Count == 0
                ? new RealSenseProbeResult(RealSenseProbeStatus.NoCamera, NoCameraMessage, [])
                : new RealSenseProbeResult(RealSenseProbeStatus.CamerasFound, Describe(cameras), cameras);
        }
        catch (DllNotFoundException)
        {
            return new RealSenseProbeResult(RealSenseProbeStatus.LibraryMissing, NotInstalledMessage, []);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or BadImageFormatException)
        {
            return new RealSenseProbeResult(
                RealSenseProbeStatus.Failed,
                $"The library at {location} is not a usable librealsense2 ({ex.Message}): install librealsense 2.55 or newer, or use --source replay or --source phantom",
                []);
        }
        catch (RealSenseException ex)
        {
            return new RealSenseProbeResult(
                RealSenseProbeStatus.Failed,
                $"The RealSense library could not list cameras ({ex.Message}): use --source replay or --source phantom",
                []);
        }
    }

    private static string Describe(List<RealSenseDeviceDescription> cameras) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{cameras.Count} RealSense camera{(cameras.Count == 1 ? string.Empty : "s")}: {string.Join(", ", cameras.Select(c => $"{c.Name} (serial {c.Serial})"))}");
}
