using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Analysis;

public class BackSurfaceTests
{
    private static (BackSurface Surface, SceneSegmentation Scene, DepthFrame Depth) Build(SyntheticScene.Ellipsoid body)
    {
        var depth = SyntheticScene.Render(2600, 900, body);
        var scene = SceneSegmenter.Segment(depth, SyntheticScene.Camera);
        var frame = BodyFrame.FromFloor(scene.Floor);
        var surface = BackSurface.Build(depth, SyntheticScene.Camera, scene, scene.People[0].Label, frame, SurfaceView.Standing);
        return (surface, scene, depth);
    }

    private static (int Column, int Row) CellNearest(BackSurface surface, double a, double b) =>
        ((int)Math.Round((a - surface.OriginA) / surface.SpacingMm), (int)Math.Round((b - surface.OriginB) / surface.SpacingMm));

    [Fact]
    public void Build_Sphere_MeanAndGaussianCurvatureMatchRadius()
    {
        // A 250 mm sphere 1.2 m in front of a camera 900 mm above the floor; its centre is 900 mm above the floor.
        var (surface, scene, depth) = Build(new SyntheticScene.Ellipsoid(new Vector3d(0, 0, 1200), new Vector3d(250, 250, 250)));
        using var s = surface;
        using var sc = scene;
        using var d = depth;

        var (column, row) = CellNearest(surface, 0, 900);
        double meanH = 0, meanK = 0;
        var n = 0;
        for (var r = row - 5; r <= row + 5; r++)
        {
            for (var c = column - 5; c <= column + 5; c++)
            {
                meanH += surface.MeanCurvatureAt(c, r);
                meanK += surface.GaussianCurvatureAt(c, r);
                n++;
            }
        }

        meanH /= n;
        meanK /= n;

        // Convex toward the camera: H = -1/R; K = 1/R².
        Assert.InRange(meanH, -1.15 / 250, -0.85 / 250);
        Assert.InRange(meanK, 0.7 / (250.0 * 250), 1.3 / (250.0 * 250));
        var (k1, k2) = surface.PrincipalCurvaturesAt(column, row);
        Assert.True(k1 >= k2);
    }

    [Fact]
    public void Build_UprightEllipsoid_HeightAxisPointsToCamera()
    {
        var (surface, scene, depth) = Build(new SyntheticScene.Ellipsoid(new Vector3d(0, 0, 1300), new Vector3d(200, 600, 120)));
        using var s = surface;
        using var sc = scene;
        using var d = depth;

        var (centreColumn, row) = CellNearest(surface, 0, 900);
        var (sideColumn, _) = CellNearest(surface, 120, 900);

        // The ellipsoid's nearest point (the "spine") is 120 mm nearer than its centre: highest in posterior height.
        Assert.True(surface.HeightAt(centreColumn, row) > surface.HeightAt(sideColumn, row) + 20);
        Assert.InRange(surface.HeightAt(centreColumn, row), -1300 + 120 - 3, -1300 + 120 + 3);
        var normal = surface.NormalAt(centreColumn, row);
        Assert.InRange(normal.Z, 0.99, 1.0);
        Assert.InRange(surface.ValidCells, 5000, 40000);
    }

    [Fact]
    public void Build_FarBackSeenByWideFieldCamera_LeavesNoHolesInsideTheBack()
    {
        // A wide-field 320x240 camera (fx 160 px): at 2.2 m one pixel covers about 14 mm, three and a half 4 mm cells.
        // Binning pixel centres alone leaves a lattice of empty cells that the pinhole fill cannot close.
        var camera = new CameraIntrinsics(320, 240, 160.0, 160.0, 160.0, 120.0, DistortionModel.None);
        var depth = SyntheticScene.Render(camera, 4000, 900, new SyntheticScene.Ellipsoid(new Vector3d(0, 0, 2200), new Vector3d(200, 450, 120)));
        using var d = depth;
        using var scene = SceneSegmenter.Segment(depth, camera);
        var frame = BodyFrame.FromFloor(scene.Floor);
        using var surface = BackSurface.Build(depth, camera, scene, scene.People[0].Label, frame, SurfaceView.Standing);

        // Every cell of the central 240 x 500 mm of the back (well inside its 400 x 900 mm outline) holds a height, and
        // the height is the ellipsoid's.
        var (c0, r0) = CellNearest(surface, -120, 650);
        var (c1, r1) = CellNearest(surface, 120, 1150);
        var empty = 0;
        var worst = 0.0;
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                if (!surface.IsValid(c, r))
                {
                    empty++;
                    continue;
                }

                var x = surface.A(c) / 200;
                var y = (surface.B(r) - 900) / 450;
                var expected = -2200 + (120 * Math.Sqrt(Math.Max(0, 1 - (x * x) - (y * y))));
                worst = Math.Max(worst, Math.Abs(surface.HeightAt(c, r) - expected));
            }
        }

        Assert.Equal(0, empty);
        Assert.True(worst < 12, $"height off the ellipsoid by up to {worst:F1} mm");
    }

    [Fact]
    public void FromFloor_LevelCamera_AxesAreCameraAxes()
    {
        var frame = BodyFrame.FromFloor(new Plane(new Vector3d(0, -1, 0), -900));

        Assert.Equal(1.0, frame.Right.X, 9);
        Assert.Equal(-1.0, frame.Posterior.Z, 9);
        Assert.Equal(0.0, frame.CameraPitchDeg, 9);
        Assert.Equal(900.0, frame.ToBody(Vector3d.Zero).Y, 9);
    }

    [Fact]
    public void FromFloor_CameraPitchedDownFiveDegrees_ReportsPitch()
    {
        var a = 5 * Math.PI / 180;
        var frame = BodyFrame.FromFloor(new Plane(new Vector3d(0, -Math.Cos(a), -Math.Sin(a)), -1000));

        Assert.Equal(5.0, frame.CameraPitchDeg, 6);
        Assert.Equal(0.0, frame.CameraRollDeg, 6);
    }
}
