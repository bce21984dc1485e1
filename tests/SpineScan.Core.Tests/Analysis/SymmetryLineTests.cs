using SpineScan.Core.Analysis;

namespace SpineScan.Core.Tests.Analysis;

public class SymmetryLineTests
{
    // A back: a broad cylinder-like trunk with a spinous-process groove, both centred on lateral(y).
    private static double Back(double x, double y, Func<double, double> lateral, double bulkShift = 0, double tiltDeg = 0)
    {
        var centre = lateral(y);
        var u = x - centre;
        var trunk = -Math.Pow(x - centre - bulkShift, 2) / 400.0;
        var groove = -6 * Math.Exp(-(u * u) / (2 * 12 * 12));
        var paraspinal = 4 * (Math.Exp(-Math.Pow(u - 35, 2) / (2 * 15 * 15)) + Math.Exp(-Math.Pow(u + 35, 2) / (2 * 15 * 15)));
        return trunk + groove + paraspinal + (Math.Tan(tiltDeg * Math.PI / 180) * u);
    }

    private static SymmetryPoint[] FindOn(Func<double, double, double> height)
    {
        using var surface = BackSurface.FromHeightField(height, -200, 800, 4, 101, 101);
        var guesses = Enumerable.Repeat(0.0, 81).ToArray();
        return SymmetryLineFinder.Find(surface, 10, 90, guesses);
    }

    [Fact]
    public void Find_StraightSymmetricBack_LineOnTheGrooveWithZeroRotation()
    {
        var points = FindOn((x, y) => Back(x, y, _ => 12));

        Assert.True(points.Length > 70);
        Assert.All(points, p => Assert.InRange(p.LateralMm, 11, 13));
        Assert.All(points, p => Assert.InRange(p.RotationDeg, -0.5, 0.5));
    }

    [Fact]
    public void Find_CurvedSpine_FollowsTheCurveWithinTwoMillimetres()
    {
        Func<double, double> lateral = y => 25 * Math.Sin((y - 800) / 400 * Math.PI);

        var points = FindOn((x, y) => Back(x, y, lateral));
        Assert.All(points, p => Assert.InRange(p.LateralMm - lateral(p.HeightMm), -2, 2));
    }

    [Fact]
    public void Find_AsymmetricBulk_IgnoresTheBulkShift()
    {
        // A rib hump shifts the trunk's bulk 30 mm to the right; the groove stays at 0.
        var points = FindOn((x, y) => Back(x, y, _ => 0, bulkShift: 30));

        Assert.All(points, p => Assert.InRange(p.LateralMm, -3, 3));
    }

    [Fact]
    public void Find_RotatedSurface_ReportsRotationAngle()
    {
        // The right side 8 degrees nearer the camera: the normal turns toward the left (negative).
        var points = FindOn((x, y) => Back(x, y, _ => 0, tiltDeg: 8));

        var median = points.Select(p => p.RotationDeg).Order().ElementAt(points.Length / 2);
        Assert.InRange(median, -9, -7);
    }
}
