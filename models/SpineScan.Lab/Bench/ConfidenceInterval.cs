using SpineScan.Lab.Fitting;

namespace SpineScan.Lab.Bench;

/// <summary>A two-sided 95 % confidence interval.</summary>
public readonly record struct ConfidenceInterval(double Low, double High)
{
    // The normal quantile of a two-sided 95 % interval.
    private const double Z = 1.959963984540054;

    /// <summary>No interval (no observations).</summary>
    public static ConfidenceInterval None { get; } = new(double.NaN, double.NaN);

    /// <summary>
    /// The Wilson score interval of a proportion, <paramref name="successes"/> of <paramref name="trials"/>. A batch of
    /// 100 phantoms holds about 30 curves of 20 degrees or more, so a sensitivity read on one batch is uncertain by
    /// several points; the Wilson interval stays inside [0, 1] and keeps its coverage at proportions near 1.
    /// </summary>
    public static ConfidenceInterval Wilson(int successes, int trials)
    {
        if (trials < 0 || successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes of {trials} trials is not a proportion.");
        }

        if (trials == 0)
        {
            return None;
        }

        var p = successes / (double)trials;
        var z2 = Z * Z;
        var centre = (p + (z2 / (2 * trials))) / (1 + (z2 / trials));
        var half = Z / (1 + (z2 / trials)) * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4.0 * trials * trials)));
        return new ConfidenceInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The percentile bootstrap interval of the mean of <paramref name="values"/> (for the MAE, the absolute errors),
    /// from <paramref name="resamples"/> resamples drawn with a fixed seed, so the same batch always prints the same interval.
    /// </summary>
    public static ConfidenceInterval BootstrapMean(IReadOnlyList<double> values, int resamples = 2000, int seed = 17)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 100);
        if (values.Count == 0)
        {
            return None;
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (var i = 0; i < values.Count; i++)
            {
                sum += values[random.Next(values.Count)];
            }

            means[r] = sum / values.Count;
        }

        Array.Sort(means);
        return new ConfidenceInterval(means[(int)(0.025 * (resamples - 1))], means[(int)Math.Ceiling(0.975 * (resamples - 1))]);
    }
}
