using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
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

        var backZ = points.Select(p => p.Z).Order().ElementAt(points.Count / 2);
        return Resample(fused, standing.Intrinsics, Box.Around(points), backZ, labels: null, label: 0);
    }

    /// <summary>
    /// The forward bend's (Adam's test) map: the burst fused as the analysis fuses it, the child's pixels as the scene
    /// segmentation finds them, resampled the same way over the child's outline. The analysis keeps no forward-bend
    /// frame, so this fuses and segments the burst again (on another core while the analysis runs). Null when the burst
    /// is empty or holds nobody.
    /// </summary>
    public static ReviewDepthMap? BuildForwardBend(DepthCapture bend)
    {
        ArgumentNullException.ThrowIfNull(bend);
        var intrinsics = bend.Intrinsics;
        if (bend.Frames.Count == 0 || bend.Frames.Any(f => f.Width != intrinsics.Width || f.Height != intrinsics.Height))
        {
            return null;
        }

        using var fused = DepthFrame.Create(intrinsics.Width, intrinsics.Height, bend.Frames[0].DepthScaleM);
        DepthFusion.Fuse(bend.Frames, fused);
        using var scene = SceneSegmenter.Segment(fused, intrinsics);
        if (scene.People.Count == 0)
        {
            return null;
        }

        var child = scene.People[0];
        var rays = RayTable.For(intrinsics);
        var scale = fused.DepthScaleMm;
        var box = Box.Empty;
        for (var v = child.MinV; v <= child.MaxV; v++)
        {
            var row = fused.Row(v);
            for (var u = child.MinU; u <= child.MaxU; u++)
            {
                if (row[u] != DepthFrame.NoMeasurement && scene.LabelAt(u, v) == child.Label)
                {
                    box = box.With(rays.Point(u, v, row[u] * scale));
                }
            }
        }

        return box.IsEmpty ? null : Resample(fused, intrinsics, box.Grown(MarginMm / 4), child.MedianDepthMm, scene, child.Label);
    }

    // Orthographic resampling of a fused frame over a box in camera millimetres: the nearest surface per cell, only
    // pixels within the depth window of the back (and, given labels, of the child's label).
    private static ReviewDepthMap Resample(DepthFrame fused, CameraIntrinsics intrinsics, Box box, double backZ, SceneSegmentation? labels, int label)
    {
        var (minX, maxX, minY, maxY) = (box.MinX, box.MaxX, box.MinY, box.MaxY);
        var pitch = Math.Max(MinPitchMm, Math.Ceiling(Math.Max(maxX - minX, maxY - minY) / MaxSide));
        var width = Math.Clamp((int)Math.Ceiling((maxX - minX) / pitch), 1, MaxSide);
        var height = Math.Clamp((int)Math.Ceiling((maxY - minY) / pitch), 1, MaxSide);
        var cells = new ushort[width * height];
        var rays = RayTable.For(intrinsics);
        var scale = fused.DepthScaleMm;
        for (var v = 0; v < fused.Height; v++)
        {
            var row = fused.Row(v);
            for (var u = 0; u < row.Length; u++)
            {
                if (row[u] == DepthFrame.NoMeasurement || (labels is not null && labels.LabelAt(u, v) != label))
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

    /// <summary>An axis-aligned box in camera millimetres (x right, y down).</summary>
    private readonly record struct Box(double MinX, double MaxX, double MinY, double MaxY)
    {
        public static Box Empty => new(double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity);

        public bool IsEmpty => MinX > MaxX;

        public static Box Around(IEnumerable<Vector3d> points) => points.Aggregate(Empty, (box, p) => box.With(p)).Grown(MarginMm);

        public Box With(Vector3d p) => new(Math.Min(MinX, p.X), Math.Max(MaxX, p.X), Math.Min(MinY, p.Y), Math.Max(MaxY, p.Y));

        public Box Grown(double mm) => new(MinX - mm, MaxX + mm, MinY - mm, MaxY + mm);
    }
}
