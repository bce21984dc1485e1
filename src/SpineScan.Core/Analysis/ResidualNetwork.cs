using System.Numerics.Tensors;

namespace SpineScan.Core.Analysis;

/// <summary>
/// A small fully connected network, two tanh hidden layers of <see cref="Hidden"/> units, that corrects what a
/// linear map leaves: inputs are standardised by <see cref="InputMean"/> and <see cref="InputScale"/>, the outputs
/// are multiplied by <see cref="OutputScale"/>. Weights are row-major (output unit by input unit).
/// </summary>
public sealed record ResidualNetwork(
    double[] InputMean,
    double[] InputScale,
    int Hidden,
    double[] W1,
    double[] B1,
    double[] W2,
    double[] B2,
    double[] W3,
    double[] B3,
    double OutputScale)
{
    /// <summary>Largest <see cref="Hidden"/> accepted: evaluation keeps its layers on the stack.</summary>
    public const int MaxHidden = 256;

    public int Inputs => InputMean.Length;

    public int Outputs => B3.Length;

    /// <summary>Lists what makes this network unusable; empty when it is fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Hidden < 1 || Hidden > MaxHidden)
        {
            problems.Add($"{nameof(Hidden)} must be 1-{MaxHidden}, not {Hidden}");
            return problems;
        }

        var inputs = InputMean?.Length ?? 0;
        var outputs = B3?.Length ?? 0;
        void Check(string name, double[]? values, int length)
        {
            if (values is null || values.Length != length || !values.All(double.IsFinite))
            {
                problems.Add($"{name} needs {length} finite values");
            }
        }

        Check(nameof(InputScale), InputScale, inputs);
        Check(nameof(W1), W1, Hidden * inputs);
        Check(nameof(B1), B1, Hidden);
        Check(nameof(W2), W2, Hidden * Hidden);
        Check(nameof(B2), B2, Hidden);
        Check(nameof(W3), W3, outputs * Hidden);
        if (inputs == 0 || outputs == 0)
        {
            problems.Add("The network needs inputs and outputs");
        }

        if (InputScale is not null && InputScale.Any(s => !(s > 0)))
        {
            problems.Add($"{nameof(InputScale)} must be positive");
        }

        if (!double.IsFinite(OutputScale))
        {
            problems.Add($"{nameof(OutputScale)} must be finite");
        }

        return problems;
    }

    /// <summary>Adds the network's outputs to <paramref name="outputs"/>; allocates nothing.</summary>
    public void AddTo(ReadOnlySpan<double> inputs, Span<double> outputs)
    {
        if (inputs.Length != Inputs || outputs.Length != Outputs)
        {
            throw new ArgumentException($"The network takes {Inputs} inputs and gives {Outputs} outputs, not {inputs.Length} and {outputs.Length}.");
        }

        Span<double> z = stackalloc double[Inputs];
        Span<double> h1 = stackalloc double[Hidden];
        Span<double> h2 = stackalloc double[Hidden];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = (inputs[i] - InputMean[i]) / InputScale[i];
        }

        Layer(W1, B1, z, h1, true);
        Layer(W2, B2, h1, h2, true);
        for (var o = 0; o < outputs.Length; o++)
        {
            outputs[o] += OutputScale * (B3[o] + TensorPrimitives.Dot(W3.AsSpan(o * Hidden, Hidden), h2));
        }
    }

    /// <summary>
    /// The network as text: a header (inputs, hidden units, outputs) and every number as a little-endian float32, in
    /// base 64. Single precision is ample for weights fitted to millimetres, and keeps the generated source small.
    /// </summary>
    public string ToBase64()
    {
        var values = Arrays().SelectMany(a => a).Append(OutputScale).ToArray();
        var bytes = new byte[12 + (4 * values.Length)];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), Inputs);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), Hidden);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), Outputs);
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(12 + (4 * i)), (float)values[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>Reads <see cref="ToBase64"/>'s text; a clear error when it is not such a network.</summary>
    public static ResidualNetwork FromBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new FormatException("The network text is not base 64.", e);
        }

        if (bytes.Length < 12)
        {
            throw new FormatException("The network text is too short for its header.");
        }

        int inputs = BitConverter.ToInt32(bytes, 0), hidden = BitConverter.ToInt32(bytes, 4), outputs = BitConverter.ToInt32(bytes, 8);
        if (inputs is < 1 or > 100_000 || hidden is < 1 or > MaxHidden || outputs is < 1 or > 100_000)
        {
            throw new FormatException($"The network header ({inputs} inputs, {hidden} hidden, {outputs} outputs) is impossible.");
        }

        int[] lengths = [inputs, inputs, hidden * inputs, hidden, hidden * hidden, hidden, outputs * hidden, outputs, 1];
        if (bytes.Length != 12 + (4 * lengths.Sum()))
        {
            throw new FormatException($"The network text holds {(bytes.Length - 12) / 4} numbers; {inputs} inputs, {hidden} hidden and {outputs} outputs need {lengths.Sum()}.");
        }

        var offset = 12;
        var arrays = lengths.Select(length =>
        {
            var values = new double[length];
            for (var i = 0; i < length; i++, offset += 4)
            {
                values[i] = BitConverter.ToSingle(bytes, offset);
            }

            return values;
        }).ToArray();
        return new ResidualNetwork(arrays[0], arrays[1], hidden, arrays[2], arrays[3], arrays[4], arrays[5], arrays[6], arrays[7], arrays[8][0]);
    }

    private double[][] Arrays() => [InputMean, InputScale, W1, B1, W2, B2, W3, B3];

    /// <summary>One fully connected layer: output = weights x input + bias, through tanh when <paramref name="tanh"/>.</summary>
    public static void Layer(ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, ReadOnlySpan<double> input, Span<double> output, bool tanh)
    {
        for (var j = 0; j < output.Length; j++)
        {
            var sum = bias[j] + TensorPrimitives.Dot(weights.Slice(j * input.Length, input.Length), input);
            output[j] = tanh ? Math.Tanh(sum) : sum;
        }
    }
}
