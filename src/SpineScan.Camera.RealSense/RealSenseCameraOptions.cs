using System.ComponentModel.DataAnnotations;

namespace SpineScan.Camera.RealSense;

/// <summary>Which RealSense camera (or recording) to stream depth from, and how.</summary>
public sealed class RealSenseCameraOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "Cameras:RealSense";

    /// <summary>Serial number of the camera to use; the first camera found when empty.</summary>
    public string? Serial { get; set; }

    /// <summary>A RealSense <c>.bag</c> recording to play back instead of a live camera.</summary>
    public string? PlaybackFile { get; set; }

    /// <summary>Depth image width in pixels (a live camera only; a recording keeps its own).</summary>
    [Range(16, 4096)]
    public int Width { get; set; } = 848;

    /// <summary>Depth image height in pixels (a live camera only).</summary>
    [Range(16, 4096)]
    public int Height { get; set; } = 480;

    /// <summary>Depth frame rate (a live camera only).</summary>
    [Range(1, 300)]
    public int FramesPerSecond { get; set; } = 30;

    /// <summary>How long to wait for a frame before the camera is reported as failed.</summary>
    [Range(100, 60_000)]
    public int FrameTimeoutMs { get; set; } = 5000;

    internal RealSenseCameraOptions Snapshot()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        return (RealSenseCameraOptions)MemberwiseClone();
    }
}
