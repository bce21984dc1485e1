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
/// body centre lies from the skin over it. Fitted on phantom training seeds by <c>spinescan bench fit</c>.
/// </summary>
/// <param name="LevelFractions">Per level C7..L5: position of the skin point from C7 (0) to the dimples' midpoint (1) along the trunk.</param>
/// <param name="CentreRaiseMm">Per level: how far above its skin point a vertebral-body centre lies (spinous processes slope down).</param>
/// <param name="CentreDepthMm">Per level: how far anterior of the skin the body centre lies.</param>
/// <param name="LateralMmPerRotationDeg">Lateral offset of the body centre per degree of surface rotation (rotation turns the bodies toward the convexity).</param>
public sealed record SpinalLineModel(double[] LevelFractions, double[] CentreRaiseMm, double[] CentreDepthMm, double LateralMmPerRotationDeg)
{
    public const int Levels = 18; // C7..L5

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

        var line = SymmetryLineFinder.Find(surface, fromRow, toRow, guesses);
        return line.Length < count / 2 ? null : line;
    }

    /// <summary>The levels C7..L5 placed on <paramref name="line"/> between C7 and the dimples' midpoint by <paramref name="model"/>.</summary>
    public static SpinalLevel[] Reconstruct(SymmetryPoint[] line, double c7B, double dimpleMidB, SpinalLineModel model)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(model);
        var length = c7B - dimpleMidB;
        var levels = new SpinalLevel[SpinalLineModel.Levels];
        for (var k = 0; k < SpinalLineModel.Levels; k++)
        {
            var b = c7B - (model.LevelFractions[k] * length);
            var p = Interpolate(line, b);
            var skin = new Vector3d(p.LateralMm, b, p.SurfaceMm);
            var centre = new Vector3d(
                p.LateralMm + (model.LateralMmPerRotationDeg * p.RotationDeg),
                b + model.CentreRaiseMm[k],
                p.SurfaceMm - model.CentreDepthMm[k]);
            levels[k] = new SpinalLevel((VertebralLevel)k, skin, p.RotationDeg, centre);
        }

        return levels;
    }

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
