using System.Buffers;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Device.Analysis;

/// <summary>
/// The downsampled back-surface depth map a report carries for review: the standing capture's mean depth, resampled
/// orthographically in camera millimetres over the back (the landmarks' box with a margin), the nearest surface per
/// cell, background farther than <see cref="DepthWindowMm"/> from the back left empty. Landmarks' camera coordinates
/// project straight onto it.
/// </summary>
public static class ReviewDepthMapBuilder
{
    /// <summary>Largest side of the map in cells (the contract allows 256).</summary>
    public const int MaxSide = 128;

    private const double MarginMm = 80;
    private const double DepthWindowMm = 250;
    private const double MinPitchMm = 4;

    /// <summary>The map, or null when the analysis located no back (no landmarks).</summary>
    public static ReviewDepthMap? Build(DepthCapture standing, AnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(standing);
        ArgumentNullException.ThrowIfNull(analysis);
        var points = analysis.Landmarks.Select(l => l.CameraMm).Concat(analysis.SpinalLine.CameraMm).ToList();
        if (points.Count == 0 || standing.Frames.Count == 0)
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
        var intrinsics = standing.Intrinsics;
        var rays = RayTable.For(intrinsics);
        var scale = standing.Frames[0].DepthScaleMm;
        var pixels = intrinsics.Width * intrinsics.Height;
        var sums = ArrayPool<int>.Shared.Rent(pixels);
        var counts = ArrayPool<int>.Shared.Rent(pixels);
        try
        {
            // The frames' mean per pixel, row by row over each frame (the cache-friendly order).
            Array.Clear(sums, 0, pixels);
            Array.Clear(counts, 0, pixels);
            for (var f = 0; f < standing.Frames.Count; f++)
            {
                var frame = standing.Frames[f];
                for (var v = 0; v < intrinsics.Height; v++)
                {
                    var row = frame.Row(v);
                    var offset = v * intrinsics.Width;
                    for (var u = 0; u < row.Length; u++)
                    {
                        if (row[u] != DepthFrame.NoMeasurement)
                        {
                            sums[offset + u] += row[u];
                            counts[offset + u]++;
                        }
                    }
                }
            }

            for (var v = 0; v < intrinsics.Height; v++)
            {
                for (var u = 0; u < intrinsics.Width; u++)
                {
                    var i = (v * intrinsics.Width) + u;
                    if (counts[i] == 0)
                    {
                        continue;
                    }

                    var z = (double)sums[i] / counts[i] * scale;
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
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(counts);
        }

        return ReviewDepthMap.FromDepths(width, height, pitch, Math.Round(minX, 1), Math.Round(minY, 1), cells);
    }
}
