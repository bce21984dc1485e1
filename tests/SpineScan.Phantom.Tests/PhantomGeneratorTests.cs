using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Phantom;
using Xunit.Abstractions;

namespace SpineScan.Phantom.Tests;

public class PhantomGeneratorTests(ITestOutputHelper output)
{
    private static readonly PhantomOptions Straight = new()
    {
        Seed = 7,
        Symmetric = true,
        NoiseFree = true,
        FrameCount = 1,
        Sensor = PhantomSensor.RealSenseD435,
        CameraPitchDeg = 0,
        CameraRollDeg = 0,
        CameraDistanceMm = 1200,
    };

    // The phantom renders the burst the device takes with the child's camera, so that benches and tests fuse what a
    // screening fuses: 30 frames on active stereo, 10 on time of flight.
    [Theory]
    [InlineData(PhantomSensor.RealSenseD435, 30)]
    [InlineData(PhantomSensor.AzureKinectNfov, 10)]
    public void Generate_NoFrameCount_RendersTheDevicesBurstForTheCamera(PhantomSensor sensor, int frames)
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 5, Sensor = sensor });

        Assert.Equal(frames, child.Standing.Frames.Count);
        Assert.Equal(frames, child.ForwardBend.Frames.Count);
    }

    [Fact]
    public void Generate_SameSeed_IdenticalFramesAndTruth()
    {
        var options = new PhantomOptions { Seed = 42, FrameCount = 2 };
        using var a = PhantomGenerator.Generate(options);
        using var b = PhantomGenerator.Generate(options);

        for (var f = 0; f < 2; f++)
        {
            Assert.True(a.Standing.Frames[f].Pixels.SequenceEqual(b.Standing.Frames[f].Pixels));
            Assert.True(a.ForwardBend.Frames[f].Pixels.SequenceEqual(b.ForwardBend.Frames[f].Pixels));
        }

        Assert.Equal(a.Truth.CobbDeg, b.Truth.CobbDeg);
        Assert.Equal(a.Truth.AtrDeg, b.Truth.AtrDeg);
        Assert.Equal(a.Truth.Parameters with { Curves = [] }, b.Truth.Parameters with { Curves = [] });
        Assert.Equal(a.Truth.Parameters.Curves, b.Truth.Parameters.Curves);
        Assert.Equal(a.Truth.Standing.Landmarks, b.Truth.Standing.Landmarks);
        Assert.Equal(a.Truth.ForwardBend.Spine, b.Truth.ForwardBend.Spine);
    }

    [Fact]
    public void Generate_FramesOfOneCapture_DifferInNoiseOnly()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 3, FrameCount = 2 });

        var first = child.Standing.Frames[0];
        var second = child.Standing.Frames[1];
        Assert.False(first.Pixels.SequenceEqual(second.Pixels));
        Assert.Equal(33.3, second.TimestampMs - first.TimestampMs, 1);
    }

    [Fact]
    public void Generate_StraightSymmetricChild_CobbUnderOneDegreeAndMirrorSymmetricBack()
    {
        using var child = PhantomGenerator.Generate(Straight);

        Assert.True(child.Truth.CobbDeg[0] < 1, $"Cobb {child.Truth.CobbDeg[0]}");
        Assert.True(child.Truth.AtrDeg < 0.5, $"ATR {child.Truth.AtrDeg}");

        // Mirror about the principal point (cx = 424 for the D435): pixel u pairs with 848 - u.
        var frame = child.Standing.Frames[0];
        var landmarks = child.Truth.Standing.Landmarks.ToDictionary(l => l.Name);
        var top = (int)landmarks["c7"].Pixel.Y + 15;
        var bottom = (int)landmarks["lumbarDimpleLeft"].Pixel.Y;
        var differences = new List<double>();
        for (var v = top; v <= bottom; v++)
        {
            for (var u = 424 - 90; u < 424; u++)
            {
                var left = frame.DepthMmAt(u, v);
                var right = frame.DepthMmAt(848 - u, v);
                if (left > 0 && right > 0 && left < 1500 && right < 1500)
                {
                    differences.Add(Math.Abs(left - right));
                }
            }
        }

        Assert.True(differences.Count > 5000, $"only {differences.Count} back pixels");
        Assert.True(differences.Max() <= 1.0, $"max mirror difference {differences.Max()} mm");
        Assert.True(differences.Average() < 0.3, $"mean mirror difference {differences.Average()} mm");
    }

    [Theory]
    [InlineData(VertebralLevel.T8, 9.0)]
    [InlineData(VertebralLevel.L1, 12.0)] // lumbar curves end near L5, whose fitted tilt scatter is about 7.6 degrees SD
    public void Generate_ForcedThirtyDegreeCurve_TruthCobbNearThirty(VertebralLevel apex, double tolerance)
    {
        var errors = new List<double>();
        for (var seed = 1; seed <= 8; seed++)
        {
            var truth = PhantomGenerator.Generate(new PhantomOptions
            {
                Seed = seed,
                FrameCount = 0,
                Curve = new CurveOverride(CurveType.C, 30, apex),
            }).Truth;
            errors.Add(truth.CobbDeg[0] - 30);
            Assert.True(Math.Abs(truth.CobbDeg[0] - 30) < tolerance, $"seed {seed}: Cobb {truth.CobbDeg[0]:0.0}");
        }

        output.WriteLine(string.Join(" ", errors.Select(e => e.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(Math.Abs(errors.Average()) < 5, $"mean error {errors.Average():0.0} degrees");
    }

    [Fact]
    public void Generate_PerpendicularVertebrae_TruthCobbEqualsTarget()
    {
        var truth = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 11,
            FrameCount = 0,
            PerpendicularVertebrae = true,
            Curve = new CurveOverride(CurveType.C, 30, VertebralLevel.T8),
        }).Truth;

        Assert.Equal(30, truth.CobbDeg[0], 0.5);
    }

    [Theory]
    [InlineData(true, "right")]
    [InlineData(false, "left")]
    public void Generate_ThoracicCurve_RibHumpOnConvexSide(bool convexRight, string side)
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 5,
            FrameCount = 1,
            NoiseFree = true,
            Curve = new CurveOverride(CurveType.C, 30, VertebralLevel.T8, convexRight),
            CameraRollDeg = 0,
            CameraPitchDeg = 0,
        });

        Assert.Equal(side, child.Truth.AtrSide);
        Assert.True(child.Truth.AtrDeg > 4, $"ATR {child.Truth.AtrDeg}");

        // Standing: vertebral bodies rotate toward the convexity, spinous processes toward the concavity,
        // and the back surface on the convex side is nearer the camera.
        var apex = child.Truth.Standing.Spine[(int)VertebralLevel.T8];
        var sign = convexRight ? 1 : -1;
        Assert.True(sign * child.Truth.Vertebrae[(int)VertebralLevel.T8].AxialRotationDeg > 5);
        Assert.True(sign * (apex.SpinousTipBodyMm.X - apex.BodyCentreBodyMm.X) < -3);
        var frame = child.Standing.Frames[0];
        var offset = (int)Math.Round(60 * CameraIntrinsics.RealSenseD435.Fx / apex.SkinCameraMm.Z);
        var u = (int)Math.Round(apex.SkinPixel.X);
        var v = (int)Math.Round(apex.SkinPixel.Y);
        var convexDepth = frame.DepthMmAt(u + (sign * offset), v);
        var concaveDepth = frame.DepthMmAt(u - (sign * offset), v);
        Assert.True(concaveDepth - convexDepth > 3, $"convex {convexDepth} mm, concave {concaveDepth} mm");
    }

    [Fact]
    public void Generate_SurfaceLine_DeviatesLessThanVertebralBodies()
    {
        var truth = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 9,
            FrameCount = 0,
            Curve = new CurveOverride(CurveType.C, 40, VertebralLevel.T8, true),
        }).Truth;

        var apex = truth.Standing.Spine[(int)VertebralLevel.T8];
        var sacrum = truth.Standing.Spine[(int)VertebralLevel.S1];
        var bodyDeviation = apex.BodyCentreBodyMm.X - sacrum.BodyCentreBodyMm.X;
        var skinDeviation = apex.SkinBodyMm.X - sacrum.SkinBodyMm.X;
        Assert.True(bodyDeviation > 10, $"body deviation {bodyDeviation}");
        Assert.True(skinDeviation > 0 && skinDeviation < bodyDeviation - 3, $"skin {skinDeviation} vs body {bodyDeviation}");
    }

    [Fact]
    public void Generate_IncreasingThoracicCobb_AtrGrows()
    {
        var atr = new List<double>();
        foreach (var cobb in new[] { 0.0, 10, 20, 40, 60 })
        {
            atr.Add(PhantomGenerator.Generate(new PhantomOptions
            {
                Seed = 21,
                FrameCount = 0,
                Curve = new CurveOverride(CurveType.C, cobb, VertebralLevel.T8, true),
            }).Truth.AtrDeg);
        }

        output.WriteLine(string.Join(" ", atr.Select(a => a.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
        for (var i = 1; i < atr.Count; i++)
        {
            Assert.True(atr[i] > atr[i - 1], $"ATR {atr[i - 1]:0.0} then {atr[i]:0.0}");
        }
    }

    [Fact]
    public void Generate_TwentyDegreeCurves_AtrClinicallyPlausible()
    {
        // Clinical rule of thumb: thoracic Cobb 20 ~ ATR 7 (wide scatter); lumbar curves show less.
        var thoracic = new List<double>();
        var lumbar = new List<double>();
        for (var seed = 1; seed <= 20; seed++)
        {
            thoracic.Add(PhantomGenerator.Generate(new PhantomOptions { Seed = seed, FrameCount = 0, Curve = new CurveOverride(CurveType.C, 20, VertebralLevel.T8) }).Truth.AtrDeg);
            lumbar.Add(PhantomGenerator.Generate(new PhantomOptions { Seed = seed, FrameCount = 0, Curve = new CurveOverride(CurveType.C, 20, VertebralLevel.L2) }).Truth.AtrDeg);
        }

        output.WriteLine(FormattableString.Invariant($"thoracic mean {thoracic.Average():0.0}, lumbar mean {lumbar.Average():0.0}"));
        Assert.InRange(thoracic.Average(), 5.0, 9.0);
        Assert.True(lumbar.Average() < thoracic.Average() - 1);
    }

    [Fact]
    public void Generate_BackCentre_DepthMatchesCameraDistance()
    {
        using var child = PhantomGenerator.Generate(Straight);

        var aim = child.Truth.Standing.Camera;
        var inCamera = new PhantomCameraPose(aim.PositionBodyMm, aim.RightAxis, aim.DownAxis, aim.ForwardAxis).ToCamera(aim.AimPointBodyMm);
        Assert.Equal(1200, inCamera.Z, 0.5);
        var pixel = CameraIntrinsics.RealSenseD435.Project(inCamera);
        var depth = child.Standing.Frames[0].DepthMmAt((int)Math.Round(pixel.X), (int)Math.Round(pixel.Y));
        Assert.Equal(1200, depth, 2.0);
    }

    [Fact]
    public void Generate_FartherCamera_MoreDepthNoise()
    {
        var near = TemporalNoiseMm(900);
        var far = TemporalNoiseMm(1600);

        output.WriteLine(FormattableString.Invariant($"temporal SD at 0.9 m {near:0.00} mm, at 1.6 m {far:0.00} mm"));
        Assert.True(far > 2 * near, $"0.9 m: {near:0.00} mm, 1.6 m: {far:0.00} mm");
        Assert.InRange(near, 0.8, 2.0);
    }

    [Fact]
    public void Generate_Landmarks_ProjectOntoTheBack()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 17, FrameCount = 1, NoiseFree = true });

        var standing = child.Standing.Frames[0];
        foreach (var landmark in child.Truth.Standing.Landmarks)
        {
            var u = (int)Math.Round(landmark.Pixel.X);
            var v = (int)Math.Round(landmark.Pixel.Y);
            Assert.InRange(u, 0, standing.Width - 1);
            Assert.InRange(v, 0, standing.Height - 1);
            var tolerance = landmark.Name.StartsWith("waist", StringComparison.Ordinal) || landmark.Name.StartsWith("acromion", StringComparison.Ordinal) ? 25 : 5;
            Assert.True(Math.Abs(standing.DepthMmAt(u, v) - landmark.CameraMm.Z) < tolerance, $"{landmark.Name}: depth {standing.DepthMmAt(u, v)} vs {landmark.CameraMm.Z:0}");
        }

        var bend = child.ForwardBend.Frames[0];
        foreach (var landmark in child.Truth.ForwardBend.Landmarks)
        {
            Assert.InRange(landmark.Pixel.X, 0, bend.Width - 1);
            Assert.InRange(landmark.Pixel.Y, 0, bend.Height - 1);
        }

        foreach (var level in new[] { VertebralLevel.T4, VertebralLevel.T8, VertebralLevel.T12, VertebralLevel.L3 })
        {
            var skin = child.Truth.ForwardBend.Spine[(int)level];
            var depth = bend.DepthMmAt((int)Math.Round(skin.SkinPixel.X), (int)Math.Round(skin.SkinPixel.Y));
            Assert.True(Math.Abs(depth - skin.SkinCameraMm.Z) < 5, $"{level}: bent back seen at {depth} mm, skin at {skin.SkinCameraMm.Z:0} mm");
        }
    }

    [Fact]
    public void Rerender_SameChild_SameAnatomyNewFrames()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 31, FrameCount = 1 });
        using var again = child.Rerender(noiseSeed: 1234, stanceJitter: 1);

        Assert.Equal(child.Truth.CobbDeg, again.Truth.CobbDeg);
        Assert.Equal(child.Truth.AtrDeg, again.Truth.AtrDeg, 1.0); // the bend depth changes a little, the rib hump does not
        Assert.Equal(child.Truth.Parameters.HeightMm, again.Truth.Parameters.HeightMm);
        Assert.NotEqual(child.Truth.Parameters.Camera.DistanceMm, again.Truth.Parameters.Camera.DistanceMm);
        Assert.InRange(again.Truth.Parameters.Camera.DistanceMm - child.Truth.Parameters.Camera.DistanceMm, -60, 60);
        Assert.False(child.Standing.Frames[0].Pixels.SequenceEqual(again.Standing.Frames[0].Pixels));
    }

    [Fact]
    public void Generate_EmptyScene_NothingNearTheCamera()
    {
        using var child = PhantomGenerator.Generate(Straight with { Scene = PhantomScene.Empty });

        var frame = child.Standing.Frames[0];
        var near = 0;
        for (var v = 0; v < frame.Height; v++)
        {
            foreach (var value in frame.Row(v))
            {
                if (value != DepthFrame.NoMeasurement && value < 1600)
                {
                    near++;
                }
            }
        }

        Assert.Equal(0, near);
    }

    private static double TemporalNoiseMm(double distance)
    {
        using var child = PhantomGenerator.Generate(Straight with { NoiseFree = false, FrameCount = 6, CameraDistanceMm = distance });
        var frames = child.Standing.Frames;
        var pixel = CameraIntrinsics.RealSenseD435.Project(
            new PhantomCameraPose(child.Truth.Standing.Camera.PositionBodyMm, child.Truth.Standing.Camera.RightAxis, child.Truth.Standing.Camera.DownAxis, child.Truth.Standing.Camera.ForwardAxis)
                .ToCamera(child.Truth.Standing.Camera.AimPointBodyMm));
        var sumVariance = 0.0;
        var count = 0;
        for (var v = (int)pixel.Y - 10; v <= (int)pixel.Y + 10; v++)
        {
            for (var u = (int)pixel.X - 10; u <= (int)pixel.X + 10; u++)
            {
                var values = new List<double>();
                foreach (var frame in frames)
                {
                    var d = frame.DepthMmAt(u, v);
                    if (d > 0)
                    {
                        values.Add(d);
                    }
                }

                if (values.Count >= 4)
                {
                    var mean = values.Average();
                    sumVariance += values.Sum(x => (x - mean) * (x - mean)) / (values.Count - 1);
                    count++;
                }
            }
        }

        return Math.Sqrt(sumVariance / count);
    }
}
