namespace SpineScan.Core.Spine;

/// <summary>
/// Parameters of <see cref="VertebralTiltModel"/>: tilt = gain x tangent + SD x e, with e a unit-variance AR(1)
/// sequence along the spine (correlation <paramref name="Lag1Correlation"/> between neighbouring levels).
/// Three level groups: the top level (T1, and C7 if given), the bottom level L5, and the levels between.
/// </summary>
public sealed record TiltModelParameters(
    double TopGain,
    double MiddleGain,
    double BottomGain,
    double TopSdDeg,
    double MiddleSdDeg,
    double BottomSdDeg,
    double Lag1Correlation)
{
    /// <summary>Gain for a level.</summary>
    public double GainAt(VertebralLevel level) =>
        level <= VertebralLevel.T1 ? TopGain : level >= VertebralLevel.L5 ? BottomGain : MiddleGain;

    /// <summary>Residual SD (degrees) for a level.</summary>
    public double SdAt(VertebralLevel level) =>
        level <= VertebralLevel.T1 ? TopSdDeg : level >= VertebralLevel.L5 ? BottomSdDeg : MiddleSdDeg;
}

/// <summary>
/// How real vertebrae's frontal endplate tilts differ from the tangent of the spinal centre line
/// (wedging, rotation, measurement scatter), so that phantom Cobb angles relate to the spinal line as
/// radiographic ones do.
/// Angles are in degrees in the frontal plane, image convention (+x right, +y down): a tangent angle is
/// atan(dx/dy) of the centre line; a vertebra's tilt is measured on the same sign convention, so a
/// vertebra lying exactly perpendicular to the centre line has tilt = tangent angle.
/// </summary>
/// <remarks>
/// Fitted on the AASCE 2019 training split (the 457 of 481 radiographs whose 17 centres run downwards): tilt = -atan2(dy, dx) of the challenge's
/// left-mid to right-mid direction; tangent = <see cref="CentreLineCobb.TangentsDeg"/> of the 17 vertebral
/// centres (mean of the four corners) with end weight 1. Gains by least squares through the origin per level
/// group, SDs as the RMS of the residuals per group, the correlation as the lag-1 correlation of the standardised
/// residuals of neighbouring levels within each spine. A constant per-level term was measured (under 1 degree
/// at every level) and left out: it reflects the right-thoracic majority of that clinic, not anatomy.
/// The gains below 1 include regression dilution from the scatter of the measured centres.
/// Refit and print with: spinescan-lab validate aasce --data DIR --fit
/// </remarks>
public static class VertebralTiltModel
{
    private const double FittedTopGain = 0.617;
    private const double FittedMiddleGain = 0.897;
    private const double FittedBottomGain = 0.673;
    private const double FittedTopSdDeg = 3.91;
    private const double FittedMiddleSdDeg = 2.97;
    private const double FittedBottomSdDeg = 7.62;
    private const double FittedLag1Correlation = 0.422;

    /// <summary>The model fitted on the AASCE 2019 training split.</summary>
    public static TiltModelParameters Fitted { get; } = new(
        FittedTopGain, FittedMiddleGain, FittedBottomGain, FittedTopSdDeg, FittedMiddleSdDeg, FittedBottomSdDeg, FittedLag1Correlation);

    /// <summary>
    /// Endplate tilts (degrees) for vertebrae T1..L5 (top to bottom) whose centre-line tangent angles are
    /// <paramref name="tangentDeg"/>; <paramref name="random"/> draws the per-vertebra deviations.
    /// </summary>
    public static double[] EndplateTiltsDeg(ReadOnlySpan<double> tangentDeg, Random random) =>
        EndplateTiltsDeg(tangentDeg, VertebralLevel.T1, Fitted, random);

    /// <summary>
    /// Endplate tilts (degrees) for consecutive vertebrae starting at <paramref name="firstLevel"/> with the given
    /// centre-line tangents, drawn from <paramref name="parameters"/>.
    /// </summary>
    public static double[] EndplateTiltsDeg(
        ReadOnlySpan<double> tangentDeg, VertebralLevel firstLevel, TiltModelParameters parameters, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(parameters);
        if ((int)firstLevel + tangentDeg.Length - 1 > (int)VertebralLevel.L5)
        {
            throw new ArgumentException($"{tangentDeg.Length} levels from {firstLevel} run past L5.", nameof(tangentDeg));
        }

        var tilts = new double[tangentDeg.Length];
        FillEndplateTiltsDeg(tangentDeg, firstLevel, parameters, random, tilts);
        return tilts;
    }

    /// <summary>As <see cref="EndplateTiltsDeg(ReadOnlySpan{double}, VertebralLevel, TiltModelParameters, Random)"/>, into <paramref name="tilts"/> (no allocation).</summary>
    public static void FillEndplateTiltsDeg(
        ReadOnlySpan<double> tangentDeg, VertebralLevel firstLevel, TiltModelParameters parameters, Random random, Span<double> tilts)
    {
        var rho = Math.Clamp(parameters.Lag1Correlation, -0.99, 0.99);
        var innovation = Math.Sqrt(1 - (rho * rho));
        double e = 0;
        for (var i = 0; i < tangentDeg.Length; i++)
        {
            var z = StandardNormal(random);
            e = i == 0 ? z : (rho * e) + (innovation * z);
            var level = (VertebralLevel)((int)firstLevel + i);
            tilts[i] = (parameters.GainAt(level) * tangentDeg[i]) + (parameters.SdAt(level) * e);
        }
    }

    private static double StandardNormal(Random random)
    {
        // Box-Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
