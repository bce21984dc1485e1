using SpineScan.Core.Depth;

namespace SpineScan.Core.Capture;

/// <summary>The two poses a screening captures.</summary>
public enum CapturePose
{
    /// <summary>Upright, arms hanging, back to the camera.</summary>
    Standing,

    /// <summary>Adam's forward-bend test: trunk about horizontal, arms hanging.</summary>
    ForwardBend,
}

/// <summary>Which camera made a capture.</summary>
public sealed record CaptureDevice(string Model, string Serial);

/// <summary>
/// A burst of depth frames of one pose, with the camera that took them. Owns its frames.
/// </summary>
public sealed class DepthCapture(
    CapturePose pose,
    CameraIntrinsics intrinsics,
    CaptureDevice device,
    string? calibrationId,
    IReadOnlyList<DepthFrame> frames) : IDisposable
{
    public const string Schema = "spinescan.capture/1";

    public CapturePose Pose { get; } = pose;

    public CameraIntrinsics Intrinsics { get; } = intrinsics;

    public CaptureDevice Device { get; } = device;

    public string? CalibrationId { get; } = calibrationId;

    public IReadOnlyList<DepthFrame> Frames { get; } = frames;

    public double DepthScaleM => Frames.Count > 0 ? Frames[0].DepthScaleM : 0.001;

    public void Dispose()
    {
        foreach (var frame in Frames)
        {
            frame.Dispose();
        }
    }

    /// <summary>The replay format's name for a pose.</summary>
    public static string PoseName(CapturePose pose) => pose switch
    {
        CapturePose.Standing => "standing",
        CapturePose.ForwardBend => "forward_bend",
        _ => throw new ArgumentOutOfRangeException(nameof(pose), pose, null),
    };

    public static bool TryParsePose(string? name, out CapturePose pose)
    {
        switch (name)
        {
            case "standing":
                pose = CapturePose.Standing;
                return true;
            case "forward_bend":
                pose = CapturePose.ForwardBend;
                return true;
            default:
                pose = default;
                return false;
        }
    }
}
