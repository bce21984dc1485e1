using System.Security.Cryptography;
using System.Runtime.InteropServices;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Phantom;

namespace SpineScan.Phantom.Tests;

/// <summary>
/// The camera effects of the randomized world, each measured on renders of twins that differ in that effect only (same
/// child, same noise seed): active stereo's invalid band and shadows, its correlated noise, the static bias, time of
/// flight's rows and multipath, lens distortion; and the base world rendering exactly as before them.
/// </summary>
public class SensorEffectsTests
{
    private const int Seed = 4242;

    // Twins of one in-range child: every draw of the world, the effects forced (no motion, so the geometry is the same).
    private static PhantomChild Render(PhantomSensor sensor, SensorEffectsDraw effects, StereoArtefacts artefacts, int frames = 1, double distanceMm = 1300) =>
        PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = Seed,
            World = PhantomWorld.InRange,
            Sensor = sensor,
            CameraDistanceMm = distanceMm,
            FrameCount = frames,
            SensorEffects = effects,
            StereoArtefacts = artefacts,
            Motion = MotionDraw.None,
        });

    private static double Depth(DepthFrame frame, int u, int v) => frame.Row(v)[u] * frame.DepthScaleMm;

    private static bool Measured(DepthFrame frame, int u, int v) => frame.Row(v)[u] != DepthFrame.NoMeasurement;

    // Frame hashes of base-world children rendered by commit 057519d (before the effects): seeds 1-6 of batch 7701, a
    // ToF child, two people, a noise-free symmetric child, a D455 and a wide-field ToF child.
    [Fact]
    public void Generate_BaseWorld_FramesIdenticalToBeforeTheEffects()
    {
        var cases = new (PhantomOptions Options, string Hash)[]
        {
            (new() { Seed = PhantomSeeds.ForChild(7701, 1), FrameCount = 3 }, "DD8F4EAA51AB696F"),
            (new() { Seed = PhantomSeeds.ForChild(7701, 2), FrameCount = 3 }, "C7D69EB3B10542CF"),
            (new() { Seed = PhantomSeeds.ForChild(7701, 3), FrameCount = 3 }, "D84395DFD7721259"),
            (new() { Seed = 5, FrameCount = 3, Sensor = PhantomSensor.AzureKinectNfov }, "CB3AF902D70EFEC5"),
            (new() { Seed = 6, FrameCount = 3, Scene = PhantomScene.TwoPeople }, "F62A57CB87495848"),
            (new() { Seed = 7, FrameCount = 3, Symmetric = true, NoiseFree = true }, "097C243567F3692A"),
            (new() { Seed = 8, FrameCount = 2, Sensor = PhantomSensor.RealSenseD455 }, "050DC649BB61D206"),
            (new() { Seed = 9, FrameCount = 2, Sensor = PhantomSensor.AzureKinectWfov }, "09876187E2F723E3"),
        };

        foreach (var (options, hash) in cases)
        {
            using var child = PhantomGenerator.Generate(options);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var capture in new[] { child.Standing, child.ForwardBend })
            {
                foreach (var frame in capture.Frames)
                {
                    for (var v = 0; v < frame.Height; v++)
                    {
                        sha.AppendData(MemoryMarshal.AsBytes(frame.Row(v)));
                    }
                }
            }

            Assert.Equal(hash, Convert.ToHexString(sha.GetHashAndReset())[..16]);
        }
    }

    [Fact]
    public void Stereo_LeftEdge_InvalidBandAsWideAsTheDisparity()
    {
        using var plain = Render(PhantomSensor.RealSenseD435, SensorEffectsDraw.None, StereoArtefacts.None);
        using var stereo = Render(PhantomSensor.RealSenseD435, SensorEffectsDraw.None, StereoArtefacts.All);
        var focalBaseline = stereo.Standing.Intrinsics.Fx * 50;
        var a = plain.Standing.Frames[0];
        var b = stereo.Standing.Frames[0];
        var rows = 0;
        for (var v = 0; v < 120; v += 4)
        {
            if (!Measured(a, 0, v))
            {
                continue;
            }

            // The wall behind, about 2.5 m: d = f B / z pixels (8-9).
            var band = focalBaseline / Depth(a, 0, v);
            Assert.InRange(band, 5, 15);
            for (var u = 0; u < (int)Math.Floor(band) - 1; u++)
            {
                Assert.False(Measured(b, u, v), $"row {v}: column {u} inside the {band:0.0} px band is measured");
            }

            var beyond = Enumerable.Range((int)Math.Ceiling(band) + 1, 20).Count(u => Measured(b, u, v));
            Assert.True(beyond >= 18, $"row {v}: only {beyond} of 20 pixels right of the band are measured");
            rows++;
        }

        Assert.True(rows >= 20, $"only {rows} wall rows at the left edge");

        // Without the artefacts the same pixels are measured.
        Assert.True(Measured(a, 2, 40) && Measured(a, 4, 40));
    }

    [Fact]
    public void Stereo_NearEdge_ShadowLeftOfItAsWideAsTheDisparityDifference()
    {
        using var plain = Render(PhantomSensor.RealSenseD435, SensorEffectsDraw.None, StereoArtefacts.None);
        using var stereo = Render(PhantomSensor.RealSenseD435, SensorEffectsDraw.None, StereoArtefacts.All);
        var focalBaseline = stereo.Standing.Intrinsics.Fx * 50;
        var a = plain.Standing.Frames[0];
        var b = stereo.Standing.Frames[0];
        var row = (int)Math.Round(plain.Truth.Standing.Spine[(int)VertebralLevel.T10].SkinPixel.Y);
        var checkedRows = 0;
        for (var v = row - 30; v <= row + 30; v += 6)
        {
            // The body's outer edges in this row: the first and last pixels well in front of the wall.
            var wall = Depth(a, 40, v);
            var left = Enumerable.Range(20, a.Width - 40).FirstOrDefault(u => Measured(a, u, v) && Depth(a, u, v) < wall - 300);
            var right = Enumerable.Range(20, a.Width - 40).LastOrDefault(u => Measured(a, u, v) && Depth(a, u, v) < wall - 300);
            if (left == 0 || right == 0)
            {
                continue;
            }

            var near = Depth(a, left + 3, v);
            var shadow = (focalBaseline / near) - (focalBaseline / wall);
            Assert.InRange(shadow, 3, 25);

            // Left of the near edge the wall is hidden from the right imager for the disparity difference, then seen again.
            var hidden = Enumerable.Range(left - (int)Math.Floor(shadow) + 1, (int)Math.Floor(shadow) - 2).Count(u => !Measured(b, u, v));
            Assert.True(hidden >= (int)Math.Floor(shadow) - 3, $"row {v}: {hidden} of {Math.Floor(shadow) - 2} pixels in the {shadow:0.0} px shadow are empty");
            var seen = Enumerable.Range(left - (int)Math.Ceiling(shadow) - 12, 9).Count(u => Measured(b, u, v));
            Assert.True(seen >= 8, $"row {v}: only {seen} of 9 wall pixels beyond the shadow are measured");

            // The right imager sees past the right edge: no shadow there.
            var rightSide = Enumerable.Range(right + 2, 9).Count(u => Measured(b, u, v));
            Assert.True(rightSide >= 8, $"row {v}: {9 - rightSide} wall pixels right of the body are empty");
            checkedRows++;
        }

        Assert.True(checkedRows >= 8, $"only {checkedRows} rows had the body in front of the wall");
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(6.0)]
    [InlineData(12.0)]
    public void CorrelatedNoise_Field_UnitVarianceAndOneOverECorrelationAtItsLength(double length)
    {
        var noise = CorrelatedNoise.ForLength(length);
        const int width = 400;
        const int height = 300;
        var field = new float[width * height];
        noise.Fill(77, width, height, field);

        var mean = field.Average(x => (double)x);
        var variance = field.Average(x => (x - mean) * (x - mean));
        Assert.InRange(variance, 0.85, 1.15);
        var whole = (int)Math.Round(length);
        var measured = (Lagged(field, width, height, whole, 0) + Lagged(field, width, height, 0, whole)) / 2;
        Assert.InRange(measured, noise.CorrelationAt(whole) - 0.06, noise.CorrelationAt(whole) + 0.06);
        Assert.InRange(noise.CorrelationAt(length), Math.Exp(-1) - 0.05, Math.Exp(-1) + 0.05);
        Assert.InRange(Lagged(field, width, height, 4 * whole, 0), -0.08, 0.08);
    }

    [Fact]
    public void Stereo_CorrelatedNoise_RenderedFramesCarryTheDrawnCorrelation()
    {
        const double length = 6;
        using var correlated = Render(PhantomSensor.RealSenseD435, SensorEffectsDraw.None with { StereoCorrelationPx = length }, StereoArtefacts.None, frames: 2);
        using var white = Render(PhantomSensor.RealSenseD435, SensorEffectsDraw.None, StereoArtefacts.None, frames: 2);
        var expected = CorrelatedNoise.ForLength(length).CorrelationAt(length);

        // The wall above the child: the difference of two frames is the noise of both (the wall stands still).
        var measured = WallNoiseCorrelation(correlated.Standing, (int)length);
        Assert.InRange(measured, expected - 0.07, expected + 0.07);
        Assert.InRange(WallNoiseCorrelation(white.Standing, (int)length), -0.05, 0.05);
    }

    [Fact]
    public void DepthBias_SameSmoothFieldInEveryFrameOfBothCaptures()
    {
        const double amplitude = 4;
        var quiet = SensorEffectsDraw.None with { NoiseScale = 0, DepthBiasSeed = 99 };
        using var biased = Render(PhantomSensor.AzureKinectNfov, quiet with { DepthBiasMm = amplitude }, StereoArtefacts.None, frames: 3);
        using var plain = Render(PhantomSensor.AzureKinectNfov, quiet, StereoArtefacts.None, frames: 3);
        var intrinsics = biased.Standing.Intrinsics;
        var field = SensorEffectsModel.DepthBiasField(99, amplitude, intrinsics.Width, intrinsics.Height);

        Assert.Equal(amplitude, field.Max(Math.Abs), 3);
        var mean = field.Average(x => (double)x);
        Assert.True(Math.Sqrt(field.Average(x => (x - mean) * (x - mean))) > 0.2 * amplitude, "the bias is nearly flat");
        var steepest = 0.0;
        for (var v = 0; v < intrinsics.Height - 1; v++)
        {
            for (var u = 0; u < intrinsics.Width - 1; u++)
            {
                var i = (v * intrinsics.Width) + u;
                steepest = Math.Max(steepest, Math.Max(Math.Abs(field[i + 1] - field[i]), Math.Abs(field[i + intrinsics.Width] - field[i])));
            }
        }

        Assert.True(steepest < 0.2, $"the bias changes by {steepest:0.000} mm between neighbours: not low-frequency");

        // Without noise each frame is the plain one plus the field, rounded to the 1 mm depth unit (silhouette pixels mix
        // fore- and background depth, and so only part of the bias: a few in a thousand).
        foreach (var (withBias, without) in new[] { (biased.Standing, plain.Standing), (biased.ForwardBend, plain.ForwardBend) })
        {
            for (var f = 0; f < 3; f++)
            {
                var a = withBias.Frames[f];
                var b = without.Frames[f];
                var compared = 0;
                var off = 0;
                double sum = 0;
                for (var i = 0; i < field.Length; i++)
                {
                    if (a.Pixels[i] != DepthFrame.NoMeasurement && b.Pixels[i] != DepthFrame.NoMeasurement)
                    {
                        var error = a.Pixels[i] - b.Pixels[i] - field[i];
                        off += Math.Abs(error) > 1 ? 1 : 0;
                        sum += error;
                        compared++;
                    }
                }

                Assert.True(compared > field.Length / 4);
                Assert.True(off < compared / 200, $"frame {f}: {off} of {compared} pixels differ from the plain one plus the bias");
                Assert.InRange(sum / compared, -0.1, 0.1);
            }
        }
    }

    [Fact]
    public void TimeOfFlight_Rows_CarryOffsetsOfTheDrawnSd()
    {
        const double rowSd = 2;
        using var rows = Render(PhantomSensor.AzureKinectNfov, SensorEffectsDraw.None with { ToFRowNoiseMm = rowSd }, StereoArtefacts.None, frames: 2);
        using var plain = Render(PhantomSensor.AzureKinectNfov, SensorEffectsDraw.None, StereoArtefacts.None, frames: 2);

        // Per-row means of the difference of two frames on the wall: the offsets of both frames, sqrt(2) x the SD.
        Assert.InRange(RowMeanSd(rows.Standing), 0.75 * Math.Sqrt(2) * rowSd, 1.25 * Math.Sqrt(2) * rowSd);
        Assert.True(RowMeanSd(plain.Standing) < 0.3 * Math.Sqrt(2) * rowSd);
    }

    [Fact]
    public void TimeOfFlight_Multipath_OnlyAddsDepthWhereTheSurfaceIsConcave()
    {
        const double gain = 0.4;
        var quiet = SensorEffectsDraw.None with { NoiseScale = 0 };
        using var multipath = Render(PhantomSensor.AzureKinectNfov, quiet with { ToFMultipathGain = gain }, StereoArtefacts.None);
        using var plain = Render(PhantomSensor.AzureKinectNfov, quiet, StereoArtefacts.None);
        var a = multipath.Standing.Frames[0];
        var b = plain.Standing.Frames[0];
        var added = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
        {
            if (a.Pixels[i] == DepthFrame.NoMeasurement || b.Pixels[i] == DepthFrame.NoMeasurement)
            {
                continue;
            }

            var difference = a.Pixels[i] - b.Pixels[i];
            Assert.InRange(difference, -1, (gain * SensorEffectsModel.MultipathDepthCapMm) + 1);
            added += difference >= 2 ? 1 : 0;
        }

        Assert.True(added > 1000, $"multipath added 2 mm or more to only {added} pixels");

        // The skin over the spinous processes lies in the groove between the paraspinal muscles: it reads farther.
        var farther = 0;
        foreach (var point in plain.Truth.Standing.Spine[(int)VertebralLevel.T4..(int)VertebralLevel.L2])
        {
            var u = (int)Math.Round(point.SkinPixel.X);
            var v = (int)Math.Round(point.SkinPixel.Y);
            farther += Depth(a, u, v) > Depth(b, u, v) ? 1 : 0;
        }

        Assert.True(farther >= 6, $"only {farther} of 12 points in the spinous groove read farther");
    }

    // Lag correlation of a field over its whole extent.
    private static double Lagged(float[] field, int width, int height, int du, int dv)
    {
        double sum = 0, a2 = 0, b2 = 0;
        for (var v = 0; v < height - dv; v++)
        {
            for (var u = 0; u < width - du; u++)
            {
                double a = field[(v * width) + u], b = field[((v + dv) * width) + u + du];
                sum += a * b;
                a2 += a * a;
                b2 += b * b;
            }
        }

        return sum / Math.Sqrt(a2 * b2);
    }

    // Correlation at a horizontal and vertical lag of the frame-to-frame difference over the wall in the top rows.
    private static double WallNoiseCorrelation(DepthCapture capture, int lag)
    {
        var a = capture.Frames[0];
        var b = capture.Frames[1];
        var width = a.Width;
        const int rows = 90;
        var difference = new float[width * rows];
        var valid = new bool[width * rows];
        for (var v = 0; v < rows; v++)
        {
            for (var u = 0; u < width; u++)
            {
                var i = (v * width) + u;
                valid[i] = a.Pixels[i] != 0 && b.Pixels[i] != 0;
                difference[i] = valid[i] ? a.Pixels[i] - b.Pixels[i] : 0;
            }
        }

        var mean = difference.Where((_, i) => valid[i]).Average(x => (double)x);
        double sum = 0, squares = 0;
        for (var v = 0; v < rows - lag; v++)
        {
            for (var u = 20; u < width - lag; u++)
            {
                var i = (v * width) + u;
                var j = ((v + lag) * width) + u;
                if (valid[i] && valid[i + lag] && valid[j])
                {
                    sum += ((difference[i] - mean) * (difference[i + lag] - mean)) + ((difference[i] - mean) * (difference[j] - mean));
                    squares += 2 * (difference[i] - mean) * (difference[i] - mean);
                }
            }
        }

        return sum / squares;
    }

    private static double RowMeanSd(DepthCapture capture)
    {
        var a = capture.Frames[0];
        var b = capture.Frames[1];
        var means = new List<double>();
        for (var v = 0; v < 100; v++)
        {
            var ra = a.Row(v);
            var rb = b.Row(v);
            double sum = 0;
            var count = 0;
            for (var u = 0; u < a.Width; u++)
            {
                if (ra[u] != 0 && rb[u] != 0)
                {
                    sum += ra[u] - rb[u];
                    count++;
                }
            }

            if (count > a.Width / 2)
            {
                means.Add(sum / count);
            }
        }

        Assert.True(means.Count > 50, "too few wall rows");
        var mean = means.Average();
        return Math.Sqrt(means.Average(x => (x - mean) * (x - mean)));
    }
}
