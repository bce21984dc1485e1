namespace SpineScan.Core.Tests.Cameras;

/// <summary>Tests that wait on real time (a pump on the thread pool) run after the parallel ones, with the machine to themselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeTests
{
    public const string Name = "Real time";
}
