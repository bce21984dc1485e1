using OpenCvSharp;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Lab.Phantom;

/// <summary>
/// A picture of a capture for humans: the mean of its frames, colour-mapped over the nearest 500 mm (turbo, near = red; beyond 900 mm black)
/// and shaded by the surface slope (light from the upper left) so that the relief of the back shows; black = no measurement.
/// </summary>
internal static class DepthPreview
{
    // Farther than this behind the nearest point (wall, far floor) is drawn black to keep the pictures small.
    private const double BackgroundMm = 900;

    public static void WritePng(DepthCapture capture, string path)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var width = capture.Intrinsics.Width;
        var height = capture.Intrinsics.Height;
        var mean = new double[width * height];
        var counts = new int[width * height];
        foreach (var frame in capture.Frames)
        {
            for (var v = 0; v < height; v++)
            {
                var row = frame.Row(v);
                for (var u = 0; u < width; u++)
                {
                    if (row[u] != DepthFrame.NoMeasurement)
                    {
                        mean[(v * width) + u] += row[u] * frame.DepthScaleMm;
                        counts[(v * width) + u]++;
                    }
                }
            }
        }

        var near = double.MaxValue;
        for (var i = 0; i < mean.Length; i++)
        {
            if (counts[i] > 0)
            {
                mean[i] /= counts[i];
                near = Math.Min(near, mean[i]);
            }
        }

        const double range = 500;
        using var scaled = new Mat(height, width, MatType.CV_8UC1, Scalar.All(0));
        for (var v = 0; v < height; v++)
        {
            for (var u = 0; u < width; u++)
            {
                var i = (v * width) + u;
                var value = counts[i] == 0 ? 0 : 255 - Math.Clamp((mean[i] - near) / range * 255, 0, 255);
                scaled.Set(v, u, (byte)value);
            }
        }

        using var colour = new Mat();
        Cv2.ApplyColorMap(scaled, colour, ColormapTypes.Turbo);
        for (var v = 1; v < height - 1; v++)
        {
            for (var u = 1; u < width - 1; u++)
            {
                var i = (v * width) + u;
                if (counts[i] == 0 || mean[i] - near > BackgroundMm)
                {
                    colour.Set(v, u, new Vec3b(0, 0, 0));
                    continue;
                }

                var shade = 1.0;
                if (counts[i - 1] > 0 && counts[i + 1] > 0 && counts[i - width] > 0 && counts[i + width] > 0)
                {
                    // Slope in mm per pixel turned into mm per mm at this depth (pixel footprint = z / fx).
                    var footprint = mean[i] / capture.Intrinsics.Fx;
                    var gx = (mean[i + 1] - mean[i - 1]) / (2 * footprint);
                    var gy = (mean[i + width] - mean[i - width]) / (2 * footprint);
                    var norm = Math.Sqrt((gx * gx) + (gy * gy) + 1);
                    var lambert = ((-0.5 * gx) + (-0.5 * gy) + 0.7) / norm / 0.995;
                    shade = Math.Clamp(0.25 + (0.85 * lambert), 0.15, 1.1);
                }

                var c = colour.At<Vec3b>(v, u);
                colour.Set(v, u, new Vec3b(Scale(c.Item0, shade), Scale(c.Item1, shade), Scale(c.Item2, shade)));
            }
        }

        Cv2.ImWrite(path, colour);
    }

    private static byte Scale(byte value, double factor) => (byte)Math.Clamp(value * factor, 0, 255);
}
