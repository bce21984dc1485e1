using SpineScan.Core.Analysis;
using SpineScan.Lab.Fitting;

namespace SpineScan.Lab.Tests.Fitting;

public class ResidualNetworkTests
{
    // Samples of a function no linear map follows: a product of two inputs (no linear correlation with either) and a
    // saturating third.
    private static (List<double[]> Inputs, List<double[]> Targets) Nonlinear(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new List<double[]>();
        var targets = new List<double[]>();
        for (var s = 0; s < count; s++)
        {
            double[] x = [(random.NextDouble() * 4) - 2, (random.NextDouble() * 4) - 2, (random.NextDouble() * 4) - 2];
            inputs.Add(x);
            targets.Add([x[0] * x[1], 3 * Math.Tanh(2 * x[2])]);
        }

        return (inputs, targets);
    }

    private static double MeanSquaredError(ResidualNetwork network, List<double[]> inputs, List<double[]> targets)
    {
        double sum = 0;
        var output = new double[network.Outputs];
        for (var s = 0; s < inputs.Count; s++)
        {
            Array.Clear(output);
            network.AddTo(inputs[s], output);
            sum += output.Select((v, k) => (v - targets[s][k]) * (v - targets[s][k])).Sum();
        }

        return sum / (inputs.Count * network.Outputs);
    }

    [Fact]
    public void Fit_LearnsWhatNoLinearMapCan_OnSamplesItHasNotSeen()
    {
        var (inputs, targets) = Nonlinear(600, 1);
        var (heldInputs, heldTargets) = Nonlinear(300, 2);
        var variance = heldTargets.SelectMany(t => t).Select(v => v * v).Average();

        var network = ResidualNetworkTrainer.Fit(inputs, targets, ResidualNetworkOptions.Default with { Hidden = 24, Epochs = 150, BatchSize = 32, WeightDecay = 1e-4 });

        // The best linear map explains none of x0 x1 and most of the tanh: its error is over a quarter of the variance.
        Assert.True(MeanSquaredError(network, heldInputs, heldTargets) < 0.05 * variance, $"Held-out error {MeanSquaredError(network, heldInputs, heldTargets):F3} against variance {variance:F3}.");
    }

    [Fact]
    public void Fit_IsDeterministicForASeed()
    {
        var (inputs, targets) = Nonlinear(100, 3);
        var options = ResidualNetworkOptions.Default with { Hidden = 8, Epochs = 5 };

        var first = ResidualNetworkTrainer.Fit(inputs, targets, options);
        var second = ResidualNetworkTrainer.Fit(inputs, targets, options);
        var other = ResidualNetworkTrainer.Fit(inputs, targets, options with { Seed = options.Seed + 1 });

        Assert.Equal(first.ToBase64(), second.ToBase64());
        Assert.NotEqual(first.ToBase64(), other.ToBase64());
    }

    [Fact]
    public void Backpropagate_MatchesFiniteDifferences()
    {
        var random = new Random(4);
        var net = new ResidualNetworkTrainer.Parameters(5, 7, 3);
        net.Initialise(random);
        double[] z = [0.3, -1.2, 0.8, 0.1, -0.5];
        double[] target = [0.4, -0.9, 1.5];
        var gradient = new ResidualNetworkTrainer.Parameters(5, 7, 3);
        var work = new ResidualNetworkTrainer.Workspace(5, 7, 3);
        ResidualNetworkTrainer.Backpropagate(net, z, target, 1, gradient, work);

        const double Step = 1e-6;
        var arrays = net.Arrays;
        var grads = gradient.Arrays;
        var scratch = new ResidualNetworkTrainer.Parameters(5, 7, 3);
        for (var a = 0; a < arrays.Length; a++)
        {
            for (var i = 0; i < arrays[a].Length; i++)
            {
                var kept = arrays[a][i];
                arrays[a][i] = kept + Step;
                var up = ResidualNetworkTrainer.Backpropagate(net, z, target, 1, scratch, work);
                arrays[a][i] = kept - Step;
                var down = ResidualNetworkTrainer.Backpropagate(net, z, target, 1, scratch, work);
                arrays[a][i] = kept;
                Assert.Equal((up - down) / (2 * Step), grads[a][i], 5);
            }
        }
    }

    [Fact]
    public void Base64_RoundTripsInSinglePrecision_AndBadTextGetsAClearError()
    {
        var (inputs, targets) = Nonlinear(50, 5);
        var network = ResidualNetworkTrainer.Fit(inputs, targets, ResidualNetworkOptions.Default with { Hidden = 6, Epochs = 3 });

        var text = network.ToBase64();
        var back = ResidualNetwork.FromBase64(text);
        // Whitespace is ignored, so the generated source can wrap the text.
        var wrapped = ResidualNetwork.FromBase64(string.Join("\n        ", text.Chunk(40).Select(c => new string(c))));

        Assert.Empty(back.Problems());
        Assert.Equal(text, back.ToBase64());
        Assert.Equal(text, wrapped.ToBase64());
        double[] a = [0, 0], b = [0, 0];
        network.AddTo(inputs[0], a);
        back.AddTo(inputs[0], b);
        Assert.Equal(a[0], b[0], 4);
        Assert.Equal(a[1], b[1], 4);

        Assert.Contains("not base 64", Assert.Throws<FormatException>(() => ResidualNetwork.FromBase64("not a network!")).Message, StringComparison.Ordinal);
        var truncated = Convert.ToBase64String(Convert.FromBase64String(text)[..^8]);
        Assert.Contains("need", Assert.Throws<FormatException>(() => ResidualNetwork.FromBase64(truncated)).Message, StringComparison.Ordinal);
        var header = Convert.FromBase64String(text);
        BitConverter.TryWriteBytes(header.AsSpan(4), 100_000);
        Assert.Contains("impossible", Assert.Throws<FormatException>(() => ResidualNetwork.FromBase64(Convert.ToBase64String(header))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTo_AllocatesNothing_AndRefusesTheWrongSizes()
    {
        var (inputs, targets) = Nonlinear(50, 6);
        var network = ResidualNetworkTrainer.Fit(inputs, targets, ResidualNetworkOptions.Default with { Hidden = 64, Epochs = 1 });
        var output = new double[2];
        network.AddTo(inputs[0], output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            network.AddTo(inputs[i % inputs.Count], output);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Throws<ArgumentException>(() => network.AddTo(new double[4], output));
    }

    [Fact]
    public void Problems_NameWhatIsWrong()
    {
        var (inputs, targets) = Nonlinear(20, 7);
        var network = ResidualNetworkTrainer.Fit(inputs, targets, ResidualNetworkOptions.Default with { Hidden = 4, Epochs = 1 });
        Assert.Empty(network.Problems());

        Assert.Contains((network with { W2 = new double[3] }).Problems(), p => p.StartsWith("W2 needs 16", StringComparison.Ordinal));
        Assert.Contains((network with { InputScale = [1, 0, 1] }).Problems(), p => p.Contains("positive", StringComparison.Ordinal));
        Assert.Contains((network with { Hidden = 0 }).Problems(), p => p.StartsWith("Hidden", StringComparison.Ordinal));
        Assert.Contains((network with { B1 = [double.NaN, 0, 0, 0] }).Problems(), p => p.StartsWith("B1", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_RefusesMismatchedOrNonFiniteSamples()
    {
        static double[][] Rows(params double[][] rows) => rows;
        var options = ResidualNetworkOptions.Default;
        Assert.Throws<ArgumentException>(() => ResidualNetworkTrainer.Fit(Rows([1.0]), Rows(), options));
        Assert.Throws<ArgumentException>(() => ResidualNetworkTrainer.Fit(Rows([1.0], [1.0, 2.0]), Rows([1.0], [1.0]), options));
        Assert.Throws<ArgumentException>(() => ResidualNetworkTrainer.Fit(Rows([double.NaN]), Rows([1.0]), options));
        Assert.Throws<ArgumentException>(() => ResidualNetworkTrainer.Fit(Rows([1.0]), Rows([1.0]), options with { Epochs = 0 }));
    }
}
