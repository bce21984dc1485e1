using SpineScan.Core.Analysis;

namespace SpineScan.Lab.Fitting;

/// <summary>Training settings of <see cref="ResidualNetworkTrainer"/> (AdamW, cosine learning-rate decay, mean squared error).</summary>
public sealed record ResidualNetworkOptions
{
    public int Hidden { get; init; } = 128;

    public int Epochs { get; init; } = 200;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 2e-3;

    public double WeightDecay { get; init; } = 1e-2;

    public int Seed { get; init; } = 20261127;

    public static ResidualNetworkOptions Default { get; } = new();
}

/// <summary>
/// Fits a <see cref="ResidualNetwork"/> by minibatch AdamW on standardised inputs and targets. Deterministic for a
/// seed: one thread, a fixed shuffle, no framework.
/// </summary>
public static class ResidualNetworkTrainer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    /// <summary>Fits the network mapping <paramref name="inputs"/> to <paramref name="targets"/> (one row per sample).</summary>
    /// <param name="progress">Called after each epoch with (epoch, epochs, mean squared error in standardised units).</param>
    public static ResidualNetwork Fit(IReadOnlyList<double[]> inputs, IReadOnlyList<double[]> targets, ResidualNetworkOptions options, Action<int, int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        if (inputs.Count == 0 || inputs.Count != targets.Count)
        {
            throw new ArgumentException($"Inputs and targets need the same number of samples, at least one ({inputs.Count} and {targets.Count}).");
        }

        if (options.Hidden is < 1 or > ResidualNetwork.MaxHidden || options.Epochs < 1 || options.BatchSize < 1 || !(options.LearningRate > 0) || options.WeightDecay < 0)
        {
            throw new ArgumentException("Hidden units, epochs and batch size must be positive, the learning rate > 0 and the weight decay >= 0.", nameof(options));
        }

        var p = inputs[0].Length;
        var o = targets[0].Length;
        var n = inputs.Count;
        if (inputs.Any(x => x.Length != p || !x.All(double.IsFinite)) || targets.Any(t => t.Length != o || !t.All(double.IsFinite)))
        {
            throw new ArgumentException("Every sample needs the same number of finite inputs and targets.");
        }

        // Standardise: inputs per column, targets by their overall SD.
        var mean = new double[p];
        var scale = new double[p];
        for (var i = 0; i < p; i++)
        {
            mean[i] = inputs.Average(x => x[i]);
            var sd = Math.Sqrt(inputs.Average(x => (x[i] - mean[i]) * (x[i] - mean[i])));
            scale[i] = sd > 1e-9 ? sd : 1;
        }

        var outputScale = Math.Sqrt(targets.Average(t => t.Average(v => v * v)));
        outputScale = outputScale > 1e-12 ? outputScale : 1;
        var z = inputs.Select(x => x.Select((v, i) => (v - mean[i]) / scale[i]).ToArray()).ToArray();
        var y = targets.Select(t => t.Select(v => v / outputScale).ToArray()).ToArray();

        var h = options.Hidden;
        var random = new Random(options.Seed);
        var parameters = new Parameters(p, h, o);
        parameters.Initialise(random);
        var gradient = new Parameters(p, h, o);
        var m = new Parameters(p, h, o);
        var v = new Parameters(p, h, o);
        var order = Enumerable.Range(0, n).ToArray();
        var step = 0;
        var work = new Workspace(p, h, o);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / options.Epochs));
            double loss = 0;
            for (var start = 0; start < n; start += options.BatchSize)
            {
                var count = Math.Min(options.BatchSize, n - start);
                gradient.Clear();
                for (var b = 0; b < count; b++)
                {
                    var s = order[start + b];
                    loss += Backpropagate(parameters, z[s], y[s], 1.0 / (count * o), gradient, work);
                }

                step++;
                Adam(parameters, gradient, m, v, rate, options.WeightDecay, step);
            }

            progress?.Invoke(epoch + 1, options.Epochs, loss / (n * o));
        }

        return new ResidualNetwork(mean, scale, h, parameters.W1, parameters.B1, parameters.W2, parameters.B2, parameters.W3, parameters.B3, outputScale);
    }

    /// <summary>
    /// Adds the gradient of weight x sum of squared errors of one sample to <paramref name="gradient"/> and returns
    /// its sum of squared errors (standardised units).
    /// </summary>
    internal static double Backpropagate(Parameters net, double[] z, double[] target, double weight, Parameters gradient, Workspace work)
    {
        int p = net.Inputs, h = net.Hidden, o = net.Outputs;
        ResidualNetwork.Layer(net.W1, net.B1, z, work.H1, true);
        ResidualNetwork.Layer(net.W2, net.B2, work.H1, work.H2, true);
        ResidualNetwork.Layer(net.W3, net.B3, work.H2, work.Y, false);
        double loss = 0;
        for (var k = 0; k < o; k++)
        {
            var e = work.Y[k] - target[k];
            loss += e * e;
            work.DY[k] = 2 * e * weight;
        }

        Array.Clear(work.D2);
        for (var k = 0; k < o; k++)
        {
            var dy = work.DY[k];
            gradient.B3[k] += dy;
            var row = k * h;
            for (var j = 0; j < h; j++)
            {
                gradient.W3[row + j] += dy * work.H2[j];
                work.D2[j] += net.W3[row + j] * dy;
            }
        }

        Array.Clear(work.D1);
        for (var j = 0; j < h; j++)
        {
            var da = work.D2[j] * (1 - (work.H2[j] * work.H2[j]));
            gradient.B2[j] += da;
            var row = j * h;
            for (var i = 0; i < h; i++)
            {
                gradient.W2[row + i] += da * work.H1[i];
                work.D1[i] += net.W2[row + i] * da;
            }
        }

        for (var j = 0; j < h; j++)
        {
            var da = work.D1[j] * (1 - (work.H1[j] * work.H1[j]));
            gradient.B1[j] += da;
            var row = j * p;
            for (var i = 0; i < p; i++)
            {
                gradient.W1[row + i] += da * z[i];
            }
        }

        return loss;
    }

    // AdamW (decoupled weight decay on every parameter, as PyTorch's AdamW does by default).
    private static void Adam(Parameters net, Parameters gradient, Parameters m, Parameters v, double rate, double decay, int step)
    {
        var correction1 = 1 - Math.Pow(Beta1, step);
        var correction2 = 1 - Math.Pow(Beta2, step);
        var arrays = net.Arrays;
        var grads = gradient.Arrays;
        var ms = m.Arrays;
        var vs = v.Arrays;
        for (var a = 0; a < arrays.Length; a++)
        {
            var w = arrays[a];
            var g = grads[a];
            var ma = ms[a];
            var va = vs[a];
            for (var i = 0; i < w.Length; i++)
            {
                w[i] -= rate * decay * w[i];
                ma[i] = (Beta1 * ma[i]) + ((1 - Beta1) * g[i]);
                va[i] = (Beta2 * va[i]) + ((1 - Beta2) * g[i] * g[i]);
                w[i] -= rate * (ma[i] / correction1) / (Math.Sqrt(va[i] / correction2) + Epsilon);
            }
        }
    }

    internal sealed class Parameters(int inputs, int hidden, int outputs)
    {
        public int Inputs { get; } = inputs;

        public int Hidden { get; } = hidden;

        public int Outputs { get; } = outputs;

        public double[] W1 { get; } = new double[hidden * inputs];

        public double[] B1 { get; } = new double[hidden];

        public double[] W2 { get; } = new double[hidden * hidden];

        public double[] B2 { get; } = new double[hidden];

        public double[] W3 { get; } = new double[outputs * hidden];

        public double[] B3 { get; } = new double[outputs];

        public double[][] Arrays => [W1, B1, W2, B2, W3, B3];

        public void Clear()
        {
            foreach (var a in Arrays)
            {
                Array.Clear(a);
            }
        }

        // Uniform within +/- 1/sqrt(fan-in), weights and biases alike (PyTorch's default for linear layers).
        public void Initialise(Random random)
        {
            void Fill(double[] values, int fanIn)
            {
                var bound = 1 / Math.Sqrt(fanIn);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = ((2 * random.NextDouble()) - 1) * bound;
                }
            }

            Fill(W1, Inputs);
            Fill(B1, Inputs);
            Fill(W2, Hidden);
            Fill(B2, Hidden);
            Fill(W3, Hidden);
            Fill(B3, Hidden);
        }
    }

    internal sealed class Workspace(int inputs, int hidden, int outputs)
    {
        public int Inputs { get; } = inputs;

        public double[] H1 { get; } = new double[hidden];

        public double[] H2 { get; } = new double[hidden];

        public double[] Y { get; } = new double[outputs];

        public double[] DY { get; } = new double[outputs];

        public double[] D1 { get; } = new double[hidden];

        public double[] D2 { get; } = new double[hidden];
    }
}
