using System.Runtime.InteropServices;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Calibration;

/// <summary>A depth sample back-projected to camera millimetres, with the pixel it came from.</summary>
public readonly record struct DepthSample(Vector3d Point, int U, int V);

/// <summary>A plane found in depth samples, with the evidence behind it.</summary>
/// <param name="Plane">The least-squares plane of the inliers, its normal toward the camera.</param>
/// <param name="Inliers">Samples within the final inlier band.</param>
/// <param name="ResidualRmsMm">RMS distance of the inliers from the plane.</param>
/// <param name="MinU">Leftmost inlier column (pixels).</param>
/// <param name="MaxU">Rightmost inlier column.</param>
/// <param name="MinV">Top inlier row.</param>
/// <param name="MaxV">Bottom inlier row.</param>
public sealed record PlaneFit(Plane Plane, int Inliers, double ResidualRmsMm, int MinU, int MaxU, int MinV, int MaxV);

/// <summary>
/// Robust plane fits on depth: RANSAC over three-point planes (the one with most samples within the band wins), then
/// least squares on its inliers, repeated with the band narrowed to the fit's own scatter so that a few far points (a
/// flying pixel, the edge of another surface) cannot tilt the plane. Deterministic for a given seed.
/// </summary>
public static class RobustPlaneFit
{
    /// <summary>Samples of <paramref name="depth"/> every <paramref name="step"/> pixels (valid ones only), in camera mm.</summary>
    public static List<DepthSample> Sample(DepthFrame depth, CameraIntrinsics intrinsics, int step)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(intrinsics);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        var samples = new List<DepthSample>((depth.Width / step) * (depth.Height / step));
        var unit = depth.DepthScaleMm;
        for (var v = step / 2; v < depth.Height; v += step)
        {
            var row = depth.Row(v);
            for (var u = step / 2; u < depth.Width; u += step)
            {
                if (row[u] != DepthFrame.NoMeasurement)
                {
                    samples.Add(new DepthSample(intrinsics.Deproject(u, v, row[u] * unit), u, v));
                }
            }
        }

        return samples;
    }

    /// <summary>
    /// The best plane among <paramref name="samples"/> whose normal <paramref name="accept"/> allows, or null when none has
    /// at least <paramref name="minInliers"/> samples within <paramref name="bandMm"/>.
    /// </summary>
    public static PlaneFit? Fit(IReadOnlyList<DepthSample> samples, double bandMm, int minInliers, Func<Vector3d, bool> accept, int seed, int iterations = 300)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(accept);
        if (samples.Count < Math.Max(3, minInliers))
        {
            return null;
        }

        var random = new Random(seed);
        Plane? best = null;
        var bestCount = 0;
        for (var i = 0; i < iterations; i++)
        {
            if (Plane.Through(samples[random.Next(samples.Count)].Point, samples[random.Next(samples.Count)].Point, samples[random.Next(samples.Count)].Point) is not { } candidate)
            {
                continue;
            }

            candidate = candidate.FacingCamera();
            if (!accept(candidate.Normal))
            {
                continue;
            }

            var count = Count(samples, candidate, bandMm);
            if (count > bestCount)
            {
                bestCount = count;
                best = candidate;
            }
        }

        if (best is not { } plane || bestCount < minInliers)
        {
            return null;
        }

        // Least squares on the inliers, then again within 3 sigma of that fit (never wider than the RANSAC band).
        var band = bandMm;
        PlaneFit? fit = null;
        for (var round = 0; round < 4; round++)
        {
            var inliers = new List<Vector3d>(bestCount);
            int minU = int.MaxValue, maxU = int.MinValue, minV = int.MaxValue, maxV = int.MinValue;
            foreach (var s in samples)
            {
                if (Math.Abs(plane.SignedDistance(s.Point)) < band)
                {
                    inliers.Add(s.Point);
                    minU = Math.Min(minU, s.U);
                    maxU = Math.Max(maxU, s.U);
                    minV = Math.Min(minV, s.V);
                    maxV = Math.Max(maxV, s.V);
                }
            }

            if (inliers.Count < minInliers || Plane.FitLeastSquares(CollectionsMarshal.AsSpan(inliers)) is not { } refined)
            {
                break;
            }

            plane = refined.FacingCamera();
            var sum = 0.0;
            foreach (var p in inliers)
            {
                var d = plane.SignedDistance(p);
                sum += d * d;
            }

            var rms = Math.Sqrt(sum / inliers.Count);
            fit = new PlaneFit(plane, inliers.Count, rms, minU, maxU, minV, maxV);
            band = Math.Min(bandMm, Math.Max(3 * rms, 1.0));
        }

        return fit;
    }

    /// <summary>The samples farther than <paramref name="bandMm"/> from <paramref name="plane"/>.</summary>
    public static List<DepthSample> Outside(IReadOnlyList<DepthSample> samples, Plane plane, double bandMm)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var rest = new List<DepthSample>(samples.Count);
        foreach (var s in samples)
        {
            if (Math.Abs(plane.SignedDistance(s.Point)) >= bandMm)
            {
                rest.Add(s);
            }
        }

        return rest;
    }

    private static int Count(IReadOnlyList<DepthSample> samples, Plane plane, double bandMm)
    {
        var count = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            if (Math.Abs(plane.SignedDistance(samples[i].Point)) < bandMm)
            {
                count++;
            }
        }

        return count;
    }
}
