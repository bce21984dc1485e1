using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Reports.Pdf.Tests;

public sealed class HeatMapTests
{
    [Fact]
    public void RenderPng_SampleMap_IsPngOfMapSize()
    {
        var map = SampleReports.DepthMap(48, 64);
        var png = HeatMap.RenderPng(map);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(48, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(64, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void Contours_CurvedBack_LieInsideTheMap()
    {
        var map = SampleReports.DepthMap(48, 64);
        var segments = HeatMap.Contours(map);

        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.InRange(s.X1, 0, 48.0));
        Assert.All(segments, s => Assert.InRange(s.Y2, 0, 64.0));
    }

    [Fact]
    public void ToPixel_Origin_IsFirstPixelCentre()
    {
        var map = SampleReports.DepthMap();
        var (x, y) = HeatMap.ToPixel(map, new Point3Mm(map.OriginXMm, map.OriginYMm, 900));

        Assert.Equal(0.5, x, 1e-9);
        Assert.Equal(0.5, y, 1e-9);
    }
}
