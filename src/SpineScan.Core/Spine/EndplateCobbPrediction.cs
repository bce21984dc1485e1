using SpineScan.Core.Depth;

namespace SpineScan.Core.Spine;

/// <summary>
/// The endplate (radiographic) Cobb angle a vertebral centre line implies under <see cref="VertebralTiltModel"/>: the
/// median, over draws of the model's per-vertebra scatter, of the largest angle between two endplates. It is the
/// best reading in mean absolute error that any method knowing only the centre line can give, because the scatter
/// itself shows on no surface. The accuracy bench runs it on the phantom's true centres to measure that floor; the
/// surface estimator runs it on the reconstructed line for the largest curve (<see cref="CentreLineCobbOptions.EndplateMedianGain"/>).
/// It takes about a millisecond and allocates only its random source.
/// </summary>
/// <remarks>
/// The largest angle between two endplate directions is the largest tilt minus the smallest (tilts stay well within
/// +/-90 degrees), which is what <see cref="ChallengeCobb"/> reports as the first angle. The draws come from a fixed
/// seed, so a line always gets the same prediction.
/// </remarks>
public static class EndplateCobbPrediction
{
    /// <summary>Draws of the scatter per prediction: the median's own sampling SD is then under 0.2 degrees.</summary>
    public const int Draws = 301;

    private const int Seed = 20190601;

    /// <summary>
    /// The median endplate Cobb angle (degrees) of vertebrae T1..L5 whose centres are <paramref name="centresT1ToL5"/>
    /// (17 points, top to bottom, +x right, +y down), their tangents taken as in the tilt model's fit
    /// (<see cref="CentreLineCobb.TangentsDeg"/> with end weight 1).
    /// </summary>
    public static double MedianDeg(ReadOnlySpan<Vector2d> centresT1ToL5, TiltModelParameters parameters) =>
        Distribution(centresT1ToL5, parameters).MedianDeg;

    /// <summary>
    /// The 5th percentile, median and 95th percentile of the endplate Cobb angle (degrees) that vertebrae T1..L5 centred
    /// on <paramref name="centresT1ToL5"/> show under <paramref name="parameters"/>: what a radiograph of that centre line
    /// may read, 90 % of the time between the two ends.
    /// </summary>
    public static (double LowerDeg, double MedianDeg, double UpperDeg) Distribution(ReadOnlySpan<Vector2d> centresT1ToL5, TiltModelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (centresT1ToL5.Length != 17)
        {
            throw new ArgumentException($"The centres of the 17 vertebrae T1..L5 are needed, not {centresT1ToL5.Length}.", nameof(centresT1ToL5));
        }

        var tangents = CentreLineCobb.TangentsDeg(centresT1ToL5, 1);
        var random = new Random(Seed);
        Span<double> angles = stackalloc double[Draws];
        Span<double> tilts = stackalloc double[17];
        for (var d = 0; d < Draws; d++)
        {
            VertebralTiltModel.FillEndplateTiltsDeg(tangents, VertebralLevel.T1, parameters, random, tilts);
            double max = double.MinValue, min = double.MaxValue;
            foreach (var tilt in tilts)
            {
                max = Math.Max(max, tilt);
                min = Math.Min(min, tilt);
            }

            angles[d] = max - min;
        }

        angles.Sort();
        return (angles[Draws / 20], angles[Draws / 2], angles[Draws - 1 - (Draws / 20)]);
    }
}
