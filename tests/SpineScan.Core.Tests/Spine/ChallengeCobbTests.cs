using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Core.Tests.Spine;

public class ChallengeCobbTests
{
    // Builds 17 vertebrae 40 px tall, 60 px wide, each tilted by the given angle (degrees, clockwise on the image).
    private static VertebraCorners[] Spine(Func<int, double> tiltDeg, Func<int, double>? centreX = null)
    {
        var vertebrae = new VertebraCorners[17];
        for (var i = 0; i < 17; i++)
        {
            var t = tiltDeg(i) * Math.PI / 180;
            var c = new Vector2d(centreX?.Invoke(i) ?? 500, 200 + (i * 50));
            var across = new Vector2d(Math.Cos(t), Math.Sin(t)) * 30;
            var down = new Vector2d(-Math.Sin(t), Math.Cos(t)) * 20;
            vertebrae[i] = new VertebraCorners(c - across - down, c + across - down, c - across + down, c + across + down);
        }

        return vertebrae;
    }

    [Fact]
    public void Compute_TwoOppositeTiltsInSingleCurve_ReturnsTheirDifference()
    {
        // A C curve: tilts run from +12 at the top to -18 at the bottom, the apex in the middle.
        var spine = Spine(i => 12 - (30.0 * i / 16), i => 500 + (3 * i) - (40 * Math.Sin(Math.PI * i / 16)));

        var result = ChallengeCobb.Compute(spine, 1200);

        Assert.Equal(30.0, result.LargestDeg, 6);
        Assert.False(result.IsSShaped);
        Assert.Equal(0, result.MainUpper);
        Assert.Equal(16, result.MainLower);
    }

    [Fact]
    public void Compute_SCurve_FindsMainAndMinorCurves()
    {
        // Tilts: 0 at T1, +20 at index 5, -15 at index 12, 0 at L5: an S with 35 degrees main and 20 / 15 minor.
        double[] knots = [0, 4, 8, 12, 16, 20, 13, 6, -1, -6, -10, -13, -15, -11, -7, -3, 0];
        var spine = Spine(i => knots[i], i => 500 + (30 * Math.Sin(2 * Math.PI * i / 16)));

        var result = ChallengeCobb.Compute(spine, 2000);

        Assert.True(result.IsSShaped);
        Assert.Equal(35.0, result.LargestDeg, 6);
        Assert.Equal(5, result.MainUpper);
        Assert.Equal(12, result.MainLower);
    }

    [Fact]
    public void Compute_StraightSpine_ReturnsZero()
    {
        var result = ChallengeCobb.Compute(Spine(_ => 0), 1200);

        Assert.Equal(0.0, result.LargestDeg, 9);
    }

    [Fact]
    public void IsSShaped_VerticalChord_FollowsReferenceDivisionByZero()
    {
        // First and last endplate exactly above each other: the reference divides by zero and reports S.
        var spine = Spine(_ => 0);

        Assert.True(ChallengeCobb.IsSShaped(spine));
    }
}
