using SpineScan.Core.Spine;
using SpineScan.Phantom;

namespace SpineScan.Phantom.Tests;

public class PhantomSamplerTests
{
    [Fact]
    public void Draw_Population_StaysInClinicalRanges()
    {
        var girls = 0;
        double minHeight = double.MaxValue, maxHeight = 0, minBuild = double.MaxValue, maxBuild = double.MinValue;
        for (var seed = 0; seed < 600; seed++)
        {
            var p = PhantomSampler.Draw(new PhantomOptions { Seed = PhantomSeeds.ForChild(99, seed) });
            girls += p.Sex == PhantomSex.Female ? 1 : 0;
            minHeight = Math.Min(minHeight, p.HeightMm);
            maxHeight = Math.Max(maxHeight, p.HeightMm);
            minBuild = Math.Min(minBuild, p.BuildZ);
            maxBuild = Math.Max(maxBuild, p.BuildZ);
            Assert.InRange(p.HeightMm, 1300, 1850);
            Assert.InRange(p.TargetCobbDeg, 0, 60);
            Assert.InRange(p.KyphosisDeg, 20, 60);
            Assert.InRange(p.LordosisDeg, 25, 65);
            Assert.InRange(p.Camera.DistanceMm, 900, 1600);
            Assert.InRange(p.Camera.StandingPitchDeg, -5, 5);
            Assert.InRange(p.Camera.StandingRollDeg, -5, 5);
            Assert.InRange(Math.Abs(p.ShoulderHeightDifferenceMm), 0, 25);
            Assert.InRange(Math.Abs(p.PelvicObliquityMm), 0, 15);
            foreach (var curve in p.Curves)
            {
                Assert.InRange((int)curve.Apex, (int)VertebralLevel.T4, (int)VertebralLevel.L4);
                Assert.True(curve.UpperEnd < curve.Apex && curve.Apex < curve.LowerEnd);
            }
        }

        Assert.InRange(girls, 240, 360);
        Assert.True(minHeight < 1380 && maxHeight > 1720, $"heights {minHeight:0}-{maxHeight:0} mm");
        Assert.True(minBuild < -1.5 && maxBuild > 2, $"builds {minBuild:0.0}..{maxBuild:0.0}");
    }

    [Fact]
    public void DrawTargetCobb_Population_MoreMassNearTenAndTwentyThanUniform()
    {
        var random = new Random(5);
        const int n = 20000;
        int nearTen = 0, nearTwenty = 0;
        for (var i = 0; i < n; i++)
        {
            var cobb = PhantomSampler.DrawTargetCobb(random);
            Assert.InRange(cobb, 0, 60);
            nearTen += cobb is >= 8 and <= 12 ? 1 : 0;
            nearTwenty += cobb is >= 18 and <= 22 ? 1 : 0;
        }

        // A uniform draw over 0-60 puts 4/60 = 6.7% in each window.
        Assert.True(nearTen / (double)n > 0.12, $"near 10: {nearTen / (double)n:P1}");
        Assert.True(nearTwenty / (double)n > 0.12, $"near 20: {nearTwenty / (double)n:P1}");
    }

    [Fact]
    public void Draw_ForcedValue_LeavesOtherDrawsUnchanged()
    {
        var free = PhantomSampler.Draw(new PhantomOptions { Seed = 12 });
        var forced = PhantomSampler.Draw(new PhantomOptions { Seed = 12, CameraDistanceMm = 1000 });

        Assert.Equal(1000, forced.Camera.DistanceMm);
        Assert.Equal(free.HeightMm, forced.HeightMm);
        Assert.Equal(free.TargetCobbDeg, forced.TargetCobbDeg);
        Assert.Equal(free.KyphosisDeg, forced.KyphosisDeg);
    }

    [Fact]
    public void ForChild_DifferentIndices_DifferentNonNegativeSeeds()
    {
        var seeds = Enumerable.Range(1, 1000).Select(i => PhantomSeeds.ForChild(7, i)).ToHashSet();

        Assert.Equal(1000, seeds.Count);
        Assert.All(seeds, s => Assert.True(s >= 0));
    }
}
