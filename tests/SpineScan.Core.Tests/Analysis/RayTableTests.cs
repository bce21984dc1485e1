using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Analysis;

public class RayTableTests
{
    [Fact]
    public void For_ManyLensDistortions_KeepsOnlyTheLastCamerasTables()
    {
        var first = CameraIntrinsics.AzureKinectNfov with { K1 = 0.0123 };
        var table = RayTable.For(first);
        Assert.Same(table, RayTable.For(first));

        // A benchmark over children with a lens drawn per child: before the bound every table stayed in memory.
        for (var i = 1; i <= 3 * RayTable.CacheCapacity; i++)
        {
            RayTable.For(CameraIntrinsics.AzureKinectNfov with { K1 = 0.0123 + (i * 1e-4) });
            Assert.InRange(RayTable.CachedCount, 1, RayTable.CacheCapacity);
        }

        // The evicted table is made again, with the same rays.
        var again = RayTable.For(first);
        Assert.NotSame(table, again);
        Assert.Equal(table.Point(5, 7, 1000), again.Point(5, 7, 1000));
        var (x, y) = first.NormalizedRay(5, 7);
        Assert.Equal(x * 1000, again.Point(5, 7, 1000).X, 2);
        Assert.Equal(y * 1000, again.Point(5, 7, 1000).Y, 2);
    }
}
