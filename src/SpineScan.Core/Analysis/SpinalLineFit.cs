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
    public static SpinalLineModel Fit(IReadOnlyList<SpinalLineSample> samples)
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
        double sxy = 0, sxx = 0;
        foreach (var s in samples)
        {
            var length = s.C7B - s.DimpleMidB;
            for (var k = 0; k < N; k++)
            {
                var skin = s.TrueSkin[k];
                var centre = s.TrueCentres[k];
                var p = SpinalLineReconstructor.At(s.SymmetryLine, skin.Y);
                fractions[k] += (s.C7B - skin.Y) / length;
                raise[k] += centre.Y - skin.Y;
                depth[k] += p.SurfaceMm - centre.Z;
                if (k >= 1)
                {
                    // Lateral offset of the body centre from the symmetry line, against the surface rotation there.
                    sxy += (centre.X - p.LateralMm) * p.RotationDeg;
                    sxx += p.RotationDeg * p.RotationDeg;
                }
            }
        }

        for (var k = 0; k < N; k++)
        {
            fractions[k] /= samples.Count;
            raise[k] /= samples.Count;
            depth[k] /= samples.Count;
        }

        return new SpinalLineModel(fractions, raise, depth, sxx > 0 ? sxy / sxx : 0);
    }
}
