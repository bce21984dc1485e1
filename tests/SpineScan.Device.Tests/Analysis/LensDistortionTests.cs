using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Imaging.Replay;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Device.Tests.Analysis;

/// <summary>
/// Brown-Conrady lens distortion from the phantom's render through capture.json to the analysis: the renderer projects
/// through the lens and casts the background along undistorted rays, the replay format keeps the coefficients, and the
/// pipeline deprojects through them.
/// </summary>
public sealed class LensDistortionTests : IDisposable
{
    private static readonly ScreeningAnalyzer Analyzer = new(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "spinescan-lens-" + Guid.NewGuid().ToString("N"));

    // The edge of the training range: k1 = +/-0.15 with k2 = 0.3 k1 and tangential terms.
    private static SensorEffectsDraw Lens(double k1) => SensorEffectsDraw.None with { K1 = k1, K2 = 0.3 * k1, P1 = 0.002, P2 = -0.0015 };

    private static PhantomOptions Clean(int index) => new()
    {
        Seed = PhantomSeeds.ForChild(7701, index),
        Sensor = PhantomSensor.RealSenseD435,
        NoiseFree = true,
        FrameCount = 1,
    };

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Render_DistortedCapture_SeesTheSameSurfacesAsItsUndistortedTwin()
    {
        using var plain = PhantomGenerator.Generate(Clean(1) with { SensorEffects = SensorEffectsDraw.None });
        using var distorted = PhantomGenerator.Generate(Clean(1) with { SensorEffects = Lens(0.15) });

        var honoured = SurfaceErrors(distorted.Standing, distorted.Standing.Intrinsics, plain.Standing);
        var ignored = SurfaceErrors(distorted.Standing, distorted.Standing.Intrinsics with { K1 = 0, K2 = 0, P1 = 0, P2 = 0 }, plain.Standing);

        // Every pixel deprojected through the lens lands on the twin's surface (body, wall and floor) to the depth unit;
        // deprojected as a pinhole it does not.
        Assert.True(honoured.Median < 0.6 && honoured.P95 < 2, $"through the lens: median {honoured.Median:0.00} mm, 95 % {honoured.P95:0.00} mm");
        Assert.True(ignored.P95 > 4 * honoured.P95, $"as a pinhole: 95 % {ignored.P95:0.00} mm");
    }

    // The pipeline's reading moves when the same surface is sampled on another pixel grid: nudging the camera by 0.05 deg
    // changes the largest Cobb angle of these noise-free children by 0.04-1.7 deg (mean 0.5). Lens distortion resamples the
    // same way, so the test asks that it adds nothing beyond that: the median twin differs by at most 0.5 deg and the
    // mean by no more than the nudge's mean plus 0.25; read as a pinhole, the distorted capture is refused or misread.
    [Fact]
    public void Analyze_DistortedCapture_ReadsLikeItsUndistortedTwin()
    {
        var lens = new List<double>();
        var nudge = new List<double>();
        var pinhole = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            using var plain = PhantomGenerator.Generate(Clean(i) with { SensorEffects = SensorEffectsDraw.None });
            var reading = Largest(plain.Standing);
            var camera = plain.Truth.Parameters.Camera;
            using var nudged = PhantomGenerator.Generate(Clean(i) with
            {
                SensorEffects = SensorEffectsDraw.None,
                CameraPitchDeg = camera.StandingPitchDeg + 0.05,
                CameraRollDeg = camera.StandingRollDeg + 0.05,
            });
            nudge.Add(Math.Abs(Largest(nudged.Standing)!.Value - reading!.Value));
            foreach (var k1 in new[] { 0.15, -0.15 })
            {
                using var distorted = PhantomGenerator.Generate(Clean(i) with { SensorEffects = Lens(k1) });
                lens.Add(Math.Abs(Largest(distorted.Standing)!.Value - reading.Value));
                var asPinhole = new DepthCapture(
                    distorted.Standing.Pose, distorted.Standing.Intrinsics with { K1 = 0, K2 = 0, P1 = 0, P2 = 0 }, distorted.Standing.Device, null, distorted.Standing.Frames);
                if (Largest(asPinhole) is { } misread && Math.Abs(misread - reading.Value) < 2)
                {
                    pinhole.Add(FormattableString.Invariant($"child {i}, k1 {k1}: {misread:0.0} for {reading:0.0}"));
                }
            }
        }

        lens.Sort();
        var median = (lens[5] + lens[6]) / 2;
        Assert.True(median <= 0.5, $"median {median:0.00} deg: {string.Join(", ", lens.Select(x => x.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(lens.Average() <= nudge.Average() + 0.25, $"lens mean {lens.Average():0.00} deg, nudge mean {nudge.Average():0.00} deg");
        Assert.True(pinhole.Count == 0, "read as a pinhole and still accepted near the truth: " + string.Join("; ", pinhole));
    }

    [Fact]
    public void ReplayFormat_DistortedCapture_RoundTripsCoefficientsFramesAndReading()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = PhantomSeeds.ForChild(7701, 2), World = PhantomWorld.InRange, FrameCount = 3 });
        var intrinsics = child.Standing.Intrinsics;
        Assert.NotEqual(0, intrinsics.K1);
        Assert.NotEqual(0, intrinsics.P2);

        var path = Path.Combine(_folder, "standing");
        ReplayCaptureWriter.Write(child.Standing, path);
        using var read = ReplayCaptureReader.Read(path);

        Assert.Equal(intrinsics, read.Intrinsics);
        for (var f = 0; f < 3; f++)
        {
            Assert.True(child.Standing.Frames[f].Pixels.SequenceEqual(read.Frames[f].Pixels));
        }

        var original = Analyzer.Analyze(child.Standing, null);
        var again = Analyzer.Analyze(read, null);
        Assert.Equal(original.Cobb?.Largest.AngleDeg, again.Cobb?.Largest.AngleDeg);
        Assert.Equal(original.Standing.Issues, again.Standing.Issues);
    }

    private static double? Largest(DepthCapture standing)
    {
        var result = Analyzer.Analyze(standing, null);
        return result.Issues.Count == 0 ? result.Cobb?.Largest.AngleDeg : null;
    }

    // Each measured pixel of the capture deprojected through the given intrinsics, projected into the twin (a pinhole)
    // and compared with the twin's depth there (bilinear, where its four pixels lie on one surface).
    private static (double Median, double P95) SurfaceErrors(DepthCapture capture, CameraIntrinsics lens, DepthCapture twin)
    {
        var frame = capture.Frames[0];
        var other = twin.Frames[0];
        var errors = new List<double>();
        for (var v = 2; v < frame.Height - 2; v += 2)
        {
            for (var u = 2; u < frame.Width - 2; u += 2)
            {
                var value = frame.Row(v)[u];
                if (value == DepthFrame.NoMeasurement)
                {
                    continue;
                }

                var point = lens.Deproject(u, v, value * frame.DepthScaleMm);
                var pixel = twin.Intrinsics.Project(point);
                var u0 = (int)Math.Floor(pixel.X);
                var v0 = (int)Math.Floor(pixel.Y);
                if (u0 < 0 || v0 < 0 || u0 >= other.Width - 1 || v0 >= other.Height - 1)
                {
                    continue;
                }

                double a = other.Row(v0)[u0], b = other.Row(v0)[u0 + 1], c = other.Row(v0 + 1)[u0], d = other.Row(v0 + 1)[u0 + 1];
                if (a == 0 || b == 0 || c == 0 || d == 0 || Math.Max(Math.Max(a, b), Math.Max(c, d)) - Math.Min(Math.Min(a, b), Math.Min(c, d)) > 20)
                {
                    continue;
                }

                double fu = pixel.X - u0, fv = pixel.Y - v0;
                var depth = (((a * (1 - fu)) + (b * fu)) * (1 - fv)) + (((c * (1 - fu)) + (d * fu)) * fv);
                errors.Add(Math.Abs((depth * other.DepthScaleMm) - point.Z));
            }
        }

        errors.Sort();
        Assert.True(errors.Count > 20000, $"only {errors.Count} pixels compared");
        return (errors[errors.Count / 2], errors[(int)(0.95 * errors.Count)]);
    }
}
