namespace SpineScan.Phantom;

/// <summary>Seed derivation for phantom batches: child <c>i</c> of a batch seeded <c>S</c> gets <see cref="ForChild"/>.</summary>
public static class PhantomSeeds
{
    /// <summary>A well-mixed non-negative seed for child <paramref name="index"/> of a batch seeded <paramref name="batchSeed"/>.</summary>
    public static int ForChild(int batchSeed, int index) => Derive(batchSeed, index);

    /// <summary>Mixes a seed with a stream number (SplitMix64 finaliser); the result is non-negative.</summary>
    public static int Derive(int seed, int stream)
    {
        var z = ((ulong)(uint)seed << 32) ^ (uint)stream;
        z = Mix(z + 0x9E3779B97F4A7C15UL);
        return (int)(z >> 33);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Gaussian and clamped draws on <see cref="Random"/> (seeded <see cref="Random"/> is stable across .NET versions).</summary>
internal static class RandomExtensions
{
    public static double NextGaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double NextGaussian(this Random random, double mean, double sigma, double min, double max) =>
        Math.Clamp(mean + (sigma * random.NextGaussian()), min, max);

    public static double NextUniform(this Random random, double min, double max) => min + ((max - min) * random.NextDouble());
}

/// <summary>A small, fast, deterministic generator for per-pixel noise (SplitMix64).</summary>
internal struct PixelRandom(ulong seed)
{
    private ulong _state = seed;
    private double _spare = double.NaN;

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return PhantomSeeds.Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Standard normal (Box-Muller, the second value kept for the next call).</summary>
    public double NextGaussian()
    {
        if (!double.IsNaN(_spare))
        {
            var spare = _spare;
            _spare = double.NaN;
            return spare;
        }

        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        var (s, c) = Math.SinCos(2.0 * Math.PI * u2);
        _spare = r * s;
        return r * c;
    }
}
