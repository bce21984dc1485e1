using System.Buffers;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>Tunable limits of the scene segmentation, in millimetres unless named otherwise.</summary>
public sealed record SegmentationSettings
{
    /// <summary>Points closer than this to a wall or floor plane belong to it.</summary>
    public double PlaneInlierMm { get; init; } = 25;

    /// <summary>A background plane's inliers span at least this share of the image width (a back never does).</summary>
    public double BackgroundMinWidthShare { get; init; } = 0.55;

    public int RansacIterations { get; init; } = 150;

    /// <summary>Neighbouring pixels whose depths differ by less than this belong to one object.</summary>
    public double ContinuityMm { get; init; } = 40;

    /// <summary>An object with at least this frontal area (m²) is person-sized: a child's back and arms give 0.15 or more.</summary>
    public double PersonMinAreaM2 { get; init; } = 0.05;

    public double NearestMm { get; init; } = 400;

    public double FarthestMm { get; init; } = 3500;

    /// <summary>Sampling step (pixels) for plane search; planes are then applied to every pixel.</summary>
    public int PlaneSampleStep { get; init; } = 6;

    public static SegmentationSettings Default { get; } = new();
}

/// <summary>One connected object in front of the background.</summary>
public readonly record struct SceneObject(int Label, int Pixels, double AreaM2, double MedianDepthMm, double CentroidU, double CentroidV, int MinU, int MinV, int MaxU, int MaxV);

/// <summary>
/// Per-pixel labels of a scene: <see cref="Background"/> (wall, floor, out of range or unmeasured), or the
/// 1-based index of a connected object. The label buffer is pooled; dispose to return it.
/// </summary>
public sealed class SceneSegmentation : IDisposable
{
    public const int Background = 0;

    private readonly PooledGrid<int> _labels;

    internal SceneSegmentation(PooledGrid<int> labels, IReadOnlyList<Plane> backgroundPlanes, Plane? floor, IReadOnlyList<SceneObject> people)
    {
        _labels = labels;
        BackgroundPlanes = backgroundPlanes;
        Floor = floor;
        People = people;
    }

    public int Width => _labels.Width;

    public int Height => _labels.Height;

    /// <summary>The wall(s) and floor found, normals facing the camera.</summary>
    public IReadOnlyList<Plane> BackgroundPlanes { get; }

    /// <summary>The floor plane, if one was seen (its normal gives the true vertical).</summary>
    public Plane? Floor { get; }

    /// <summary>Person-sized objects, largest first.</summary>
    public IReadOnlyList<SceneObject> People { get; }

    public ReadOnlySpan<int> Labels => _labels.Cells;

    public int LabelAt(int u, int v) => Labels[(v * Width) + u];

    /// <summary>
    /// The largest object of at least <paramref name="minAreaM2"/> that is somebody other than the child
    /// (<see cref="People"/>[0]), or null. The child's own hips and legs do not count: seen from a camera above the
    /// waist, the buttocks hide the lower back behind a depth step larger than the segmenter's continuity, and the
    /// lower body comes out as a separate object, directly under the back, within its width and at its distance.
    /// </summary>
    public SceneObject? SecondPerson(double minAreaM2)
    {
        for (var k = 1; k < People.Count && People[k].AreaM2 >= minAreaM2; k++)
        {
            if (!IsLowerBodyOf(People[0], People[k]))
            {
                return People[k];
            }
        }

        return null;
    }

    private static bool IsLowerBodyOf(SceneObject child, SceneObject part)
    {
        const int TouchPixels = 3;
        const double SameDistanceMm = 400;
        var margin = 0.1 * (child.MaxU - child.MinU);
        return part.MinV > child.CentroidV
            && part.MinV <= child.MaxV + TouchPixels
            && part.MinU >= child.MinU - margin
            && part.MaxU <= child.MaxU + margin
            && Math.Abs(part.MedianDepthMm - child.MedianDepthMm) < SameDistanceMm;
    }

    public void Dispose() => _labels.Dispose();
}

/// <summary>
/// Separates the child from the wall and floor: background planes found by RANSAC on a sparse sample
/// of the deprojected depth, then connected components of what is left, joined across neighbours of
/// similar depth, sized by their frontal area in square metres (so the size test does not depend on distance).
/// </summary>
public static class SceneSegmenter
{
    private const int MaxBackgroundPlanes = 3;
    private const int MaxPlaneAttempts = 6;

    public static SceneSegmentation Segment(DepthFrame depth, CameraIntrinsics intrinsics, SegmentationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(intrinsics);
        settings ??= SegmentationSettings.Default;
        var width = depth.Width;
        var height = depth.Height;
        var rays = RayTable.For(intrinsics);

        var planes = FindBackgroundPlanes(depth, rays, settings, out var floor);
        var grid = PooledGrid.Rent<int>(width, height);
        var stack = ArrayPool<int>.Shared.Rent(width * height);
        try
        {
            var labels = grid.Cells;
            // Foreground: measured, in range, off every background plane. -1 marks "foreground, not yet labelled".
            var scale = depth.DepthScaleMm;
            for (var v = 0; v < height; v++)
            {
                var row = depth.Row(v);
                for (var u = 0; u < width; u++)
                {
                    var index = (v * width) + u;
                    labels[index] = SceneSegmentation.Background;
                    if (row[u] == DepthFrame.NoMeasurement)
                    {
                        continue;
                    }

                    var z = row[u] * scale;
                    if (z < settings.NearestMm || z > settings.FarthestMm)
                    {
                        continue;
                    }

                    var point = rays.Point(u, v, z);
                    var onPlane = false;
                    foreach (var plane in planes)
                    {
                        if (Math.Abs(plane.SignedDistance(point)) < settings.PlaneInlierMm)
                        {
                            onPlane = true;
                            break;
                        }
                    }

                    if (!onPlane)
                    {
                        labels[index] = -1;
                    }
                }
            }

            var people = LabelComponents(depth, labels, stack, intrinsics, settings);
            return new SceneSegmentation(grid, planes, floor, people);
        }
        catch
        {
            grid.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stack);
        }
    }

    private static List<Plane> FindBackgroundPlanes(DepthFrame depth, RayTable rays, SegmentationSettings settings, out Plane? floor)
    {
        floor = null;
        var step = settings.PlaneSampleStep;
        var samples = new List<(Vector3d Point, int U, int V)>((depth.Width / step) * (depth.Height / step));
        for (var v = step / 2; v < depth.Height; v += step)
        {
            var row = depth.Row(v);
            for (var u = step / 2; u < depth.Width; u += step)
            {
                if (row[u] != DepthFrame.NoMeasurement)
                {
                    samples.Add((rays.Point(u, v, row[u] * depth.DepthScaleMm), u, v));
                }
            }
        }

        var planes = new List<Plane>();
        var floorRow = double.MinValue;
        var random = new Random(20260127); // fixed: the same capture always segments the same way
        var remaining = samples;
        for (var attempt = 0; attempt < MaxPlaneAttempts && planes.Count < MaxBackgroundPlanes && remaining.Count > 50; attempt++)
        {
            Plane? best = null;
            var bestCount = 0;
            for (var iteration = 0; iteration < settings.RansacIterations; iteration++)
            {
                var candidate = Plane.Through(
                    remaining[random.Next(remaining.Count)].Point,
                    remaining[random.Next(remaining.Count)].Point,
                    remaining[random.Next(remaining.Count)].Point);
                if (candidate is not { } plane)
                {
                    continue;
                }

                var count = 0;
                foreach (var (point, _, _) in remaining)
                {
                    if (Math.Abs(plane.SignedDistance(point)) < settings.PlaneInlierMm)
                    {
                        count++;
                    }
                }

                if (count > bestCount)
                {
                    bestCount = count;
                    best = plane;
                }
            }

            if (best is not { } winner || bestCount < 50)
            {
                break;
            }

            var inliers = new List<Vector3d>(bestCount);
            var outliers = new List<(Vector3d, int, int)>(remaining.Count - bestCount);
            int minU = int.MaxValue, maxU = int.MinValue;
            long inlierRows = 0;
            foreach (var sample in remaining)
            {
                if (Math.Abs(winner.SignedDistance(sample.Point)) < settings.PlaneInlierMm)
                {
                    inliers.Add(sample.Point);
                    inlierRows += sample.V;
                    minU = Math.Min(minU, sample.U);
                    maxU = Math.Max(maxU, sample.U);
                }
                else
                {
                    outliers.Add(sample);
                }
            }

            // Only planes as wide as the room count as background; a flat back is narrower than that. A narrow plane
            // is set aside (not background) and the search goes on: a near child can hide most of the floor, leaving
            // it fewer samples than the back.
            remaining = outliers;
            if (maxU - minU < settings.BackgroundMinWidthShare * depth.Width)
            {
                continue;
            }

            var refined = (Plane.FitLeastSquares(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(inliers)) ?? winner).FacingCamera();
            planes.Add(refined);

            // The floor: of the planes that face upward in the image (normal with a clearly negative y), the one seen
            // lowest in the image. An upright camera, level or pitched down, always sees the floor below the wall,
            // so this needs no assumption about the stand's pitch (which a wrong-pose capture would break).
            var meanRow = inlierRows / (double)inliers.Count;
            if (refined.Normal.Y < -0.3 && (floor is null || meanRow > floorRow))
            {
                floor = refined;
                floorRow = meanRow;
            }
        }

        return planes;
    }

    // Labels a foreground neighbour whose depth continues the component's and pushes it for the flood fill.
    private static void Visit(Span<int> labels, int[] stack, ref int top, DepthFrame depth, int neighbour, int value, double continuity, int label)
    {
        if (labels[neighbour] != -1)
        {
            return;
        }

        var width = depth.Width;
        var other = depth.Row(neighbour / width)[neighbour % width];
        if (Math.Abs(other - value) < continuity)
        {
            labels[neighbour] = label;
            stack[top++] = neighbour;
        }
    }

    private static List<SceneObject> LabelComponents(DepthFrame depth, Span<int> labels, int[] stack, CameraIntrinsics intrinsics, SegmentationSettings settings)
    {
        var width = depth.Width;
        var height = depth.Height;
        var scale = depth.DepthScaleMm;
        var continuity = settings.ContinuityMm / scale;
        var objects = new List<SceneObject>();
        var next = 1;
        var depths = new List<ushort>();
        for (var start = 0; start < width * height; start++)
        {
            if (labels[start] != -1)
            {
                continue;
            }

            var label = next++;
            var top = 0;
            stack[top++] = start;
            labels[start] = label;
            int pixels = 0, minU = width, minV = height, maxU = 0, maxV = 0;
            double area = 0, sumU = 0, sumV = 0;
            depths.Clear();
            while (top > 0)
            {
                var index = stack[--top];
                var u = index % width;
                var v = index / width;
                var value = depth.Row(v)[u];
                var z = value * scale;
                pixels++;
                area += z * z / (intrinsics.Fx * intrinsics.Fy);
                sumU += u;
                sumV += v;
                minU = Math.Min(minU, u);
                maxU = Math.Max(maxU, u);
                minV = Math.Min(minV, v);
                maxV = Math.Max(maxV, v);
                if ((pixels & 7) == 0)
                {
                    depths.Add(value);
                }

                if (u > 0)
                {
                    Visit(labels, stack, ref top, depth, index - 1, value, continuity, label);
                }

                if (u < width - 1)
                {
                    Visit(labels, stack, ref top, depth, index + 1, value, continuity, label);
                }

                if (v > 0)
                {
                    Visit(labels, stack, ref top, depth, index - width, value, continuity, label);
                }

                if (v < height - 1)
                {
                    Visit(labels, stack, ref top, depth, index + width, value, continuity, label);
                }

            }

            var areaM2 = area / 1e6;
            if (areaM2 >= settings.PersonMinAreaM2)
            {
                depths.Sort();
                var median = depths.Count > 0 ? depths[depths.Count / 2] * scale : 0;
                objects.Add(new SceneObject(label, pixels, areaM2, median, sumU / pixels, sumV / pixels, minU, minV, maxU, maxV));
            }
        }

        objects.Sort((a, b) => b.AreaM2.CompareTo(a.AreaM2));
        return objects;
    }
}

/// <summary>
/// Undistorted normalised rays of every pixel, computed once per camera. The tables of the cameras used last are kept
/// (<see cref="CacheCapacity"/>, most recent first): a device has one camera, but a benchmark over phantom children, each
/// with its own lens distortion, would otherwise keep a table (3 MB at 848x480) for every child.
/// </summary>
public sealed class RayTable
{
    /// <summary>How many cameras' tables are kept.</summary>
    public const int CacheCapacity = 8;

    private static readonly Lock CacheLock = new();
    private static readonly LinkedList<RayTable> Cache = new();
    private readonly CameraIntrinsics _intrinsics;
    private readonly float[] _x;
    private readonly float[] _y;

    private RayTable(CameraIntrinsics intrinsics)
    {
        _intrinsics = intrinsics;
        Width = intrinsics.Width;
        Height = intrinsics.Height;
        _x = new float[Width * Height];
        _y = new float[Width * Height];
        for (var v = 0; v < Height; v++)
        {
            for (var u = 0; u < Width; u++)
            {
                var (x, y) = intrinsics.NormalizedRay(u, v);
                _x[(v * Width) + u] = (float)x;
                _y[(v * Width) + u] = (float)y;
            }
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>How many tables the cache holds now (at most <see cref="CacheCapacity"/>).</summary>
    internal static int CachedCount
    {
        get
        {
            lock (CacheLock)
            {
                return Cache.Count;
            }
        }
    }

    /// <summary>The table of <paramref name="intrinsics"/>, from the cache or computed (outside the lock) and cached.</summary>
    public static RayTable For(CameraIntrinsics intrinsics)
    {
        ArgumentNullException.ThrowIfNull(intrinsics);
        if (Cached(intrinsics) is { } cached)
        {
            return cached;
        }

        var table = new RayTable(intrinsics);
        lock (CacheLock)
        {
            if (Cached(intrinsics) is { } raced)
            {
                return raced; // another thread made it meanwhile
            }

            Cache.AddFirst(table);
            while (Cache.Count > CacheCapacity)
            {
                Cache.RemoveLast();
            }
        }

        return table;
    }

    // The cached table of these intrinsics, moved to the front; null when none is cached.
    private static RayTable? Cached(CameraIntrinsics intrinsics)
    {
        lock (CacheLock)
        {
            for (var node = Cache.First; node is not null; node = node.Next)
            {
                if (node.Value._intrinsics.Equals(intrinsics))
                {
                    Cache.Remove(node);
                    Cache.AddFirst(node);
                    return node.Value;
                }
            }
        }

        return null;
    }

    /// <summary>Camera point (mm) of pixel (u, v) at depth <paramref name="depthMm"/>.</summary>
    public Vector3d Point(int u, int v, double depthMm)
    {
        var index = (v * Width) + u;
        return new Vector3d(_x[index] * depthMm, _y[index] * depthMm, depthMm);
    }
}
