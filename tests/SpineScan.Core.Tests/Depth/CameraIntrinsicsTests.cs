using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Depth;

public class CameraIntrinsicsTests
{
    private static readonly CameraIntrinsics Distorted = CameraIntrinsics.RealSenseD435 with
    {
        K1 = -0.055, K2 = 0.065, P1 = 0.0012, P2 = -0.0008, K3 = -0.021,
    };

    [Theory]
    [InlineData(0.0, 0.0, 900.0)]
    [InlineData(847.0, 479.0, 1600.0)]
    [InlineData(424.3, 240.7, 1200.0)]
    [InlineData(12.5, 400.25, 1000.0)]
    public void Deproject_ThenProject_ReturnsSamePixelWithinHundredthPixel(double u, double v, double depthMm)
    {
        var point = Distorted.Deproject(u, v, depthMm);
        var pixel = Distorted.Project(point);

        Assert.Equal(depthMm, point.Z, 9);
        Assert.InRange(Math.Abs(pixel.X - u), 0, 0.01);
        Assert.InRange(Math.Abs(pixel.Y - v), 0, 0.01);
    }

    [Fact]
    public void Deproject_ThenProject_WholeImageGrid_StaysWithinHundredthPixel()
    {
        var worst = 0.0;
        for (var v = 0; v < Distorted.Height; v += 7)
        {
            for (var u = 0; u < Distorted.Width; u += 7)
            {
                var pixel = Distorted.Project(Distorted.Deproject(u, v, 1234.0));
                worst = Math.Max(worst, Math.Max(Math.Abs(pixel.X - u), Math.Abs(pixel.Y - v)));
            }
        }

        Assert.InRange(worst, 0, 0.01);
    }

    [Fact]
    public void Project_PrincipalRay_LandsOnPrincipalPoint()
    {
        var pixel = Distorted.Project(new Vector3d(0, 0, 1000));

        Assert.Equal(Distorted.Cx, pixel.X, 9);
        Assert.Equal(Distorted.Cy, pixel.Y, 9);
    }

    [Fact]
    public void Deproject_PinholePixel_MatchesSimilarTriangles()
    {
        var pinhole = CameraIntrinsics.RealSenseD435;

        var point = pinhole.Deproject(424.0 + 42.5, 240.0 - 85.0, 1000.0);

        Assert.Equal(100.0, point.X, 9); // 42.5 px / 425 px x 1000 mm
        Assert.Equal(-200.0, point.Y, 9);
    }

    [Fact]
    public void Problems_RealCamera_IsEmpty()
    {
        Assert.Empty(Distorted.Problems());
        Assert.Empty(CameraIntrinsics.AzureKinectNfov.Problems());
    }

    [Fact]
    public void Problems_ImpossibleValues_NamesEachOne()
    {
        var broken = CameraIntrinsics.RealSenseD435 with { Fx = double.NaN, Fy = -3, Cx = 2000, K2 = double.PositiveInfinity };

        var problems = broken.Problems();

        Assert.Contains(problems, p => p.StartsWith("fx", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("fy", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cx", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("k2", StringComparison.Ordinal));
    }
}
