using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Calibration;

/// <summary>Applies a calibration's depth scale: the same raw values read with a corrected unit.</summary>
public static class DepthScaleCorrection
{
    /// <summary>
    /// A copy of <paramref name="capture"/> whose frames read every depth divided by <paramref name="depthScale"/> (the depth
    /// the camera reads per true depth). The caller disposes it; the original is untouched.
    /// </summary>
    public static DepthCapture Apply(DepthCapture capture, double depthScale)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (!double.IsFinite(depthScale) || depthScale is < 0.5 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(depthScale), depthScale, "A depth scale must be 0.5..2.");
        }

        var frames = new List<DepthFrame>(capture.Frames.Count);
        try
        {
            foreach (var frame in capture.Frames)
            {
                var copy = DepthFrame.Create(frame.Width, frame.Height, frame.DepthScaleM / depthScale, frame.TimestampMs);
                frames.Add(copy);
                for (var y = 0; y < frame.Height; y++)
                {
                    frame.Row(y).CopyTo(copy.Row(y));
                }
            }
        }
        catch
        {
            foreach (var f in frames)
            {
                f.Dispose();
            }

            throw;
        }

        return new DepthCapture(capture.Pose, capture.Intrinsics, capture.Device, capture.CalibrationId, frames);
    }
}
