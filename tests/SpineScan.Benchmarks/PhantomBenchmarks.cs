using BenchmarkDotNet.Attributes;
using SpineScan.Phantom;

namespace SpineScan.Benchmarks;

/// <summary>Time to generate one phantom child (anatomy, truth, and both captures at 848x480).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PhantomBenchmarks
{
    [Params(1, 10)]
    public int FramesPerCapture { get; set; }

    [Benchmark]
    public int GenerateChild()
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = 11, FrameCount = FramesPerCapture, Sensor = PhantomSensor.RealSenseD435 });
        return child.Standing.Frames.Count + child.ForwardBend.Frames.Count;
    }
}
