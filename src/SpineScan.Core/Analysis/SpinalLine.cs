using System.Numerics.Tensors;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Core.Analysis;

/// <summary>One vertebral level of the reconstructed spinal line (body millimetres: x right, y up from the floor, z posterior).</summary>
/// <param name="Level">C7..L5.</param>
/// <param name="SkinBodyMm">The symmetry-line point over the spinous process.</param>
/// <param name="SurfaceRotationDeg">Surface rotation there (+ = the surface's normal turned toward the child's right).</param>
/// <param name="CentreBodyMm">The estimated vertebral-body centre.</param>
public readonly record struct SpinalLevel(VertebralLevel Level, Vector3d SkinBodyMm, double SurfaceRotationDeg, Vector3d CentreBodyMm);

/// <summary>
/// The fitted constants that turn the surface symmetry line into vertebral-body centres (Drerup-Hierholzer
/// style): where each level's spinous process lies between C7 and the dimples, and how far and which way the
/// body centre lies from the skin over it. Fitted on phantom training seeds by <c>spinescan-lab bench fit</c>.
/// </summary>
/// <param name="LevelFractions">Per level C7..L5: position of the skin point from C7 (0) to the dimples' midpoint (1) along the trunk.</param>
/// <param name="CentreRaiseMm">Per level: how far above its skin point a vertebral-body centre lies (spinous processes slope down).</param>
/// <param name="CentreDepthMm">Per level: how far anterior of the skin the body centre lies.</param>
/// <param name="LateralMmPerRotationDeg">Lateral offset of the body centre per degree of surface rotation (rotation turns the bodies toward the convexity).</param>
/// <param name="DeviationGain">
/// How much farther the bodies stray from the C7-L5 chord than the skin line does: axial rotation turns the spinous
/// processes toward the concavity, so the surface shows only part of the bodies' lateral deviation.
/// </param>
/// <param name="LateralFilter">
/// When set, replaces <paramref name="DeviationGain"/> and <paramref name="LateralMmPerRotationDeg"/>: a linear map,
/// row-major <see cref="Levels"/> x <see cref="FilterInputs"/>, from the whole line (the skin line's deviation from the
/// chord at every level, the surface rotation at every level scaled by the trunk's length over
/// <see cref="RotationReferenceLengthMm"/>, and that rotation's signed square over <see cref="RotationSquareScaleDeg"/>)
/// to each body centre's deviation from the chord. One level's skin point and rotation say little on their own; the
/// map weighs the neighbours too, the way the curve's shape constrains each level. The signed square lets it bend
/// where the offset grows faster than the rotation: without it, curves of 30 degrees or more read 2.1 degrees small
/// on average on development phantoms, with it 1.6.
/// </param>
/// <param name="LateralResidual">
/// When set with <paramref name="LateralFilter"/>: a small network on the same inputs whose outputs are added to the
/// filter's, for what a linear map cannot follow (the surface's deviation and rotation grow unevenly with the curve).
/// </param>
public sealed record SpinalLineModel(
    double[] LevelFractions,
    double[] CentreRaiseMm,
    double[] CentreDepthMm,
    double LateralMmPerRotationDeg,
    double DeviationGain = 1,
    double[]? LateralFilter = null,
    ResidualNetwork? LateralResidual = null)
{
    public const int Levels = 18; // C7..L5

    /// <summary>Inputs of <see cref="LateralFilter"/>: deviation, scaled rotation and its signed square at each level.</summary>
    public const int FilterInputs = 3 * Levels;

    /// <summary>Divisor of the signed square of the scaled rotation (degrees), to keep the inputs of like size.</summary>
    public const double RotationSquareScaleDeg = 5;

    /// <summary>
    /// Trunk length (C7 to the dimples, mm) at which the rotation inputs of <see cref="LateralFilter"/> are taken as read:
    /// the offset a degree of rotation makes grows with the vertebrae, which grow with the child.
    /// </summary>
    public const double RotationReferenceLengthMm = 450;

    /// <summary>Lists what makes this model unusable; empty when it is fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, values) in new[] { (nameof(LevelFractions), LevelFractions), (nameof(CentreRaiseMm), CentreRaiseMm), (nameof(CentreDepthMm), CentreDepthMm) })
        {
            if (values is null || values.Length != Levels || !values.All(double.IsFinite))
            {
                problems.Add($"{name} needs {Levels} finite values");
            }
        }

        if (LateralFilter is not null && (LateralFilter.Length != Levels * FilterInputs || !LateralFilter.All(double.IsFinite)))
        {
            problems.Add($"{nameof(LateralFilter)} needs {Levels * FilterInputs} finite values");
        }

        if (LateralResidual is not null)
        {
            if (LateralFilter is null)
            {
                problems.Add($"{nameof(LateralResidual)} corrects {nameof(LateralFilter)} and needs it");
            }

            problems.AddRange(LateralResidual.Problems().Select(p => $"{nameof(LateralResidual)}: {p}"));
            if (LateralResidual.Inputs != FilterInputs || LateralResidual.Outputs != Levels)
            {
                problems.Add($"{nameof(LateralResidual)} needs {FilterInputs} inputs and {Levels} outputs");
            }
        }

        return problems;
    }

    /// <summary>Anatomical defaults before fitting: spinous processes evenly spaced, centres straight in front of them.</summary>
    public static SpinalLineModel Uniform { get; } = new(
        [.. Enumerable.Range(0, Levels).Select(k => k / (double)(Levels + 1))],
        new double[Levels],
        [.. Enumerable.Repeat(65.0, Levels)],
        0);
}

/// <summary>Reconstructs the spinal line from the standing back surface, its symmetry line and landmarks.</summary>
public static class SpinalLineReconstructor
{
    /// <summary>Share of the C7-dimples length below C7 where the symmetry line is held rather than traced.</summary>
    public const double NeckBlendShare = 0.17;

    /// <summary>Length of the line below the neck stretch whose direction the stretch continues (mm).</summary>
    public const double DirectionBaseMm = 40;

    /// <summary>
    /// Smoothing of the traced line along the trunk (Gaussian sigma, mm): wide enough that a few millimetres of
    /// wobble between neighbouring levels (~25 mm apart) does not read as a curve, narrow against a scoliotic curve
    /// (which spans four or more levels).
    /// </summary>
    public const double LineSmoothingMm = 35;

    /// <summary>
    /// The symmetry line between the dimples' midpoint and C7 (grid (a, b) coordinates), or null when it cannot
    /// be followed over at least half that stretch.
    /// </summary>
    public static SymmetryPoint[]? TraceSymmetryLine(BackSurface surface, (double A, double B) c7, (double A, double B) dimpleMid)
    {
        ArgumentNullException.ThrowIfNull(surface);
        var length = c7.B - dimpleMid.B;
        if (length < 150)
        {
            return null;
        }

        var fromRow = Math.Max(1, (int)Math.Floor((dimpleMid.B - surface.OriginB) / surface.SpacingMm));
        var toRow = Math.Min(surface.Rows - 2, (int)Math.Ceiling((c7.B - surface.OriginB) / surface.SpacingMm));
        var count = toRow - fromRow + 1;
        if (count < 2)
        {
            return null;
        }

        var guesses = new double[count];
        for (var k = 0; k < count; k++)
        {
            var t = (surface.B(fromRow + k) - dimpleMid.B) / length;
            guesses[k] = dimpleMid.A + (t * (c7.A - dimpleMid.A));
        }

        var line = SymmetryLineFinder.Find(surface, fromRow, toRow, guesses, SymmetrySettings.Default with { SmoothingMm = LineSmoothingMm });
        if (line.Length < count / 2)
        {
            return null;
        }

        // Near the neck the shoulders' bulk and the arms' stance pull the curvature symmetry off the spine: over the
        // last stretch below C7 (a share of the trunk's length) the line is continued straight, in the direction it
        // has just below that stretch. Holding it vertical there would cut off a curve that ends in the upper
        // thoracic spine; following it lets a shrug or a raised arm read as a curve. C7's own lateral position, from
        // the outline, is too coarse to steer it.
        var blend = NeckBlendShare * length;
        var blendFrom = c7.B - blend;
        var anchor = Interpolate(line, blendFrom);
        var below = Interpolate(line, blendFrom - DirectionBaseMm);
        var slope = (anchor.LateralMm - below.LateralMm) / DirectionBaseMm;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i].HeightMm > blendFrom)
            {
                line[i] = line[i] with { LateralMm = anchor.LateralMm + (slope * (line[i].HeightMm - blendFrom)), RotationDeg = anchor.RotationDeg };
            }
        }

        return line;
    }

    /// <summary>The levels C7..L5 placed on <paramref name="line"/> between C7 and the dimples' midpoint by <paramref name="model"/>.</summary>
    public static SpinalLevel[] Reconstruct(SymmetryPoint[] line, double c7B, double dimpleMidB, SpinalLineModel model)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(model);
        const int N = SpinalLineModel.Levels;
        Span<double> inputs = stackalloc double[SpinalLineModel.FilterInputs];
        var points = new SymmetryPoint[N];
        var chords = new double[N];
        SampleInputs(line, c7B, dimpleMidB, model, points, chords, inputs);
        var filter = model.LateralFilter;
        if (filter is not null && filter.Length != N * SpinalLineModel.FilterInputs)
        {
            throw new ArgumentException($"The model's lateral filter needs {N * SpinalLineModel.FilterInputs} weights, it has {filter.Length}.", nameof(model));
        }

        Span<double> deviations = stackalloc double[N];
        if (filter is not null)
        {
            FilterDeviations(filter, inputs, deviations);
            model.LateralResidual?.AddTo(inputs, deviations);
        }

        var levels = new SpinalLevel[N];
        for (var k = 0; k < N; k++)
        {
            var p = points[k];
            var b = p.HeightMm;
            var deviation = filter is null
                ? (model.DeviationGain * inputs[k]) + (model.LateralMmPerRotationDeg * p.RotationDeg)
                : deviations[k];

            var centre = new Vector3d(chords[k] + deviation, b + model.CentreRaiseMm[k], p.SurfaceMm - model.CentreDepthMm[k]);
            levels[k] = new SpinalLevel((VertebralLevel)k, new Vector3d(p.LateralMm, b, p.SurfaceMm), p.RotationDeg, centre);
        }

        return levels;
    }

    /// <summary>
    /// <see cref="SampleLevels"/> and then <see cref="FilterInputs"/>: the inputs of <see cref="SpinalLineModel.LateralFilter"/>
    /// for <paramref name="line"/>, with the points and chords they came from.
    /// </summary>
    public static void SampleInputs(SymmetryPoint[] line, double c7B, double dimpleMidB, SpinalLineModel model, Span<SymmetryPoint> points, Span<double> chords, Span<double> inputs)
    {
        SampleLevels(line, c7B, dimpleMidB, model, points, chords);
        FilterInputs(points, chords, c7B - dimpleMidB, inputs);
    }

    /// <summary>Each level's deviation from the chord by the linear filter alone (row-major levels x inputs).</summary>
    public static void FilterDeviations(ReadOnlySpan<double> filter, ReadOnlySpan<double> inputs, Span<double> deviations)
    {
        for (var k = 0; k < deviations.Length; k++)
        {
            deviations[k] = TensorPrimitives.Dot(filter.Slice(k * inputs.Length, inputs.Length), inputs);
        }
    }

    /// <summary>
    /// The symmetry-line point and the chord's lateral position at each level C7..L5, where <paramref name="model"/>
    /// places the levels between C7 and the dimples' midpoint.
    /// </summary>
    public static void SampleLevels(SymmetryPoint[] line, double c7B, double dimpleMidB, SpinalLineModel model, Span<SymmetryPoint> points, Span<double> chords)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(model);
        var length = c7B - dimpleMidB;
        var (top, bottom) = Chord(line, c7B, dimpleMidB, model);
        for (var k = 0; k < SpinalLineModel.Levels; k++)
        {
            var b = c7B - (model.LevelFractions[k] * length);
            points[k] = Interpolate(line, b);
            chords[k] = ChordAt(top, bottom, b);
        }
    }

    /// <summary>
    /// The vertebral-body centres T1..L5 in the Cobb estimator's frontal convention (+x right, +y down), from body
    /// points C7..L5 (x right, y up).
    /// </summary>
    public static Vector2d[] FrontalCentres(IReadOnlyList<Vector3d> c7ToL5)
    {
        ArgumentNullException.ThrowIfNull(c7ToL5);
        var centres = new Vector2d[SpinalLineModel.Levels - 1];
        for (var k = 0; k < centres.Length; k++)
        {
            centres[k] = Frontal(c7ToL5[k + 1]);
        }

        return centres;
    }

    /// <summary>As <see cref="FrontalCentres(IReadOnlyList{Vector3d})"/>, from reconstructed levels C7..L5.</summary>
    public static Vector2d[] FrontalCentres(ReadOnlySpan<SpinalLevel> c7ToL5)
    {
        var centres = new Vector2d[SpinalLineModel.Levels - 1];
        for (var k = 0; k < centres.Length; k++)
        {
            centres[k] = Frontal(c7ToL5[k + 1].CentreBodyMm);
        }

        return centres;
    }

    private static Vector2d Frontal(Vector3d body) => new(body.X, -body.Y);

    /// <summary>
    /// The inputs of <see cref="SpinalLineModel.LateralFilter"/>: each level's skin deviation from the chord, then each
    /// level's surface rotation r scaled by <paramref name="trunkLengthMm"/> / <see cref="SpinalLineModel.RotationReferenceLengthMm"/>,
    /// then r |r| / <see cref="SpinalLineModel.RotationSquareScaleDeg"/>.
    /// </summary>
    public static void FilterInputs(ReadOnlySpan<SymmetryPoint> points, ReadOnlySpan<double> chords, double trunkLengthMm, Span<double> inputs)
    {
        const int N = SpinalLineModel.Levels;
        if (points.Length != N || chords.Length != N || inputs.Length != SpinalLineModel.FilterInputs)
        {
            throw new ArgumentException($"{N} points and chords and {SpinalLineModel.FilterInputs} inputs are needed.");
        }

        var scale = trunkLengthMm / SpinalLineModel.RotationReferenceLengthMm;
        for (var k = 0; k < N; k++)
        {
            var rotation = points[k].RotationDeg * scale;
            inputs[k] = points[k].LateralMm - chords[k];
            inputs[N + k] = rotation;
            inputs[(2 * N) + k] = rotation * Math.Abs(rotation) / SpinalLineModel.RotationSquareScaleDeg;
        }
    }

    /// <summary>The skin points of C7 and L5 on <paramref name="line"/>: the chord the lateral deviation is measured from.</summary>
    public static (Vector2d Top, Vector2d Bottom) Chord(SymmetryPoint[] line, double c7B, double dimpleMidB, SpinalLineModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var length = c7B - dimpleMidB;
        var topB = c7B - (model.LevelFractions[0] * length);
        var bottomB = c7B - (model.LevelFractions[^1] * length);
        return (new Vector2d(Interpolate(line, topB).LateralMm, topB), new Vector2d(Interpolate(line, bottomB).LateralMm, bottomB));
    }

    /// <summary>Lateral position of the chord at height <paramref name="b"/>.</summary>
    public static double ChordAt(Vector2d top, Vector2d bottom, double b) =>
        Math.Abs(top.Y - bottom.Y) < 1e-9 ? top.X : bottom.X + ((b - bottom.Y) / (top.Y - bottom.Y) * (top.X - bottom.X));

    /// <summary>The symmetry-line point at height <paramref name="b"/> (linear between points, clamped to the ends).</summary>
    public static SymmetryPoint At(SymmetryPoint[] line, double b) => Interpolate(line, b);

    // Linear interpolation of the symmetry line at height b (clamped to its ends).
    private static SymmetryPoint Interpolate(SymmetryPoint[] line, double b)
    {
        if (b <= line[0].HeightMm)
        {
            return line[0];
        }

        if (b >= line[^1].HeightMm)
        {
            return line[^1];
        }

        var i = 1;
        while (line[i].HeightMm < b)
        {
            i++;
        }

        var lo = line[i - 1];
        var hi = line[i];
        var t = (b - lo.HeightMm) / (hi.HeightMm - lo.HeightMm);
        return new SymmetryPoint(
            b,
            lo.LateralMm + (t * (hi.LateralMm - lo.LateralMm)),
            lo.SurfaceMm + (t * (hi.SurfaceMm - lo.SurfaceMm)),
            lo.RotationDeg + (t * (hi.RotationDeg - lo.RotationDeg)),
            lo.Asymmetry + (t * (hi.Asymmetry - lo.Asymmetry)));
    }
}
