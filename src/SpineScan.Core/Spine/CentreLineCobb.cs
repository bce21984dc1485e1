using SpineScan.Contracts;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Spine;

/// <summary>Tuning of <see cref="CentreLineCobb"/>.</summary>
/// <param name="EndTangentWeight">
/// How much of the tangent change from the second level to the end level is kept at each end of the line (0..1):
/// the end tangents come from one-sided differences and relate worst to the end vertebrae's tilts.
/// </param>
/// <param name="SoftExtremeScaleDeg">
/// Temperature (degrees) of the log-mean-exp "soft" extreme that replaces each end vertebra's tangent: levels whose
/// tangent is within a few of this of the extreme count too, as radiographic end vertebrae are picked among them.
/// </param>
/// <param name="LinearGain">Calibration, radiographic Cobb = LinearGain x s + SqrtGain x sqrt(s), s the soft tangent difference.</param>
/// <param name="SqrtGain">See <paramref name="LinearGain"/>.</param>
/// <param name="MinCurveDeg">Tangent reversals smaller than this (degrees) are merged into the surrounding curve.</param>
/// <param name="EndplateMedianGain">
/// When above 0 (and the line is the 17 levels T1..L5), the largest curve's angle is EndplateMedianGain x m +
/// <paramref name="EndplateMedianOffsetDeg"/>, m the median radiographic Cobb angle the line implies under the
/// vertebral tilt model (<see cref="EndplateCobbPrediction"/>): the whole line's shape, not only its two extreme
/// tangents, decides how large the largest endplate angle is likely to be. Other curves keep the calibration.
/// </param>
/// <param name="EndplateMedianOffsetDeg">See <paramref name="EndplateMedianGain"/>.</param>
/// <param name="EndplateTilts">The tilt model the endplate median draws from; required when <paramref name="EndplateMedianGain"/> is above 0 (it is part of the fitted model, never a phantom constant).</param>
public sealed record CentreLineCobbOptions(
    double EndTangentWeight,
    double SoftExtremeScaleDeg,
    double LinearGain,
    double SqrtGain,
    double MinCurveDeg,
    double EndplateMedianGain = 0,
    double EndplateMedianOffsetDeg = 0,
    TiltModelParameters? EndplateTilts = null)
{
    // Fitted on the AASCE 2019 training split only (481 radiographs; centres = mean of each vertebra's four
    // corners): EndTangentWeight and SoftExtremeScaleDeg chosen by 10-fold cross-validation of the MAE of the
    // largest angle over a small grid, then LinearGain and SqrtGain by least absolute deviations (through the
    // origin, so a straight spine reads 0). Refit and print with: spinescan-lab validate aasce --data DIR --fit
    private const double FittedEndTangentWeight = 0.25;
    private const double FittedSoftExtremeScaleDeg = 4.0;
    private const double FittedLinearGain = 0.612;
    private const double FittedSqrtGain = 3.988;

    /// <summary>Curves whose tangent change is under this many degrees are folded into their neighbours.</summary>
    public const double DefaultMinCurveDeg = 5.0;

    /// <summary>The calibrated estimator (radiographic-equivalent Cobb angles).</summary>
    public static CentreLineCobbOptions Default { get; } = new(
        FittedEndTangentWeight, FittedSoftExtremeScaleDeg, FittedLinearGain, FittedSqrtGain, DefaultMinCurveDeg);

    /// <summary>Pure geometry: curve angles are plain tangent differences between the end levels.</summary>
    public static CentreLineCobbOptions Geometric { get; } = new(1.0, 0.0, 1.0, 0.0, DefaultMinCurveDeg);

    /// <summary>Lists what makes these options unusable; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(EndTangentWeight >= 0 && EndTangentWeight <= 1))
        {
            problems.Add("EndTangentWeight must lie in 0..1");
        }

        if (!(SoftExtremeScaleDeg >= 0) || !double.IsFinite(SoftExtremeScaleDeg))
        {
            problems.Add("SoftExtremeScaleDeg must be a finite number >= 0");
        }

        if (!double.IsFinite(LinearGain) || !double.IsFinite(SqrtGain) || LinearGain < 0 || SqrtGain < 0)
        {
            problems.Add("LinearGain and SqrtGain must be finite numbers >= 0");
        }

        if (!(MinCurveDeg >= 0) || !double.IsFinite(MinCurveDeg))
        {
            problems.Add("MinCurveDeg must be a finite number >= 0");
        }

        if (!(EndplateMedianGain >= 0) || !double.IsFinite(EndplateMedianGain) || !double.IsFinite(EndplateMedianOffsetDeg))
        {
            problems.Add("EndplateMedianGain must be a finite number >= 0 and EndplateMedianOffsetDeg finite");
        }

        if (EndplateMedianGain > 0 && EndplateTilts is null)
        {
            problems.Add("EndplateTilts is needed when EndplateMedianGain is above 0");
        }

        return problems;
    }
}

/// <summary>One frontal curve of the spinal line.</summary>
/// <param name="AngleDeg">Estimated (calibrated) Cobb angle in degrees, always >= 0.</param>
/// <param name="TangentDifferenceDeg">Plain difference of the line's tangent angle between the two end levels.</param>
/// <param name="UpperEnd">Index (0 = first given level) of the upper end level.</param>
/// <param name="LowerEnd">Index of the lower end level.</param>
/// <param name="Apex">Index of the level farthest from the chord joining the two end levels.</param>
/// <param name="ApexLevel">The anatomical level of <paramref name="Apex"/>.</param>
/// <param name="Region">Region named from the apex level.</param>
/// <param name="ConvexRight">Whether the curve bulges to +x (to the image's right).</param>
/// <param name="Interval90">Where the true (radiographic) angle lies with 90 % probability, given the capture's evidence; null when no interval was made.</param>
public sealed record SpinalCurve(
    double AngleDeg,
    double TangentDifferenceDeg,
    int UpperEnd,
    int LowerEnd,
    int Apex,
    VertebralLevel ApexLevel,
    CurveRegion Region,
    bool ConvexRight,
    CobbInterval? Interval90 = null);

/// <summary>Result of <see cref="CentreLineCobb.Estimate(ReadOnlySpan{Vector2d}, VertebralLevel, CentreLineCobbOptions?)"/>.</summary>
/// <param name="Curves">Up to three curves, top to bottom: the largest and its neighbours above and below.</param>
/// <param name="Largest">The curve with the largest angle.</param>
/// <param name="Pattern">C, or S when a countercurve of at least <see cref="CentreLineCobb.SPatternMinorDeg"/> lies above or below the largest.</param>
/// <param name="TangentsDeg">Tangent angle atan(dx/dy) of the line at each level, degrees, as used (ends weighted).</param>
public sealed record CentreLineCobbResult(
    IReadOnlyList<SpinalCurve> Curves,
    SpinalCurve Largest,
    CurvePattern Pattern,
    double[] TangentsDeg)
{
    /// <summary>Index of <see cref="Largest"/> in <see cref="Curves"/>.</summary>
    public int LargestIndex => Curves.ToList().IndexOf(Largest);

    /// <summary>
    /// The three angles in the order of the AASCE challenge's angle files: the largest curve, the curve above it
    /// (0 when the largest starts at the first level), the curve below it (0 when it ends at the last level).
    /// </summary>
    public double[] ChallengeOrderDeg()
    {
        var main = LargestIndex;
        var above = main > 0 ? Curves[main - 1].AngleDeg : 0;
        var below = main < Curves.Count - 1 ? Curves[main + 1].AngleDeg : 0;
        return [Largest.AngleDeg, above, below];
    }
}

/// <summary>
/// Cobb angles from a spinal centre line (DESIGN.md, "Clinical metrics"): the tangent angle theta = atan(dx/dy)
/// at each vertebral level; curves run between the line's alternating tangent extremes (its inflection levels);
/// each curve's angle is the difference of theta between its end levels, calibrated on the AASCE 2019 training
/// radiographs to the endplate Cobb angle a radiograph would show.
/// </summary>
/// <remarks>
/// Input: the centres of consecutive vertebrae, top to bottom, in any one length unit, +x right, +y down (an
/// image, or the frontal projection of a 3D spinal line). Any number of levels from <see cref="MinLevels"/> on
/// works; the first one is <c>firstLevel</c> (T1 for the 17 levels T1..L5, C7 for 18 levels C7..L5), which only
/// names the apex levels and regions. The calibration was fitted on 17 levels; levels must be about evenly spaced.
/// </remarks>
public static class CentreLineCobb
{
    /// <summary>Fewest levels accepted.</summary>
    public const int MinLevels = 4;

    /// <summary>A countercurve at least this large (degrees) makes the pattern S.</summary>
    public const double SPatternMinorDeg = 10.0;

    /// <summary>Estimates the frontal curves of a centre line.</summary>
    /// <param name="centres">Vertebral centres, top to bottom (the last below the first); no two neighbours may coincide.</param>
    /// <param name="firstLevel">The anatomical level of <c>centres[0]</c>.</param>
    /// <param name="options">Tuning; <see cref="CentreLineCobbOptions.Default"/> when null.</param>
    public static CentreLineCobbResult Estimate(
        ReadOnlySpan<Vector2d> centres,
        VertebralLevel firstLevel = VertebralLevel.T1,
        CentreLineCobbOptions? options = null)
    {
        options ??= CentreLineCobbOptions.Default;
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid options: " + string.Join("; ", problems), nameof(options));
        }

        var n = centres.Length;
        if (n < MinLevels)
        {
            throw new ArgumentException($"The centre line needs at least {MinLevels} levels, got {n}.", nameof(centres));
        }

        if ((int)firstLevel + n - 1 > (int)VertebralLevel.L5)
        {
            throw new ArgumentException($"{n} levels starting at {firstLevel} run past L5.", nameof(centres));
        }

        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(centres[i].X) || !double.IsFinite(centres[i].Y))
            {
                throw new ArgumentException($"Centre {i} is not a finite point.", nameof(centres));
            }
        }

        if (!(centres[n - 1].Y > centres[0].Y))
        {
            throw new ArgumentException("The centre line must run top to bottom (+y down).", nameof(centres));
        }

        var tangents = TangentsDeg(centres, options.EndTangentWeight);
        var pivots = TangentExtremes(tangents, options.MinCurveDeg);
        var curves = new List<SpinalCurve>(pivots.Count - 1);
        for (var k = 0; k + 1 < pivots.Count; k++)
        {
            var upper = pivots[k];
            var lower = pivots[k + 1];
            var rising = tangents[lower] > tangents[upper];
            var from = k > 0 ? pivots[k - 1] : upper;
            var to = k + 2 < pivots.Count ? pivots[k + 2] : lower;
            var upperSoft = SoftExtreme(tangents, from, lower, !rising, options.SoftExtremeScaleDeg);
            var lowerSoft = SoftExtreme(tangents, upper, to, rising, options.SoftExtremeScaleDeg);
            var soft = Math.Max(0, Math.Abs(lowerSoft - upperSoft));
            var apex = Apex(centres, upper, lower, out var convexRight);
            var apexLevel = (VertebralLevel)Math.Min((int)firstLevel + apex, (int)VertebralLevel.L5);
            curves.Add(new SpinalCurve(
                (options.LinearGain * soft) + (options.SqrtGain * Math.Sqrt(soft)),
                Math.Abs(tangents[lower] - tangents[upper]),
                upper,
                lower,
                apex,
                apexLevel,
                RegionOf(apexLevel),
                convexRight));
        }

        var main = 0;
        for (var k = 1; k < curves.Count; k++)
        {
            if (curves[k].AngleDeg > curves[main].AngleDeg)
            {
                main = k;
            }
        }

        if (options.EndplateMedianGain > 0 && n == 17 && firstLevel == VertebralLevel.T1)
        {
            var largest = Math.Max(0, (options.EndplateMedianGain * EndplateCobbPrediction.MedianDeg(centres, options.EndplateTilts!)) + options.EndplateMedianOffsetDeg);
            for (var k = 0; k < curves.Count; k++)
            {
                // The largest stays the largest: a countercurve is never reported above it.
                curves[k] = curves[k] with { AngleDeg = k == main ? largest : Math.Min(curves[k].AngleDeg, largest) };
            }
        }

        var first = Math.Max(0, main - 1);
        var last = Math.Min(curves.Count - 1, main + 1);
        var reported = curves.GetRange(first, last - first + 1);
        var hasCountercurve = reported.Any(c => !ReferenceEquals(c, curves[main]) && c.AngleDeg >= SPatternMinorDeg);
        return new CentreLineCobbResult(reported, curves[main], hasCountercurve ? CurvePattern.S : CurvePattern.C, tangents);
    }

    /// <summary>
    /// Tangent angle atan(dx/dy) in degrees at each level: central differences inside, second-order one-sided
    /// differences at the two ends, whose change from the neighbouring level is then scaled by <paramref name="endWeight"/>.
    /// </summary>
    public static double[] TangentsDeg(ReadOnlySpan<Vector2d> centres, double endWeight)
    {
        var n = centres.Length;
        if (n < 3)
        {
            throw new ArgumentException("Tangents need at least three levels.", nameof(centres));
        }

        var tangents = new double[n];
        for (var i = 1; i < n - 1; i++)
        {
            tangents[i] = Angle(centres[i + 1] - centres[i - 1], i);
        }

        var top = (centres[1] * 4) - (centres[0] * 3) - centres[2];
        var bottom = (centres[n - 1] * 3) - (centres[n - 2] * 4) + centres[n - 3];
        // Where the second-order stencil does not point downwards (a kinked end), the first-order one is used.
        top = top.Y > 0 ? top : centres[1] - centres[0];
        bottom = bottom.Y > 0 ? bottom : centres[n - 1] - centres[n - 2];
        tangents[0] = tangents[1] + (endWeight * (Angle(top, 0) - tangents[1]));
        tangents[n - 1] = tangents[n - 2] + (endWeight * (Angle(bottom, n - 1) - tangents[n - 2]));
        return tangents;
    }

    private static double Angle(Vector2d along, int level)
    {
        if (along.X == 0 && along.Y == 0)
        {
            throw new ArgumentException($"The centre line has no direction at level {level} (coincident centres).");
        }

        // atan(dx/dy) continued past +-90 degrees, so a locally folded line still gives a continuous angle.
        return Math.Atan2(along.X, along.Y) * 180.0 / Math.PI;
    }

    /// <summary>
    /// Indices where the tangent turns (alternating maxima and minima, reversals under <paramref name="minCurveDeg"/>
    /// ignored), with the first and last level added: consecutive pairs are the curves, which tile the line.
    /// </summary>
    public static List<int> TangentExtremes(ReadOnlySpan<double> tangents, double minCurveDeg)
    {
        var n = tangents.Length;
        var pivots = new List<int> { 0 };
        int argMin = 0, argMax = 0, direction = 0, extreme = 0;
        for (var i = 1; i < n; i++)
        {
            if (direction == 0)
            {
                argMin = tangents[i] < tangents[argMin] ? i : argMin;
                argMax = tangents[i] > tangents[argMax] ? i : argMax;
                if (tangents[argMax] - tangents[argMin] >= minCurveDeg)
                {
                    // The turn that comes first is the first pivot after the top; the later one is the running extreme.
                    direction = argMax > argMin ? 1 : -1;
                    var start = Math.Min(argMin, argMax);
                    if (start != 0)
                    {
                        pivots.Add(start);
                    }

                    extreme = Math.Max(argMin, argMax);
                }
            }
            else if (direction * (tangents[i] - tangents[extreme]) > 0)
            {
                extreme = i;
            }
            else if (direction * (tangents[extreme] - tangents[i]) >= minCurveDeg)
            {
                pivots.Add(extreme);
                direction = -direction;
                extreme = i;
            }
        }

        if (direction == 0)
        {
            // No curve reaches the threshold: one small curve between the extreme tangents.
            var start = Math.Min(argMin, argMax);
            var end = Math.Max(argMin, argMax);
            if (start != 0)
            {
                pivots.Add(start);
            }

            extreme = end;
        }

        if (extreme != pivots[^1] && extreme != 0)
        {
            pivots.Add(extreme);
        }

        if (pivots[^1] != n - 1)
        {
            pivots.Add(n - 1);
        }

        return pivots;
    }

    /// <summary>
    /// Log-mean-exp of the tangents over [from, to] at <paramref name="scaleDeg"/>: a smooth maximum (or minimum)
    /// that never exceeds the hard one and equals it on a constant run; scale 0 gives the hard extreme.
    /// </summary>
    private static double SoftExtreme(double[] tangents, int from, int to, bool maximum, double scaleDeg)
    {
        var sign = maximum ? 1.0 : -1.0;
        var hard = double.NegativeInfinity;
        for (var i = from; i <= to; i++)
        {
            hard = Math.Max(hard, sign * tangents[i]);
        }

        if (scaleDeg <= 0)
        {
            return sign * hard;
        }

        double sum = 0;
        for (var i = from; i <= to; i++)
        {
            sum += Math.Exp(((sign * tangents[i]) - hard) / scaleDeg);
        }

        return sign * (hard + (scaleDeg * Math.Log(sum / (to - from + 1))));
    }

    private static int Apex(ReadOnlySpan<Vector2d> centres, int upper, int lower, out bool convexRight)
    {
        var a = centres[upper];
        var chord = centres[lower] - a;
        var length = chord.Length;
        var apex = (upper + lower) / 2;
        double best = -1, signed = 0;
        for (var i = upper; i <= lower && length > 0; i++)
        {
            var p = centres[i] - a;

            // Positive when the point lies to +x of the chord (chord runs downwards).
            var offset = ((p.X * chord.Y) - (p.Y * chord.X)) / length;
            if (Math.Abs(offset) > best)
            {
                best = Math.Abs(offset);
                signed = offset;
                apex = i;
            }
        }

        convexRight = signed > 0;
        return apex;
    }

    private static CurveRegion RegionOf(VertebralLevel apex) => apex switch
    {
        <= VertebralLevel.T5 => CurveRegion.ProximalThoracic,
        <= VertebralLevel.T11 => CurveRegion.MainThoracic,
        _ => CurveRegion.ThoracolumbarLumbar,
    };
}
