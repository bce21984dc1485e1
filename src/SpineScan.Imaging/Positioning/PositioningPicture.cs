using OpenCvSharp;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Imaging.Positioning;

/// <summary>
/// The live picture: depth as a turbo colour map over the kiosk's working range (near = red, far = blue, no
/// measurement = black), with the target outline drawn where the child should stand (green when ready, amber when
/// not). One instance per watcher: the 8-bit scratch image is reused frame after frame.
/// </summary>
public sealed class PositioningPicture : IDisposable
{
    private const double NearMm = 600;
    private const double FarMm = 2600;

    // JPEG, not PNG: a live colour map a fifth the size (about 15 against 70 KB at 424x240) crosses the kiosk's
    // circuit and decodes in the browser fast enough for 10 frames a second and more; it is never stored.
    private static readonly int[] JpegParams = [(int)ImwriteFlags.JpegQuality, 80];

    private Mat? _grey;
    private Mat? _colour;
    private Mat? _unmeasured;

    public byte[] Render(DepthFrame frame, PositioningAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(assessment);
        if (_grey is null || _grey.Width != frame.Width || _grey.Height != frame.Height)
        {
            _grey?.Dispose();
            _colour?.Dispose();
            _unmeasured?.Dispose();
            _grey = new Mat(frame.Height, frame.Width, MatType.CV_8UC1);
            _colour = new Mat();
            _unmeasured = new Mat();
        }

        var scale = frame.DepthScaleMm;
        var grey = _grey.AsSpan<byte>();
        for (var v = 0; v < frame.Height; v++)
        {
            var row = frame.Row(v);
            var pixels = grey.Slice(v * frame.Width, frame.Width);
            for (var u = 0; u < row.Length; u++)
            {
                var mm = row[u] * scale;
                pixels[u] = row[u] == DepthFrame.NoMeasurement ? (byte)0 : (byte)(255 - Math.Clamp((mm - NearMm) / (FarMm - NearMm) * 254, 0, 254));
            }
        }

        Cv2.ApplyColorMap(_grey, _colour!, ColormapTypes.Turbo);
        Cv2.Compare(_grey, Scalar.All(0), _unmeasured!, CmpTypes.EQ);
        _colour!.SetTo(Scalar.Black, _unmeasured); // unmeasured pixels stay black, not the map's darkest blue
        var t = assessment.Target;
        var colour = assessment.Ready ? new Scalar(80, 220, 80) : new Scalar(0, 190, 255);
        Cv2.Rectangle(_colour, new Point(t.MinU, t.MinV), new Point(t.MaxU, t.MaxV), colour, 3);
        Cv2.Line(_colour, new Point((t.MinU + t.MaxU) / 2, t.MinV), new Point((t.MinU + t.MaxU) / 2, t.MaxV), colour, 1);
        return _colour.ImEncode(".jpg", JpegParams);
    }

    public void Dispose()
    {
        _grey?.Dispose();
        _colour?.Dispose();
        _unmeasured?.Dispose();
    }
}
