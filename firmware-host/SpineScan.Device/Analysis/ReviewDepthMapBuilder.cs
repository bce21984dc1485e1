using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Device.Analysis;

/// <summary>
/// The downsampled back-surface depth map a report carries for review: the fused standing frame the analysis measured
/// on (the burst's trimmed mean, dropouts ignored), resampled orthographically in camera millimetres over the back
/// (the landmarks' and spinal line's box with a margin), the nearest surface per cell, background farther than
/// <see cref="DepthWindowMm"/> from the back left empty. It is placed from the analysis's own landmarks, not their
/// rounded wire values, so landmarks' camera coordinates project straight onto it.
/// </summary>
public static class ReviewDepthMapBuilder
{
    /// <summary>Largest side of the map in cells (the contract allows 256).</summary>
    public const int MaxSide = 128;

    private const double MarginMm = 80;
    private const double DepthWindowMm = 250;
    private const double MinPitchMm = 4;

    /// <summary>The map, or null when the analysis located no back (no landmarks) or kept no fused frame.</summary>
    public static ReviewDepthMap? Build(StandingAnalysis standing)
    {
        ArgumentNullException.ThrowIfNull(standing);
        var measured = standing.Measured;
        var points = measured.Landmarks.Select(l => l.CameraMm).Concat(measured.SpinalLineCameraMm).ToList();
        if (points.Count == 0 || standing.Fused is not { } fused)
        {
            return null;
        }

        var minX = points.Min(p => p.X) - MarginMm;
        var maxX = points.Max(p => p.X) + MarginMm;
        var minY = points.Min(p => p.Y) - MarginMm;
        var maxY = points.Max(p => p.Y) + MarginMm;
        var backZ = points.Select(p => p.Z).Order().ElementAt(points.Count / 2);
        var pitch = Math.Max(MinPitchMm, Math.Ceiling(Math.Max(maxX - minX, maxY - minY) / MaxSide));
        var width = Math.Clamp((int)Math.Ceiling((maxX - minX) / pitch), 1, MaxSide);
        var height = Math.Clamp((int)Math.Ceiling((maxY - minY) / pitch), 1, MaxSide);
        var cells = new ushort[width * height];
        var rays = RayTable.For(standing.Intrinsics);
        var scale = fused.DepthScaleMm;
        for (var v = 0; v < fused.Height; v++)
        {
            var row = fused.Row(v);
            for (var u = 0; u < row.Length; u++)
            {
                if (row[u] == DepthFrame.NoMeasurement)
                {
                    continue;
                }

                var z = row[u] * scale;
                if (Math.Abs(z - backZ) > DepthWindowMm)
                {
                    continue;
                }

                var point = rays.Point(u, v, z);
                var cu = (int)((point.X - minX) / pitch);
                var cv = (int)((point.Y - minY) / pitch);
                if (cu < 0 || cv < 0 || cu >= width || cv >= height)
                {
                    continue;
                }

                var depth = (ushort)Math.Clamp(Math.Round(z), 1, ushort.MaxValue);
                ref var cell = ref cells[(cv * width) + cu];
                if (cell == ReviewDepthMap.NoDepth || depth < cell)
                {
                    cell = depth;
                }
            }
        }

        return ReviewDepthMap.FromDepths(width, height, pitch, Math.Round(minX, 1), Math.Round(minY, 1), cells);
    }
}
