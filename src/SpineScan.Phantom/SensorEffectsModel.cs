using System.Buffers;
using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>The artefacts of active stereo the renderer makes (the base world makes none of them).</summary>
[Flags]
public enum StereoArtefacts
{
    None = 0,

    /// <summary>Depth noise made in the disparity domain and the disparity quantised to the matcher's 1/32 px subpixel step (the terracing it makes).</summary>
    SubpixelDisparity = 1,

    /// <summary>No depth at the left image edge where the right imager sees nothing: as wide as the scene's disparity there.</summary>
    InvalidBand = 2,

    /// <summary>No depth on the far surface just left of a near edge, where the right imager's view is blocked, as wide as the disparity difference.</summary>
    OcclusionShadows = 4,

    All = SubpixelDisparity | InvalidBand | OcclusionShadows,
}

/// <summary>
/// The camera's depth effects beyond the base sensor model, for one capture: the static low-frequency depth bias (every
/// camera), active stereo's disparity-domain noise with its spatial correlation, subpixel quantisation, invalid left band
/// and occlusion shadows, and time of flight's multipath bias in concave regions and per-row offsets. Null from
/// <see cref="For"/> when none applies, so the base phantom renders exactly as before. FIELD.md has the facts behind them.
/// </summary>
internal sealed class SensorEffectsModel
{
    /// <summary>The stereo matcher's disparity step (pixels): 1/32 px subpixel resolution of the D4xx.</summary>
    public const double SubpixelStepPx = 1.0 / 32;

    /// <summary>Multipath gathers light from about this far around a pixel (mm on the surface).</summary>
    public const double MultipathRadiusMm = 40;

    /// <summary>How far behind its neighbourhood a pixel may lie for multipath (mm); deeper steps are silhouettes, not concavities.</summary>
    public const double MultipathDepthCapMm = 25;

    private SensorEffectsModel(
        float[]? bias,
        double focalBaseline,
        double sigmaDisparityPx,
        StereoArtefacts stereo,
        CorrelatedNoise? correlated,
        double multipathGain,
        int multipathRadiusPx,
        double rowNoiseMm)
    {
        Bias = bias;
        FocalBaselinePxMm = focalBaseline;
        SigmaDisparityPx = sigmaDisparityPx;
        Stereo = stereo;
        Correlated = correlated;
        MultipathGain = multipathGain;
        MultipathRadiusPx = multipathRadiusPx;
        RowNoiseMm = rowNoiseMm;
    }

    /// <summary>The static depth bias per pixel (mm), or null.</summary>
    public float[]? Bias { get; }

    /// <summary>Focal length times baseline (px mm): disparity = this / depth; 0 for time of flight.</summary>
    public double FocalBaselinePxMm { get; }

    /// <summary>Disparity noise SD (px) that gives the sensor's calibrated depth noise at 1 m.</summary>
    public double SigmaDisparityPx { get; }

    public StereoArtefacts Stereo { get; }

    /// <summary>The spatially correlated noise field of active stereo, or null for per-pixel noise.</summary>
    public CorrelatedNoise? Correlated { get; }

    public double MultipathGain { get; }

    public int MultipathRadiusPx { get; }

    public double RowNoiseMm { get; }

    /// <summary>Whether each frame needs the stereo mask (invalid band, shadows).</summary>
    public bool NeedsMask => (Stereo & (StereoArtefacts.InvalidBand | StereoArtefacts.OcclusionShadows)) != 0;

    /// <summary>Stereo baseline of <paramref name="sensor"/> (mm); 0 for time of flight.</summary>
    public static double BaselineMm(PhantomSensor sensor) => sensor switch
    {
        PhantomSensor.RealSenseD435 => 50,
        PhantomSensor.RealSenseD455 => 95,
        _ => 0,
    };

    /// <summary>The effects of a child's capture, or null when it has none beyond the base sensor model (or is noise-free).</summary>
    public static SensorEffectsModel? For(PhantomParameters p, CameraIntrinsics intrinsics, float[]? bias)
    {
        if (p.NoiseFree)
        {
            return null;
        }

        var e = p.SensorEffects;
        var stereo = PhantomSampler.IsStereo(p.Camera.Sensor);
        var artefacts = stereo ? p.StereoArtefacts : StereoArtefacts.None;
        var correlated = stereo && e.StereoCorrelationPx > 0 ? CorrelatedNoise.ForLength(e.StereoCorrelationPx) : null;
        var multipath = stereo ? 0 : e.ToFMultipathGain;
        var rows = stereo ? 0 : e.ToFRowNoiseMm;
        if (bias is null && artefacts == StereoArtefacts.None && correlated is null && multipath == 0 && rows == 0)
        {
            return null;
        }

        var focalBaseline = intrinsics.Fx * BaselineMm(p.Camera.Sensor);

        // sigma_z = z^2 / (f B) x sigma_d: the calibrated sigma at 1 m fixes sigma_d.
        var sigmaDisparity = p.Noise.SigmaAt1mMm * focalBaseline / 1e6;
        var radius = Math.Max(1, (int)Math.Round(MultipathRadiusMm * intrinsics.Fx / p.Camera.DistanceMm));
        return new SensorEffectsModel(bias, focalBaseline, sigmaDisparity, artefacts, correlated, multipath, radius, rows);
    }

    /// <summary>Lists what is wrong with forced camera effects; empty when usable.</summary>
    public static IReadOnlyList<string> Problems(SensorEffectsDraw e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var problems = new List<string>();
        double[] values = [e.K1, e.K2, e.P1, e.P2, e.NoiseScale, e.DepthBiasMm, e.StereoCorrelationPx, e.ToFMultipathGain, e.ToFRowNoiseMm];
        if (values.Any(v => !double.IsFinite(v)))
        {
            problems.Add("camera effects must be finite numbers");
            return problems;
        }

        if (Math.Abs(e.K1) > 1 || Math.Abs(e.K2) > 1 || Math.Abs(e.P1) > 0.05 || Math.Abs(e.P2) > 0.05)
        {
            problems.Add("lens distortion must be |k1|, |k2| <= 1 and |p1|, |p2| <= 0.05");
        }

        if (e.NoiseScale is < 0 or > 10 || e.DepthBiasMm is < 0 or > 50 || e.StereoCorrelationPx is < 0 or > 40
            || e.ToFMultipathGain is < 0 or > 2 || e.ToFRowNoiseMm is < 0 or > 20)
        {
            problems.Add("noise scale must be 0..10, depth bias 0..50 mm, stereo correlation 0..40 px, multipath gain 0..2, row noise 0..20 mm");
        }

        return problems;
    }

    /// <summary>
    /// The camera's static depth bias (mm per pixel): a sum of five plane waves of at most 1.5 cycles across the image,
    /// their directions, amplitudes and phases from <paramref name="seed"/>, scaled so its largest magnitude is
    /// <paramref name="amplitudeMm"/>. The same seed and size give the same field, so every frame of both captures of a
    /// child carries it.
    /// </summary>
    public static float[] DepthBiasField(int seed, double amplitudeMm, int width, int height)
    {
        const int modes = 5;
        var random = new Random(seed);
        var field = new float[width * height];
        var cosU = new double[width];
        var sinU = new double[width];
        for (var k = 0; k < modes; k++)
        {
            var cyclesU = random.NextUniform(-1.5, 1.5);
            var cyclesV = random.NextUniform(-1.5, 1.5);
            var amplitude = random.NextUniform(0.3, 1);
            var phase = random.NextUniform(0, 2 * Math.PI);
            for (var u = 0; u < width; u++)
            {
                (sinU[u], cosU[u]) = Math.SinCos((2 * Math.PI * cyclesU * u / width) + phase);
            }

            for (var v = 0; v < height; v++)
            {
                var (sinV, cosV) = Math.SinCos(2 * Math.PI * cyclesV * v / height);
                var row = field.AsSpan(v * width, width);
                for (var u = 0; u < width; u++)
                {
                    row[u] += (float)(amplitude * ((cosU[u] * cosV) - (sinU[u] * sinV)));
                }
            }
        }

        var peak = 0f;
        foreach (var value in field)
        {
            peak = Math.Max(peak, Math.Abs(value));
        }

        var scale = peak > 0 ? (float)(amplitudeMm / peak) : 0f;
        for (var i = 0; i < field.Length; i++)
        {
            field[i] *= scale;
        }

        return field;
    }

    /// <summary>
    /// Marks the pixels active stereo leaves empty: the invalid band at the left edge (the right imager, <c>B</c> to the
    /// right, sees column u at u - d, which is off its image when negative) and the occlusion shadows (a pixel whose
    /// right-image position lies at or right of a pixel further right there: that one is nearer and blocks the view).
    /// </summary>
    public void MarkStereoHoles(ReadOnlySpan<float> depth, int width, int height, Span<bool> holes)
    {
        var band = (Stereo & StereoArtefacts.InvalidBand) != 0;
        var shadows = (Stereo & StereoArtefacts.OcclusionShadows) != 0;
        var fb = FocalBaselinePxMm;
        for (var v = 0; v < height; v++)
        {
            var row = depth.Slice(v * width, width);
            var mask = holes.Slice(v * width, width);
            var leftmost = double.PositiveInfinity;
            for (var u = width - 1; u >= 0; u--)
            {
                var z = row[u];
                var right = z < float.PositiveInfinity && z > 0 ? u - (fb / z) : u;
                mask[u] = (band && right < 0) || (shadows && right >= leftmost);
                leftmost = Math.Min(leftmost, right);
            }
        }
    }

    /// <summary>
    /// Multipath bias per pixel (mm, time of flight): the gain times how far the pixel lies behind the mean of its
    /// neighbourhood (a box of <see cref="MultipathRadiusPx"/>), where that is a concavity (0..<see cref="MultipathDepthCapMm"/>).
    /// </summary>
    public void Multipath(ReadOnlySpan<float> depth, int width, int height, Span<float> bias)
    {
        var r = MultipathRadiusPx;
        var count = width * height;
        var rowSum = ArrayPool<float>.Shared.Rent(count);
        var rowCount = ArrayPool<float>.Shared.Rent(count);
        var prefixSum = ArrayPool<double>.Shared.Rent(width + 1);
        var prefixCount = ArrayPool<int>.Shared.Rent(width + 1);
        var accSum = ArrayPool<double>.Shared.Rent(width);
        var accCount = ArrayPool<double>.Shared.Rent(width);
        try
        {
            for (var v = 0; v < height; v++)
            {
                var row = depth.Slice(v * width, width);
                prefixSum[0] = 0;
                prefixCount[0] = 0;
                for (var u = 0; u < width; u++)
                {
                    var finite = row[u] < float.PositiveInfinity;
                    prefixSum[u + 1] = prefixSum[u] + (finite ? row[u] : 0);
                    prefixCount[u + 1] = prefixCount[u] + (finite ? 1 : 0);
                }

                for (var u = 0; u < width; u++)
                {
                    var lo = Math.Max(0, u - r);
                    var hi = Math.Min(width, u + r + 1);
                    rowSum[(v * width) + u] = (float)(prefixSum[hi] - prefixSum[lo]);
                    rowCount[(v * width) + u] = prefixCount[hi] - prefixCount[lo];
                }
            }

            Array.Clear(accSum, 0, width);
            Array.Clear(accCount, 0, width);
            for (var v = 0; v < Math.Min(r, height); v++)
            {
                Accumulate(rowSum, rowCount, v * width, width, accSum, accCount, 1);
            }

            for (var v = 0; v < height; v++)
            {
                if (v + r < height)
                {
                    Accumulate(rowSum, rowCount, (v + r) * width, width, accSum, accCount, 1);
                }

                if (v - r - 1 >= 0)
                {
                    Accumulate(rowSum, rowCount, (v - r - 1) * width, width, accSum, accCount, -1);
                }

                var row = depth.Slice(v * width, width);
                var output = bias.Slice(v * width, width);
                for (var u = 0; u < width; u++)
                {
                    var z = row[u];
                    if (!(z < float.PositiveInfinity) || accCount[u] <= 0)
                    {
                        output[u] = 0;
                        continue;
                    }

                    var behind = z - (accSum[u] / accCount[u]);
                    output[u] = (float)(MultipathGain * Math.Clamp(behind, 0, MultipathDepthCapMm));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowSum);
            ArrayPool<float>.Shared.Return(rowCount);
            ArrayPool<double>.Shared.Return(prefixSum);
            ArrayPool<int>.Shared.Return(prefixCount);
            ArrayPool<double>.Shared.Return(accSum);
            ArrayPool<double>.Shared.Return(accCount);
        }
    }

    /// <summary>Per-row offsets of one frame (mm), time of flight's rows of motion noise.</summary>
    public void RowOffsets(ulong seed, Span<float> rows)
    {
        var random = new PixelRandom(seed ^ 0x5EED_0F_0005UL);
        for (var v = 0; v < rows.Length; v++)
        {
            rows[v] = (float)(RowNoiseMm * random.NextGaussian());
        }
    }

    private static void Accumulate(float[] sums, float[] counts, int start, int width, double[] accSum, double[] accCount, int sign)
    {
        for (var u = 0; u < width; u++)
        {
            accSum[u] += sign * sums[start + u];
            accCount[u] += sign * counts[start + u];
        }
    }
}

/// <summary>
/// A spatially correlated unit-variance noise field, new each frame: white uniform noise blurred by three boxes (a
/// separable, nearly Gaussian kernel at O(1) cost per pixel whatever its width) and divided by the kernel's norm, so
/// every pixel has variance 1 exactly in expectation (and is close to Gaussian by the central limit theorem). The boxes
/// are chosen so that the correlation at a lag of the correlation length is 1/e, the lag where a Gaussian correlation
/// exp(-r^2 / L^2) falls to 1/e.
/// </summary>
internal sealed class CorrelatedNoise
{
    private readonly int[] _radii;
    private readonly double[] _kernel;
    private readonly float _scale;

    private CorrelatedNoise(int[] radii)
    {
        _radii = radii;
        _kernel = Kernel(radii);
        var sumSquares = _kernel.Sum(k => k * k);

        // The 2D kernel is the outer product: its squared norm is the 1D one squared.
        _scale = (float)(1 / sumSquares);
    }

    /// <summary>The box radii, smallest first.</summary>
    public IReadOnlyList<int> Radii => _radii;

    /// <summary>How many pixels the field reaches beyond a pixel on each side.</summary>
    public int Reach => _radii.Sum();

    /// <summary>The expected correlation of two pixels <paramref name="lag"/> apart along a row or column (linear between whole lags).</summary>
    public double CorrelationAt(double lag)
    {
        var whole = (int)Math.Floor(lag);
        var fraction = lag - whole;
        return ((1 - fraction) * Correlation(_kernel, whole)) + (fraction * Correlation(_kernel, whole + 1));
    }

    /// <summary>The three boxes whose field's correlation at <paramref name="lengthPx"/> is nearest 1/e (ties: the most even boxes).</summary>
    public static CorrelatedNoise ForLength(double lengthPx)
    {
        var target = Math.Exp(-1);
        var max = Math.Max(1, (int)Math.Ceiling(lengthPx / 2)) + 2;
        int[]? best = null;
        var bestError = double.PositiveInfinity;
        for (var a = 0; a <= max; a++)
        {
            for (var b = a; b <= max; b++)
            {
                for (var c = Math.Max(b, 1); c <= max; c++)
                {
                    int[] radii = [a, b, c];
                    var kernel = Kernel(radii);
                    var whole = (int)Math.Floor(lengthPx);
                    var fraction = lengthPx - whole;
                    var rho = ((1 - fraction) * Correlation(kernel, whole)) + (fraction * Correlation(kernel, whole + 1));
                    var error = Math.Abs(rho - target) + (1e-4 * (c - a));
                    if (error < bestError)
                    {
                        bestError = error;
                        best = radii;
                    }
                }
            }
        }

        return new CorrelatedNoise(best!);
    }

    /// <summary>Fills <paramref name="output"/> (width x height) with a new field drawn from <paramref name="seed"/>.</summary>
    public void Fill(ulong seed, int width, int height, Span<float> output)
    {
        var pad = Reach;
        var paddedWidth = width + (2 * pad);
        var paddedHeight = height + (2 * pad);
        var columns = ArrayPool<float>.Shared.Rent(width * paddedHeight);
        var other = ArrayPool<float>.Shared.Rent(width * paddedHeight);
        var line = ArrayPool<float>.Shared.Rent(paddedWidth);
        var lineOut = ArrayPool<float>.Shared.Rent(paddedWidth);
        try
        {
            var random = new PixelRandom(seed);
            const float twelve = 3.4641016f; // sqrt(12): a uniform on (-0.5, 0.5) times this has variance 1
            for (var v = 0; v < paddedHeight; v++)
            {
                for (var u = 0; u < paddedWidth; u += 2)
                {
                    var bits = random.NextULong();
                    line[u] = (((uint)bits * (1f / 4294967296f)) - 0.5f) * twelve;
                    if (u + 1 < paddedWidth)
                    {
                        line[u + 1] = (((uint)(bits >> 32) * (1f / 4294967296f)) - 0.5f) * twelve;
                    }
                }

                // Three horizontal boxes, each shortening the line by twice its radius, down to the image width.
                var length = paddedWidth;
                var source = line;
                var target = lineOut;
                foreach (var r in _radii)
                {
                    BoxAlong(source.AsSpan(0, length), r, target.AsSpan(0, length - (2 * r)));
                    length -= 2 * r;
                    (source, target) = (target, source);
                }

                source.AsSpan(0, width).CopyTo(columns.AsSpan(v * width, width));
            }

            // Three vertical boxes by running sums over whole rows.
            var rows = paddedHeight;
            var from = columns;
            var to = other;
            foreach (var r in _radii)
            {
                BoxDown(from, width, rows, r, to);
                rows -= 2 * r;
                (from, to) = (to, from);
            }

            var scale = _scale;
            var result = from.AsSpan(0, width * height);
            for (var i = 0; i < result.Length; i++)
            {
                output[i] = result[i] * scale;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(columns);
            ArrayPool<float>.Shared.Return(other);
            ArrayPool<float>.Shared.Return(line);
            ArrayPool<float>.Shared.Return(lineOut);
        }
    }

    // Sum over 2r + 1 values: output[i] = input[i] + ... + input[i + 2r] (valid part only).
    private static void BoxAlong(ReadOnlySpan<float> input, int r, Span<float> output)
    {
        if (r == 0)
        {
            input[..output.Length].CopyTo(output);
            return;
        }

        double sum = 0;
        for (var k = 0; k <= 2 * r; k++)
        {
            sum += input[k];
        }

        output[0] = (float)sum;
        for (var i = 1; i < output.Length; i++)
        {
            sum += input[i + (2 * r)] - input[i - 1];
            output[i] = (float)sum;
        }
    }

    private static void BoxDown(float[] input, int width, int rows, int r, float[] output)
    {
        var outputRows = rows - (2 * r);
        if (r == 0)
        {
            input.AsSpan(0, width * outputRows).CopyTo(output);
            return;
        }

        var acc = output.AsSpan(0, width);
        acc.Clear();
        for (var k = 0; k <= 2 * r; k++)
        {
            AddRow(acc, input.AsSpan(k * width, width), 1);
        }

        for (var i = 1; i < outputRows; i++)
        {
            var previous = output.AsSpan((i - 1) * width, width);
            var current = output.AsSpan(i * width, width);
            previous.CopyTo(current);
            AddRow(current, input.AsSpan((i + (2 * r)) * width, width), 1);
            AddRow(current, input.AsSpan((i - 1) * width, width), -1);
        }
    }

    private static void AddRow(Span<float> acc, ReadOnlySpan<float> row, float sign)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var lanes = System.Numerics.Vector<float>.Count;
            var s = new System.Numerics.Vector<float>(sign);
            for (; i <= acc.Length - lanes; i += lanes)
            {
                (new System.Numerics.Vector<float>(acc[i..]) + (new System.Numerics.Vector<float>(row[i..]) * s)).CopyTo(acc[i..]);
            }
        }

        for (; i < acc.Length; i++)
        {
            acc[i] += sign * row[i];
        }
    }

    // The 1D kernel: three boxes of ones convolved (integer weights).
    private static double[] Kernel(int[] radii)
    {
        double[] kernel = [1];
        foreach (var r in radii)
        {
            var next = new double[kernel.Length + (2 * r)];
            for (var i = 0; i < kernel.Length; i++)
            {
                for (var k = 0; k <= 2 * r; k++)
                {
                    next[i + k] += kernel[i];
                }
            }

            kernel = next;
        }

        return kernel;
    }

    private static double Correlation(double[] kernel, int lag)
    {
        double same = 0, shifted = 0;
        for (var i = 0; i < kernel.Length; i++)
        {
            same += kernel[i] * kernel[i];
            if (i + lag < kernel.Length)
            {
                shifted += kernel[i] * kernel[i + lag];
            }
        }

        return shifted / same;
    }
}
