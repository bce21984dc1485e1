using BenchmarkDotNet.Attributes;
using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Benchmarks;

/// <summary>
/// Every stage of the measurement pipeline, and the whole analysis, on one phantom child: 10 or 30 frames at 848x480
/// per pose (RealSense D435 intrinsics, 1.2 m).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class AnalysisBenchmarks
{
    private readonly ScreeningAnalyzer _analyzer = new(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());
    private PhantomChild _child = null!;
    private DepthFrame _fused = null!;
    private SceneSegmentation _scene = null!;
    private BackSurface _surface = null!;
    private StandingInspection _inspection = null!;

    /// <summary>Frames per pose: 30 is the D435's burst (<c>CaptureBurst</c>), 10 the time-of-flight burst and the figure before it.</summary>
    [Params(10, 30)]
    public int FramesPerPose { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _child = PhantomGenerator.Generate(new PhantomOptions { Seed = 31, FrameCount = FramesPerPose, Sensor = PhantomSensor.RealSenseD435, CameraDistanceMm = 1200 });
        var standing = _child.Standing;
        _fused = DepthFrame.Create(standing.Intrinsics.Width, standing.Intrinsics.Height, standing.DepthScaleM);
        DepthFusion.Fuse(standing.Frames, _fused);
        _scene = SceneSegmenter.Segment(_fused, standing.Intrinsics);
        _surface = BackSurface.Build(_fused, standing.Intrinsics, _scene, _scene.People[0].Label, BodyFrame.FromFloor(_scene.Floor), SurfaceView.Standing);
        _analyzer.InspectStanding(standing, inspection => _inspection = inspection);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _surface.Dispose();
        _scene.Dispose();
        _fused.Dispose();
        _child.Dispose();
    }

    [Benchmark]
    public int Fusion() => DepthFusion.Fuse(_child.Standing.Frames, _fused);

    [Benchmark]
    public int Segmentation()
    {
        using var scene = SceneSegmenter.Segment(_fused, _child.Standing.Intrinsics);
        return scene.People.Count;
    }

    [Benchmark]
    public int Surface()
    {
        using var surface = BackSurface.Build(_fused, _child.Standing.Intrinsics, _scene, _scene.People[0].Label, BodyFrame.FromFloor(_scene.Floor), SurfaceView.Standing);
        return surface.ValidCells;
    }

    [Benchmark]
    public int Landmarks() => new ClassicLandmarkDetector().Detect(_surface).Count;

    /// <summary>From the symmetry line to the Cobb estimate: the levels, the filter and its residual network, the curves and the median endplate Cobb angle.</summary>
    [Benchmark]
    public double SpinalLineAndCobb()
    {
        var levels = SpinalLineReconstructor.Reconstruct(_inspection.SymmetryLine, _inspection.C7B, _inspection.DimpleMidB, _analyzer.Settings.SpinalLine);
        var centres = SpinalLineReconstructor.FrontalCentres(levels);
        return CentreLineCobb.Estimate(centres, VertebralLevel.T1, _analyzer.Settings.Cobb).Largest.AngleDeg;
    }

    [Benchmark]
    public ScreeningCategory StandingAnalysis() => _analyzer.Analyze(_child.Standing, null).Category;

    [Benchmark]
    public ScreeningCategory WholeAnalysis() => _analyzer.Analyze(_child.Standing, _child.ForwardBend).Category;
}
