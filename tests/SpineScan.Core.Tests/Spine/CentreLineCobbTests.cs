using SpineScan.Contracts;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Phantom;

namespace SpineScan.Core.Tests.Spine;

public class CentreLineCobbTests
{
    private const double LevelSpacingMm = 25;

    // 17 centres 25 mm apart along y with the given lateral offsets (mm).
    private static Vector2d[] Line(Func<int, double> x, int count = 17) =>
        [.. Enumerable.Range(0, count).Select(i => new Vector2d(x(i), 100 + (i * LevelSpacingMm)))];

    // Centres on a circular arc that turns by totalDeg from the first to the last level, bulging to +x.
    private static Vector2d[] Arc(double totalDeg, int count = 17)
    {
        var length = (count - 1) * LevelSpacingMm;
        var phi = totalDeg * Math.PI / 180;
        var radius = length / phi;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var a = (-phi / 2) + (phi * i / (count - 1));
            return new Vector2d(200 + (radius * Math.Cos(a)), 300 + (radius * Math.Sin(a)));
        })];
    }

    [Fact]
    public void Estimate_StraightSpine_ReturnsUnderOneDegree()
    {
        var result = CentreLineCobb.Estimate(Line(_ => 0));

        Assert.True(result.Largest.AngleDeg < 1.0, $"got {result.Largest.AngleDeg} deg");
        Assert.Equal(CurvePattern.C, result.Pattern);
    }

    [Fact]
    public void Estimate_TiltedStraightSpine_ReturnsUnderOneDegree()
    {
        // A straight but leaning line (trunk shift) has no curve.
        var result = CentreLineCobb.Estimate(Line(i => 3.0 * i));

        Assert.True(result.Largest.AngleDeg < 1.0, $"got {result.Largest.AngleDeg} deg");
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(40.0)]
    public void Estimate_CircularArcGeometric_ReturnsArcAngleWithinOneDegree(double arcDeg)
    {
        var result = CentreLineCobb.Estimate(Arc(arcDeg), VertebralLevel.T1, CentreLineCobbOptions.Geometric);

        Assert.Single(result.Curves);
        Assert.Equal(arcDeg, result.Largest.TangentDifferenceDeg, 1.0);
        Assert.Equal(arcDeg, result.Largest.AngleDeg, 1.0);
        Assert.Equal(0, result.Largest.UpperEnd);
        Assert.Equal(16, result.Largest.LowerEnd);
        Assert.Equal(8, result.Largest.Apex);
        Assert.Equal(VertebralLevel.T9, result.Largest.ApexLevel);
        Assert.Equal(CurveRegion.MainThoracic, result.Largest.Region);
        Assert.True(result.Largest.ConvexRight);
        Assert.Equal(CurvePattern.C, result.Pattern);
    }

    [Fact]
    public void Estimate_CircularArcCalibrated_StaysWithinQuarterOfArc()
    {
        // The calibration shrinks the end levels' tangents (they predict end-vertebra tilt worst) and adds the
        // radiographic scatter term: on a clean 40 degree arc from T1 to L5 it reads about 32 degrees, within 25 %.
        var result = CentreLineCobb.Estimate(Arc(40));

        Assert.InRange(result.Largest.AngleDeg, 30.0, 50.0);
        Assert.Equal(40, result.Largest.TangentDifferenceDeg, 12.0);
    }

    [Fact]
    public void Estimate_EighteenLevelsFromC7_NamesApexFromC7()
    {
        var result = CentreLineCobb.Estimate(Arc(30, 18), VertebralLevel.C7, CentreLineCobbOptions.Geometric);

        Assert.Equal(30, result.Largest.TangentDifferenceDeg, 1.0);
        Assert.Equal(VertebralLevel.C7 + result.Largest.Apex, result.Largest.ApexLevel);
    }

    [Fact]
    public void Estimate_SCurve_FindsThoracicAndLumbarCurves()
    {
        // One full sine period: thoracic curve convex right, lumbar curve convex left. The tangent is extreme at
        // T1, at the inflection (index 8) and at L5: two curves of equal size.
        const double amplitudeMm = 30;
        var line = Line(i => amplitudeMm * Math.Sin(2 * Math.PI * i / 16));
        var expectedDeg = 2 * Math.Atan(amplitudeMm * 2 * Math.PI / (16 * LevelSpacingMm)) * 180 / Math.PI;

        var result = CentreLineCobb.Estimate(line, VertebralLevel.T1, CentreLineCobbOptions.Geometric);

        Assert.Equal(CurvePattern.S, result.Pattern);
        Assert.Equal(2, result.Curves.Count);
        var (upper, lower) = (result.Curves[0], result.Curves[1]);
        Assert.Equal(expectedDeg, upper.AngleDeg, 1.5);
        Assert.Equal(expectedDeg, lower.AngleDeg, 1.5);
        Assert.Equal(8, upper.LowerEnd);
        Assert.Equal(8, lower.UpperEnd);
        Assert.True(upper.ConvexRight);
        Assert.False(lower.ConvexRight);
        Assert.Equal(4, upper.Apex);
        Assert.Equal(CurveRegion.ProximalThoracic, upper.Region); // apex T5
        Assert.Equal(12, lower.Apex);
        Assert.Equal(CurveRegion.ThoracolumbarLumbar, lower.Region); // apex L1
    }

    [Fact]
    public void Estimate_SmallWiggle_IsMergedIntoOneCurve()
    {
        // A 40 degree arc with a 1 mm lateral wiggle: the reversal is far under MinCurveDeg.
        var arc = Arc(40);
        arc[5] += new Vector2d(1, 0);

        var result = CentreLineCobb.Estimate(arc, VertebralLevel.T1, CentreLineCobbOptions.Geometric);

        Assert.Equal(40, result.Largest.AngleDeg, 2.0);
    }

    [Fact]
    public void ChallengeOrderDeg_SCurve_PutsLargestFirst()
    {
        var line = Line(i => 30 * Math.Sin(2 * Math.PI * i / 16));

        var angles = CentreLineCobb.Estimate(line).ChallengeOrderDeg();

        Assert.Equal(3, angles.Length);
        Assert.True(angles[0] >= angles[1] && angles[0] >= angles[2]);
    }

    [Fact]
    public void Estimate_TooFewLevels_Throws()
    {
        Assert.Throws<ArgumentException>(() => CentreLineCobb.Estimate(Line(_ => 0, 3)));
    }

    [Fact]
    public void Estimate_UpsideDown_Throws()
    {
        var reversed = Line(_ => 0).Reverse().ToArray();

        Assert.Throws<ArgumentException>(() => CentreLineCobb.Estimate(reversed));
    }

    [Fact]
    public void Estimate_EndplateMedian_GivesTheLargestCurveTheScaledMedian_AndKeepsItLargest()
    {
        // An S line whose two curves are nearly equal, so the countercurve's calibrated angle could exceed the scaled median.
        var line = Line(i => 30 * Math.Sin(2 * Math.PI * i / 16));
        var calibrated = CentreLineCobbOptions.Geometric with { LinearGain = 1.2 };
        var options = calibrated with { EndplateMedianGain = 0.9, EndplateMedianOffsetDeg = -3, EndplateTilts = PhantomTiltModel.Parameters };

        var plain = CentreLineCobb.Estimate(line, VertebralLevel.T1, calibrated);
        var result = CentreLineCobb.Estimate(line, VertebralLevel.T1, options);

        var expected = (0.9 * EndplateCobbPrediction.MedianDeg(line, PhantomTiltModel.Parameters)) - 3;
        Assert.Equal(expected, result.Largest.AngleDeg, 9);
        Assert.All(result.Curves, c => Assert.True(c.AngleDeg <= result.Largest.AngleDeg));
        Assert.Equal(plain.Curves.Select(c => c.TangentDifferenceDeg), result.Curves.Select(c => c.TangentDifferenceDeg));
        Assert.Equal(plain.Largest.UpperEnd, result.Largest.UpperEnd);
    }

    [Fact]
    public void Estimate_EndplateMedian_OnlyForTheSeventeenLevelsT1ToL5()
    {
        // The tilt model describes T1..L5; eighteen levels from C7 keep the calibration.
        var line = Arc(30, 18);
        var options = CentreLineCobbOptions.Geometric with { EndplateMedianGain = 2, EndplateTilts = PhantomTiltModel.Parameters };

        var result = CentreLineCobb.Estimate(line, VertebralLevel.C7, options);

        Assert.Equal(CentreLineCobb.Estimate(line, VertebralLevel.C7, CentreLineCobbOptions.Geometric).Largest.AngleDeg, result.Largest.AngleDeg, 9);
        Assert.Contains("EndplateMedianGain", Assert.Throws<ArgumentException>(() => CentreLineCobb.Estimate(line, VertebralLevel.C7, options with { EndplateMedianGain = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("EndplateTilts is needed", Assert.Throws<ArgumentException>(() => CentreLineCobb.Estimate(line, VertebralLevel.C7, options with { EndplateTilts = null })).Message, StringComparison.Ordinal);
    }
}
