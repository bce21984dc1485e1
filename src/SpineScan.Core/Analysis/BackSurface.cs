using System.Buffers;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>Which way the back is parametrised as a height field.</summary>
public enum SurfaceView
{
    /// <summary>Standing: grid over (right, up), height = posterior (toward the camera).</summary>
    Standing,

    /// <summary>Forward bend: grid over (right, away from the camera along the trunk), height = up.</summary>
    ForwardBend,
}

/// <summary>
/// The back as a regular grid in body coordinates: <see cref="HeightAt"/> is the surface height above
/// the grid plane in millimetres, NaN where the back was not seen. Smoothed once at build time, with
/// first and second derivatives, normals and curvatures derived from it. Buffers are pooled.
/// </summary>
public sealed class BackSurface : IDisposable
{
    // The height field and its derivatives, one grid each (columns x rows).
    private readonly PooledGrid<float> _height;
    private readonly PooledGrid<float> _hx;
    private readonly PooledGrid<float> _hy;
    private readonly PooledGrid<float> _hxx;
    private readonly PooledGrid<float> _hyy;
    private readonly PooledGrid<float> _hxy;

    private BackSurface(SurfaceView view, BodyFrame frame, double originA, double originB, double spacingMm, int columns, int rows)
    {
        View = view;
        Frame = frame;
        OriginA = originA;
        OriginB = originB;
        SpacingMm = spacingMm;
        Columns = columns;
        Rows = rows;
        _height = PooledGrid.Rent<float>(columns, rows);
        _hx = PooledGrid.Rent<float>(columns, rows);
        _hy = PooledGrid.Rent<float>(columns, rows);
        _hxx = PooledGrid.Rent<float>(columns, rows);
        _hyy = PooledGrid.Rent<float>(columns, rows);
        _hxy = PooledGrid.Rent<float>(columns, rows);
    }

    public SurfaceView View { get; }

    public BodyFrame Frame { get; }

    /// <summary>Grid coordinate a (mm, lateral: the child's right) of column 0.</summary>
    public double OriginA { get; }

    /// <summary>Grid coordinate b (mm; standing: height above the floor; bent: distance from the camera) of row 0.</summary>
    public double OriginB { get; }

    public double SpacingMm { get; }

    public int Columns { get; }

    public int Rows { get; }

    public int ValidCells { get; private set; }

    public double A(int column) => OriginA + (column * SpacingMm);

    public double B(int row) => OriginB + (row * SpacingMm);

    public float HeightAt(int column, int row) => Height[(row * Columns) + column];

    public bool IsValid(int column, int row) => !float.IsNaN(HeightAt(column, row));

    /// <summary>Unit surface normal in grid axes (a, b, height).</summary>
    public Vector3d NormalAt(int column, int row)
    {
        var i = (row * Columns) + column;
        return new Vector3d(-Hx[i], -Hy[i], 1).Normalized();
    }

    /// <summary>Mean curvature (1/mm), positive where the surface is concave seen from the camera (a groove).</summary>
    public double MeanCurvatureAt(int column, int row)
    {
        var i = (row * Columns) + column;
        double hx = Hx[i], hy = Hy[i];
        var g = 1 + (hx * hx) + (hy * hy);
        return (((1 + (hx * hx)) * Hyy[i]) - (2 * hx * hy * Hxy[i]) + ((1 + (hy * hy)) * Hxx[i])) / (2 * Math.Pow(g, 1.5));
    }

    /// <summary>Gaussian curvature (1/mm²).</summary>
    public double GaussianCurvatureAt(int column, int row)
    {
        var i = (row * Columns) + column;
        double hx = Hx[i], hy = Hy[i];
        var g = 1 + (hx * hx) + (hy * hy);
        return ((Hxx[i] * Hyy[i]) - (Hxy[i] * Hxy[i])) / (g * g);
    }

    /// <summary>Principal curvatures k1 &gt;= k2 (1/mm).</summary>
    public (double K1, double K2) PrincipalCurvaturesAt(int column, int row)
    {
        var h = MeanCurvatureAt(column, row);
        var k = GaussianCurvatureAt(column, row);
        var root = Math.Sqrt(Math.Max(0, (h * h) - k));
        return (h + root, h - root);
    }

    /// <summary>
    /// Height at fractional cell coordinates, bilinear between the four cells around it (linear along the row
    /// when <paramref name="row"/> is whole); NaN outside the grid or where a cell it needs is empty.
    /// </summary>
    public double InterpolatedHeight(double column, double row)
    {
        var c0 = (int)Math.Floor(column);
        var r0 = (int)Math.Floor(row);
        if (c0 < 0 || c0 + 1 >= Columns || r0 < 0 || r0 >= Rows)
        {
            return double.NaN;
        }

        var tc = column - c0;
        var bottom = ((1 - tc) * HeightAt(c0, r0)) + (tc * HeightAt(c0 + 1, r0));
        var tr = row - r0;
        if (tr == 0)
        {
            return bottom;
        }

        if (r0 + 1 >= Rows)
        {
            return double.NaN;
        }

        var top = ((1 - tc) * HeightAt(c0, r0 + 1)) + (tc * HeightAt(c0 + 1, r0 + 1));
        return ((1 - tr) * bottom) + (tr * top);
    }

    /// <summary>Height at grid coordinates (a, b) in millimetres; see <see cref="InterpolatedHeight"/>.</summary>
    public double HeightAtMm(double a, double b) => InterpolatedHeight((a - OriginA) / SpacingMm, (b - OriginB) / SpacingMm);

    /// <summary>Second derivative of the height along the b axis (1/mm): negative on a ridge running across the trunk.</summary>
    public float CurvatureB(int column, int row) => Hyy[(row * Columns) + column];

    /// <summary>Camera point (mm) of a grid cell on the surface.</summary>
    public Vector3d CameraPointAt(int column, int row) => Frame.ToCamera(ToBody(A(column), B(row), HeightAt(column, row)));

    /// <summary>Body coordinates (x right, y up, z posterior) of grid coordinates (a, b, height).</summary>
    public Vector3d ToBody(double a, double b, double height) => View == SurfaceView.Standing
        ? new Vector3d(a, b, height)
        : new Vector3d(a, height, -b);

    /// <summary>
    /// Builds the surface from the pixels of <paramref name="label"/> in <paramref name="segmentation"/>:
    /// bins camera points into cells, fills pinholes, smooths with a Gaussian of <paramref name="smoothingMm"/>.
    /// </summary>
    public static BackSurface Build(
        DepthFrame depth,
        CameraIntrinsics intrinsics,
        SceneSegmentation segmentation,
        int label,
        BodyFrame frame,
        SurfaceView view,
        double spacingMm = 4,
        double smoothingMm = 8)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(segmentation);
        var rays = RayTable.For(intrinsics);
        var labels = segmentation.Labels;
        var scale = depth.DepthScaleMm;

        // Pass 1: extent of the object in grid coordinates.
        double minA = double.MaxValue, maxA = double.MinValue, minB = double.MaxValue, maxB = double.MinValue;
        for (var v = 0; v < depth.Height; v++)
        {
            var row = depth.Row(v);
            for (var u = 0; u < depth.Width; u++)
            {
                if (labels[(v * depth.Width) + u] != label)
                {
                    continue;
                }

                var (a, b, _) = GridCoordinates(frame, view, rays.Point(u, v, row[u] * scale));
                minA = Math.Min(minA, a);
                maxA = Math.Max(maxA, a);
                minB = Math.Min(minB, b);
                maxB = Math.Max(maxB, b);
            }
        }

        if (minA > maxA)
        {
            throw new ArgumentException("The segmentation holds no pixel with that label.", nameof(label));
        }

        const int MaxCells = 512;
        var columns = Math.Clamp((int)Math.Ceiling((maxA - minA) / spacingMm) + 1, 1, MaxCells);
        var rows = Math.Clamp((int)Math.Ceiling((maxB - minB) / spacingMm) + 1, 1, MaxCells);
        var surface = new BackSurface(view, frame, minA, minB, spacingMm, columns, rows);
        var cells = columns * rows;
        var sums = ArrayPool<float>.Shared.Rent(cells);
        var counts = ArrayPool<int>.Shared.Rent(cells);
        var footprintSums = ArrayPool<float>.Shared.Rent(cells);
        var footprintCounts = ArrayPool<int>.Shared.Rent(cells);
        var previousRow = ArrayPool<double>.Shared.Rent(3 * depth.Width);
        try
        {
            Array.Clear(sums, 0, cells);
            Array.Clear(counts, 0, cells);
            Array.Clear(footprintSums, 0, cells);
            Array.Clear(footprintCounts, 0, cells);
            var above = previousRow.AsSpan(0, 3 * depth.Width);
            above.Fill(double.NaN);
            var halfCell = spacingMm / 2;
            var maxJumpMm = 4 * spacingMm;

            // Pass 2: mean height per cell from the pixels whose centres fall in it; beside it, each pixel's footprint
            // (reaching half-way to its left and upper neighbours on the same surface) for the cells no centre reached.
            for (var v = 0; v < depth.Height; v++)
            {
                var row = depth.Row(v);
                double leftA = double.NaN, leftB = double.NaN, leftH = double.NaN;
                for (var u = 0; u < depth.Width; u++)
                {
                    if (labels[(v * depth.Width) + u] != label)
                    {
                        leftA = double.NaN;
                        above[3 * u] = double.NaN;
                        continue;
                    }

                    var (a, b, h) = GridCoordinates(frame, view, rays.Point(u, v, row[u] * scale));
                    var c = (int)Math.Round((a - minA) / spacingMm);
                    var r = (int)Math.Round((b - minB) / spacingMm);
                    if ((uint)c < (uint)columns && (uint)r < (uint)rows)
                    {
                        sums[(r * columns) + c] += (float)h;
                        counts[(r * columns) + c]++;
                    }

                    var reachA = 0.0;
                    var reachB = 0.0;
                    if (!double.IsNaN(leftA) && Math.Abs(h - leftH) < maxJumpMm)
                    {
                        reachA = Math.Abs(a - leftA) / 2;
                        reachB = Math.Abs(b - leftB) / 2;
                    }

                    var upA = above[3 * u];
                    if (!double.IsNaN(upA) && Math.Abs(h - above[(3 * u) + 2]) < maxJumpMm)
                    {
                        reachA = Math.Max(reachA, Math.Abs(a - upA) / 2);
                        reachB = Math.Max(reachB, Math.Abs(b - above[(3 * u) + 1]) / 2);
                    }

                    if (reachA > halfCell || reachB > halfCell)
                    {
                        Splat(footprintSums, footprintCounts, columns, rows, (a - minA) / spacingMm, (b - minB) / spacingMm, reachA / spacingMm, reachB / spacingMm, (float)h);
                    }

                    (leftA, leftB, leftH) = (a, b, h);
                    above[3 * u] = a;
                    above[(3 * u) + 1] = b;
                    above[(3 * u) + 2] = h;
                }
            }

            var height = surface.Height;
            for (var i = 0; i < cells; i++)
            {
                height[i] = counts[i] > 0 ? sums[i] / counts[i]
                    : footprintCounts[i] > 0 ? footprintSums[i] / footprintCounts[i]
                    : float.NaN;
            }

            // The grid is finer than the pixels far from the camera: fill cells whose neighbours saw the surface.
            FillPinholes(height, columns, rows, sums);
            FillPinholes(height, columns, rows, sums);
            GaussianSmooth(height, columns, rows, smoothingMm / spacingMm, sums);
            surface.ComputeDerivatives();
            return surface;
        }
        catch
        {
            surface.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<float>.Shared.Return(footprintSums);
            ArrayPool<int>.Shared.Return(footprintCounts);
            ArrayPool<double>.Shared.Return(previousRow);
        }
    }

    /// <summary>A surface sampled from an analytic height field (tests and synthetic checks); NaN heights are holes.</summary>
    internal static BackSurface FromHeightField(Func<double, double, double> height, double minA, double minB, double spacingMm, int columns, int rows)
    {
        var surface = new BackSurface(SurfaceView.Standing, BodyFrame.FromFloor(null), minA, minB, spacingMm, columns, rows);
        var heights = surface.Height;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                heights[(r * columns) + c] = (float)height(minA + (c * spacingMm), minB + (r * spacingMm));
            }
        }

        surface.ComputeDerivatives();
        return surface;
    }

    public void Dispose()
    {
        _height.Dispose();
        _hx.Dispose();
        _hy.Dispose();
        _hxx.Dispose();
        _hyy.Dispose();
        _hxy.Dispose();
    }

    internal Span<float> Height => _height.Cells;

    private Span<float> Hx => _hx.Cells;

    private Span<float> Hy => _hy.Cells;

    private Span<float> Hxx => _hxx.Cells;

    private Span<float> Hyy => _hyy.Cells;

    private Span<float> Hxy => _hxy.Cells;

    private static (double A, double B, double H) GridCoordinates(BodyFrame frame, SurfaceView view, Vector3d camera)
    {
        var body = frame.ToBody(camera);
        return view == SurfaceView.Standing ? (body.X, body.Y, body.Z) : (body.X, -body.Z, body.Y);
    }

    private void ComputeDerivatives()
    {
        var h = Height;
        var hx = Hx;
        var hy = Hy;
        var hxx = Hxx;
        var hyy = Hyy;
        var hxy = Hxy;
        var s = (float)SpacingMm;
        var valid = 0;
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                var i = (r * Columns) + c;
                hx[i] = hy[i] = hxx[i] = hyy[i] = hxy[i] = float.NaN;
                if (float.IsNaN(h[i]))
                {
                    continue;
                }

                valid++;
                if (c == 0 || r == 0 || c == Columns - 1 || r == Rows - 1)
                {
                    continue;
                }

                float left = h[i - 1], right = h[i + 1], down = h[i - Columns], up = h[i + Columns];
                float dl = h[i - Columns - 1], dr = h[i - Columns + 1], ul = h[i + Columns - 1], ur = h[i + Columns + 1];
                hx[i] = (right - left) / (2 * s);
                hy[i] = (up - down) / (2 * s);
                hxx[i] = (right - (2 * h[i]) + left) / (s * s);
                hyy[i] = (up - (2 * h[i]) + down) / (s * s);
                hxy[i] = (ur - ul - dr + dl) / (4 * s * s);
            }
        }

        ValidCells = valid;
    }

    // A pixel far from the camera, or seen at a grazing angle, covers more than one cell: it stands for every cell its
    // footprint reaches (at most a few cells each way, so a silhouette edge does not smear).
    private static void Splat(float[] sums, int[] counts, int columns, int rows, double column, double row, double reachColumns, double reachRows, float height)
    {
        const double MaxReachCells = 3;
        reachColumns = Math.Min(reachColumns, MaxReachCells);
        reachRows = Math.Min(reachRows, MaxReachCells);
        var c0 = Math.Max(0, (int)Math.Ceiling(column - reachColumns - 0.5));
        var c1 = Math.Min(columns - 1, (int)Math.Floor(column + reachColumns + 0.5));
        var r0 = Math.Max(0, (int)Math.Ceiling(row - reachRows - 0.5));
        var r1 = Math.Min(rows - 1, (int)Math.Floor(row + reachRows + 0.5));
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                sums[(r * columns) + c] += height;
                counts[(r * columns) + c]++;
            }
        }
    }

    private static void FillPinholes(Span<float> height, int columns, int rows, float[] scratch)
    {
        height.CopyTo(scratch);
        for (var r = 1; r < rows - 1; r++)
        {
            for (var c = 1; c < columns - 1; c++)
            {
                var i = (r * columns) + c;
                if (!float.IsNaN(scratch[i]))
                {
                    continue;
                }

                float sum = 0;
                var n = 0;
                for (var dr = -1; dr <= 1; dr++)
                {
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        var value = scratch[i + (dr * columns) + dc];
                        if (!float.IsNaN(value))
                        {
                            sum += value;
                            n++;
                        }
                    }
                }

                if (n >= 5)
                {
                    height[i] = sum / n;
                }
            }
        }
    }

    // Separable Gaussian that ignores NaN cells (normalised by the weights actually used) and keeps NaN cells NaN.
    private static void GaussianSmooth(Span<float> height, int columns, int rows, double sigmaCells, float[] scratch)
    {
        if (sigmaCells < 0.3)
        {
            return;
        }

        var radius = (int)Math.Ceiling(2.5 * sigmaCells);
        Span<float> kernel = stackalloc float[(2 * radius) + 1];
        for (var k = -radius; k <= radius; k++)
        {
            kernel[k + radius] = (float)Math.Exp(-(k * k) / (2 * sigmaCells * sigmaCells));
        }

        var cells = columns * rows;
        var temp = scratch.AsSpan(0, cells);

        // Horizontal pass into temp.
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                if (float.IsNaN(height[i]))
                {
                    temp[i] = float.NaN;
                    continue;
                }

                float sum = 0, weight = 0;
                for (var k = Math.Max(-radius, -c); k <= Math.Min(radius, columns - 1 - c); k++)
                {
                    var value = height[i + k];
                    if (!float.IsNaN(value))
                    {
                        sum += kernel[k + radius] * value;
                        weight += kernel[k + radius];
                    }
                }

                temp[i] = sum / weight;
            }
        }

        // Vertical pass back into height.
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                if (float.IsNaN(temp[i]))
                {
                    continue;
                }

                float sum = 0, weight = 0;
                for (var k = Math.Max(-radius, -r); k <= Math.Min(radius, rows - 1 - r); k++)
                {
                    var value = temp[i + (k * columns)];
                    if (!float.IsNaN(value))
                    {
                        sum += kernel[k + radius] * value;
                        weight += kernel[k + radius];
                    }
                }

                height[i] = sum / weight;
            }
        }
    }
}
