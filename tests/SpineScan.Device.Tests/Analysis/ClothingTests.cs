using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Device.Tests.Analysis;

/// <summary>
/// Clothes on the back, against twins without them: the same child, camera and noise, only the band differs.
/// </summary>
public sealed class ClothingTests
{
    private static readonly ScreeningAnalyzer Analyzer = new(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());

    private static readonly ClothesDraw Bare = new(Band: false, BandProudMm: 0, BandWidthMm: 0, BandLevel: 0.4, Straps: false, WaistbandAboveDimplesMm: null, WaistbandProudMm: 2);

    // The thickest band of the training range (6 mm proud, 60 mm high, with straps) at three heights over the mid back:
    // where it bridges the spinous groove the surface's symmetry line loses its trough, which must not read as a curve.
    [Theory]
    [InlineData(1, 0.30)]
    [InlineData(2, 0.40)]
    [InlineData(3, 0.50)]
    public void Analyze_StraightBackInABraBand_ReadsWithinTwoDegreesOfTheBareTwin(int child, double level)
    {
        var (bare, bareDepth) = Largest(Straight(child, Bare));
        var (band, bandDepth) = Largest(Straight(child, Bare with { Band = true, BandProudMm = 6, BandWidthMm = 60, BandLevel = level, Straps = true }));

        Assert.False(bareDepth.SequenceEqual(bandDepth), "the band was not rendered");
        Assert.True(Math.Abs(band - bare) < 2, FormattableString.Invariant($"band at {level}: {band:0.0} deg, bare twin {bare:0.0} deg"));
    }

    private static PhantomOptions Straight(int child, ClothesDraw clothes) => new()
    {
        Seed = PhantomSeeds.ForChild(7703, child),
        Curve = new CurveOverride(CurveType.None),
        Sensor = PhantomSensor.RealSenseD435,
        CameraDistanceMm = 1200,
        Clothes = clothes,
        NoiseSeed = 17,
        FrameCount = 4,
    };

    private static (double Cobb, ushort[] Depth) Largest(PhantomOptions options)
    {
        using var child = PhantomGenerator.Generate(options);
        var result = Analyzer.Analyze(child.Standing, null);
        Assert.True(result.Issues.Count == 0, "refused: " + string.Join(", ", result.Issues.Select(i => i.Code)));
        return (result.Cobb!.Largest.AngleDeg, child.Standing.Frames[0].Pixels.ToArray());
    }
}
