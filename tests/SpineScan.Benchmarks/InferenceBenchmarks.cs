using BenchmarkDotNet.Attributes;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Ports;
using SpineScan.Inference;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Benchmarks;

/// <summary>
/// The learned back-to-spine model: one inference on the CPU (one session, as the host holds it) and the
/// whole analysis with the model against the classical analysis, on one phantom child (the D435's 30-frame burst at 848x480, 1.2 m).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class InferenceBenchmarks
{
    private readonly float[] _grid = new float[BackGrid.Length];
    private readonly float[] _prediction = new float[SpineCentrePrediction.Length];
    private OnnxSpineCentreModel _model = null!;
    private ScreeningAnalyzer _classical = null!;
    private ScreeningAnalyzer _learned = null!;
    private PhantomChild _child = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxSpineCentreModel.FromCatalog(ModelCatalog.Shipped, new InferenceOptions(PreferCuda: false))
            ?? throw new InvalidOperationException("No learned spine model under models/.");
        _classical = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());
        _learned = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector(), _model);
        _child = PhantomGenerator.Generate(new PhantomOptions { Seed = 31, FrameCount = null, Sensor = PhantomSensor.RealSenseD435, CameraDistanceMm = 1200 });
        // The inspection (and its pooled surface) lives only inside the callback: export the model's input grid there.
        _classical.InspectStanding(_child.Standing, inspection =>
        {
            var c7 = inspection.Landmarks.Single(l => l.Name == LandmarkNames.C7);
            var left = inspection.Landmarks.Single(l => l.Name == LandmarkNames.DimpleLeft);
            var right = inspection.Landmarks.Single(l => l.Name == LandmarkNames.DimpleRight);
            var dimpleMid = ((left.A + right.A) / 2, (left.B + right.B) / 2);
            BackGrid.Export(inspection.Pose.Surface!, (c7.A, c7.B), dimpleMid, _grid);
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _child.Dispose();
    }

    [Benchmark]
    public float ModelInference()
    {
        _model.Predict(_grid, _prediction);
        return _prediction[0];
    }

    [Benchmark(Baseline = true)]
    public double AnalysisClassical() => _classical.Analyze(_child.Standing, _child.ForwardBend).Cobb!.Largest.AngleDeg;

    [Benchmark]
    public double AnalysisWithModel() => _learned.Analyze(_child.Standing, _child.ForwardBend).Cobb!.Largest.AngleDeg;
}
