using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>One training child for <see cref="SpinalLineFit"/>: what the pipeline saw, and the true levels (pipeline body frame).</summary>
/// <param name="SymmetryLine">The pipeline's symmetry line.</param>
/// <param name="C7B">Detected C7 height (grid b).</param>
/// <param name="DimpleMidB">Detected dimples' midpoint height (grid b).</param>
/// <param name="TrueSkin">True skin points over the spinous processes, C7..L5.</param>
/// <param name="TrueCentres">True vertebral-body centres, C7..L5.</param>
public sealed record SpinalLineSample(SymmetryPoint[] SymmetryLine, double C7B, double DimpleMidB, Vector3d[] TrueSkin, Vector3d[] TrueCentres);

/// <summary>Least-squares fit of <see cref="SpinalLineModel"/> on phantom training children.</summary>
public static class SpinalLineFit
{
    /// <summary>Fits the model; <paramref name="withRotation"/> adds the surface-rotation term (see the comment inside).</summary>
    public static SpinalLineModel Fit(IReadOnlyList<SpinalLineSample> samples, bool withRotation = false)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(samples));
        }

        const int N = SpinalLineModel.Levels;
        var fractions = new double[N];
        var raise = new double[N];
        var depth = new double[N];
        // Normal equations of centre.X - chord = gain x (skin - chord) + perRotation x rotation.
        double s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0;
        var firstPass = new SpinalLineModel(new double[N], new double[N], new double[N], 0);
        foreach (var s in samples)
        {
            var length = s.C7B - s.DimpleMidB;
            for (var k = 0; k < N; k++)
            {
                fractions[k] += (s.C7B - s.TrueSkin[k].Y) / length / samples.Count;
            }
        }

        firstPass = firstPass with { LevelFractions = fractions };
        foreach (var s in samples)
        {
            var (top, bottom) = SpinalLineReconstructor.Chord(s.SymmetryLine, s.C7B, s.DimpleMidB, firstPass);
            for (var k = 0; k < N; k++)
            {
                var skin = s.TrueSkin[k];
                var centre = s.TrueCentres[k];
                var p = SpinalLineReconstructor.At(s.SymmetryLine, skin.Y);
                raise[k] += centre.Y - skin.Y;
                depth[k] += p.SurfaceMm - centre.Z;
                if (k >= 1)
                {
                    var chord = SpinalLineReconstructor.ChordAt(top, bottom, skin.Y);
                    double x1 = p.LateralMm - chord, x2 = p.RotationDeg, y = centre.X - chord;
                    s11 += x1 * x1;
                    s12 += x1 * x2;
                    s22 += x2 * x2;
                    t1 += x1 * y;
                    t2 += x2 * y;
                }
            }
        }

        for (var k = 0; k < N; k++)
        {
            raise[k] /= samples.Count;
            depth[k] /= samples.Count;
        }

        // The surface rotation along the line grows with the lateral deviation (both follow the curve), so the two
        // regressors are correlated. With the rotation read from one profile 4-24 mm either side of the line the
        // joint fit swung between them from one detector version to the next (-1.4 to -2.1 mm/deg); read 24-64 mm
        // out and smoothed along the trunk it is steady, and it is what reveals a curve whose spinous processes
        // turn back toward the midline. The deviation-only fit stays available for comparison.
        double gain, perRotation;
        var determinant = (s11 * s22) - (s12 * s12);
        if (withRotation && determinant > 1e-9)
        {
            gain = ((t1 * s22) - (t2 * s12)) / determinant;
            perRotation = ((s11 * t2) - (s12 * t1)) / determinant;
        }
        else
        {
            gain = s11 > 1e-9 ? t1 / s11 : 1;
            perRotation = 0;
        }

        return new SpinalLineModel(fractions, raise, depth, perRotation, gain);
    }
}
