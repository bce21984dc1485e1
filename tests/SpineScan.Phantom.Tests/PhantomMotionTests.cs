using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Phantom;

namespace SpineScan.Phantom.Tests;

/// <summary>Breathing, sway and the movement scenarios, measured on noise-free-depth renders (time of flight with noise scale 0).</summary>
public class PhantomMotionTests
{
    private const int Seed = 5150;

    // A quarter period after the first frame: frame 9 at 30 fps is 0.3 s, a quarter of a 1.2 s period.
    private const double PeriodS = 1.2;

    private static PhantomChild Render(MotionDraw motion, PhantomMovement movement = PhantomMovement.None, int frames = 10) =>
        PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = Seed,
            World = PhantomWorld.InRange,
            Sensor = PhantomSensor.AzureKinectNfov,
            CameraDistanceMm = 1200,
            CameraPitchDeg = 0,
            CameraRollDeg = 0,
            FrameCount = frames,
            SensorEffects = SensorEffectsDraw.None with { NoiseScale = 0 },
            Motion = motion,
            Movement = movement,
        });

    // Depth change (mm) from the first to the last frame at a pixel, over a 5 x 5 patch's median.
    private static double Change(DepthCapture capture, Vector2d pixel)
    {
        var first = capture.Frames[0];
        var last = capture.Frames[^1];
        var changes = new List<double>();
        for (var dv = -2; dv <= 2; dv++)
        {
            for (var du = -2; du <= 2; du++)
            {
                var u = (int)Math.Round(pixel.X) + du;
                var v = (int)Math.Round(pixel.Y) + dv;
                var a = first.Row(v)[u];
                var b = last.Row(v)[u];
                if (a != 0 && b != 0)
                {
                    changes.Add((b - a) * first.DepthScaleMm);
                }
            }
        }

        changes.Sort();
        return changes[changes.Count / 2];
    }

    private static Vector2d Pixel(PhantomChild child, Vector3d body)
    {
        var camera = child.Truth.Standing.Camera;
        var v = body - camera.PositionBodyMm;
        var inCamera = new Vector3d(Vector3d.Dot(v, camera.RightAxis), Vector3d.Dot(v, camera.DownAxis), Vector3d.Dot(v, camera.ForwardAxis));
        return child.Standing.Intrinsics.Project(inCamera);
    }

    [Fact]
    public void Breathing_MovesMidThoraxMostLumbarLessLegsNot()
    {
        const double amplitude = 5;
        using var child = Render(new MotionDraw(amplitude, PeriodS, 0, 0, 2, 0, 0));
        var spine = child.Truth.Standing.Spine;
        var thorax = Change(child.Standing, spine[(int)VertebralLevel.T7].SkinPixel);
        var lumbar = Change(child.Standing, spine[(int)VertebralLevel.L3].SkinPixel);
        var h = child.Truth.Parameters.HeightMm;
        var thigh = Change(child.Standing, Pixel(child, new Vector3d(0.05 * h, 0.33 * h, 0)));

        // Breathing in moves the back toward the camera (posterior): the depth falls by about the amplitude at mid-thorax.
        Assert.InRange(thorax, -amplitude - 1, -amplitude + 1.5);
        Assert.InRange(lumbar, -amplitude + 1, -0.8);
        Assert.True(lumbar > thorax + 1.5, $"lumbar {lumbar:0.0} mm, thorax {thorax:0.0} mm");
        Assert.InRange(thigh, -0.6, 0.6);
    }

    [Fact]
    public void Sway_TurnsTheBodyAboutTheAnkles()
    {
        const double amplitude = 4;
        using var child = Render(new MotionDraw(0, 4, 0, amplitude, PeriodS, 0, 90));
        var h = child.Truth.Parameters.HeightMm;
        var back = child.Truth.Standing.Camera.AimPointBodyMm;
        var atBack = Change(child.Standing, new Vector2d(child.Standing.Intrinsics.Cx, child.Standing.Intrinsics.Cy));
        var thigh = Change(child.Standing, Pixel(child, new Vector3d(0.05 * h, 0.33 * h, 0)));

        // Front to back (90 deg): the drawn amplitude at mid-back height, in proportion to height below it.
        Assert.InRange(atBack, -amplitude * back.Y / (0.69 * h) - 1, -amplitude * back.Y / (0.69 * h) + 1);
        Assert.InRange(thigh / atBack, 0.2, 0.75);
    }

    [Fact]
    public void Step_MovesTheBodyByTheDrawnSize()
    {
        using var child = Render(MotionDraw.None with { SwayMm = 0 }, PhantomMovement.Step);
        var step = child.Truth.Parameters.Movement;
        Assert.Equal(PhantomMovement.Step, step.Kind);
        Assert.InRange(Math.Abs(step.Size), 80, 150);
        var change = Change(child.Standing, child.Truth.Standing.Spine[(int)VertebralLevel.T10].SkinPixel);

        // A step toward the camera (positive) brings the back nearer by its size.
        Assert.InRange(change, -step.Size - 5, -step.Size + 5);
    }

    [Fact]
    public void RaisedArm_ArmLeavesWhereItHung()
    {
        using var still = Render(MotionDraw.None with { SwayMm = 0 });
        using var raised = Render(MotionDraw.None with { SwayMm = 0 }, PhantomMovement.RaisedArm);
        var arm = raised.Truth.Parameters.Movement;
        Assert.InRange(arm.Size, 60, 90);

        // Seen from behind, the child's right is the image's right.
        var (left, right) = Vacated(raised.Standing);
        Assert.True(arm.RightArm ? right > 2000 && left < 200 : left > 2000 && right < 200, $"left {left}, right {right} pixels vacated");
        var (stillLeft, stillRight) = Vacated(still.Standing);
        Assert.True(stillLeft + stillRight < 600, $"{stillLeft + stillRight} pixels vacated without a movement");
    }

    // Pixels that show something well in front of the wall in the first frame and the wall in the last, left and right.
    private static (int Left, int Right) Vacated(DepthCapture capture)
    {
        var first = capture.Frames[0];
        var last = capture.Frames[^1];
        int left = 0, right = 0;
        for (var i = 0; i < first.Pixels.Length; i++)
        {
            if (first.Pixels[i] != 0 && last.Pixels[i] != 0 && last.Pixels[i] - first.Pixels[i] > 300)
            {
                if (i % first.Width < first.Width / 2)
                {
                    left++;
                }
                else
                {
                    right++;
                }
            }
        }

        return (left, right);
    }

    [Fact]
    public void Problems_ImpossibleMotionOrEffects_NamedBeforeRendering()
    {
        var options = new PhantomOptions
        {
            Seed = 1,
            Motion = MotionDraw.None with { BreathingMm = -1 },
            SensorEffects = SensorEffectsDraw.None with { StereoCorrelationPx = double.NaN },
            Movement = (PhantomMovement)17,
        };

        var problems = options.Problems();

        Assert.Contains(problems, p => p.Contains("breathing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("camera effects", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("movement", StringComparison.Ordinal));
        var error = Assert.Throws<ArgumentException>(() => PhantomGenerator.Generate(options));
        Assert.Contains("breathing amplitude must be 0..30 mm", error.Message, StringComparison.Ordinal);
    }
}
