using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Analysis;

public class DepthFusionTests
{
    private static List<DepthFrame> Burst(int frames, Func<int, int, int, ushort> depth, int width = 23, int height = 11)
    {
        var list = new List<DepthFrame>();
        for (var f = 0; f < frames; f++)
        {
            var frame = DepthFrame.Create(width, height, 0.001);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    frame.Row(y)[x] = depth(f, x, y);
                }
            }

            list.Add(frame);
        }

        return list;
    }

    [Fact]
    public void Fuse_FlyingPixelInOneFrame_IsRemoved()
    {
        var frames = Burst(6, (f, x, y) => (ushort)(f == 2 && x == 5 && y == 5 ? 3000 : 1200 + (f % 2)));
        using var fused = DepthFrame.Create(23, 11, 0.001);

        DepthFusion.Fuse(frames, fused);

        Assert.InRange(fused[5, 5], (ushort)1200, (ushort)1201);
        Assert.InRange(fused[0, 0], (ushort)1200, (ushort)1201);
    }

    [Fact]
    public void Fuse_PixelMeasuredInFewerThanHalfTheFrames_StaysEmpty()
    {
        var frames = Burst(10, (f, x, y) => (ushort)(x == 3 && y == 3 && f < 4 ? 1000 : x == 3 && y == 3 ? 0 : 1000));
        using var fused = DepthFrame.Create(23, 11, 0.001);

        var fusedValid = DepthFusion.Fuse(frames, fused);

        Assert.Equal(DepthFrame.NoMeasurement, fused[3, 3]);
        Assert.Equal((23 * 11) - 1, fusedValid);
    }

    [Fact]
    public void Fuse_NoisyStillFrames_AverageNearTruthAndSmallDeviation()
    {
        var random = new Random(5);
        var frames = Burst(10, (_, _, _) => (ushort)(1500 + random.Next(-3, 4)));
        using var fused = DepthFrame.Create(23, 11, 0.001);

        DepthFusion.Fuse(frames, fused);

        Assert.InRange(fused[10, 5], (ushort)1498, (ushort)1502);
        Assert.All(frames, f => Assert.InRange(DepthFusion.MeanAbsoluteDifferenceMm(f, fused), 0, 3));
    }

    [Fact]
    public void Fuse_OneFrameShifted_ReportsThatFrameAsWorst()
    {
        // A child who leaned 25 mm toward the camera in the last frame.
        var frames = Burst(8, (f, _, _) => (ushort)(f == 7 ? 1475 : 1500));
        using var fused = DepthFrame.Create(23, 11, 0.001);

        DepthFusion.Fuse(frames, fused);
        var deviations = frames.Select(f => DepthFusion.MeanAbsoluteDifferenceMm(f, fused)).ToList();

        Assert.Equal(deviations[7], deviations.Max());
        Assert.InRange(deviations[7], 20, 26);
        Assert.Equal(1500, fused[0, 0]);
    }

    [Fact]
    public void Fuse_FrameOfAnotherSize_Throws()
    {
        var frames = Burst(2, (_, _, _) => 1000);
        frames.Add(DepthFrame.Create(22, 11, 0.001));
        using var fused = DepthFrame.Create(23, 11, 0.001);

        Assert.Throws<ArgumentException>(() => DepthFusion.Fuse(frames, fused));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(849)]
    public void Accumulate_RandomRowsOfOddLength_MatchesScalarTwin(int length)
    {
        var random = new Random(length);
        var (sums, valids, mins, maxs) = (new uint[length], new ushort[length], new ushort[length], new ushort[length]);
        var (sums2, valids2, mins2, maxs2) = (new uint[length], new ushort[length], new ushort[length], new ushort[length]);
        Array.Fill(mins, ushort.MaxValue);
        Array.Fill(mins2, ushort.MaxValue);
        for (var frame = 0; frame < 12; frame++)
        {
            var row = new ushort[length];
            for (var x = 0; x < length; x++)
            {
                // A third of the pixels unmeasured; the rest anywhere in the 16-bit range.
                row[x] = random.Next(3) == 0 ? (ushort)0 : (ushort)random.Next(1, 65536);
            }

            DepthFusion.Accumulate(row, sums, valids, mins, maxs);
            DepthFusion.AccumulateScalar(row, sums2, valids2, mins2, maxs2);
        }

        Assert.Equal(sums2, sums);
        Assert.Equal(valids2, valids);
        Assert.Equal(mins2, mins);
        Assert.Equal(maxs2, maxs);
    }
}
