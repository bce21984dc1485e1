using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>A surface sampled on a rows x columns grid of vertices (world millimetres), drawn as two triangles per cell.</summary>
internal sealed class GridMesh
{
    public GridMesh(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
        X = new double[rows * columns];
        Y = new double[rows * columns];
        Z = new double[rows * columns];
    }

    public int Rows { get; }

    public int Columns { get; }

    public double[] X { get; }

    public double[] Y { get; }

    public double[] Z { get; }

    public int VertexCount => X.Length;

    public void Set(int row, int column, Vector3d p)
    {
        var i = (row * Columns) + column;
        X[i] = p.X;
        Y[i] = p.Y;
        Z[i] = p.Z;
    }

    public GridMesh Translated(Vector3d offset)
    {
        var copy = new GridMesh(Rows, Columns);
        for (var i = 0; i < X.Length; i++)
        {
            copy.X[i] = X[i] + offset.X;
            copy.Y[i] = Y[i] + offset.Y;
            copy.Z[i] = Z[i] + offset.Z;
        }

        return copy;
    }

    /// <summary>A tube from <paramref name="a"/> to <paramref name="b"/> with elliptic cross-sections (lateral and depth radii) tapering linearly.</summary>
    public static GridMesh Tube(Vector3d a, Vector3d b, double lateralA, double depthA, double lateralB, double depthB, double stepMm = 6)
    {
        var axis = b - a;
        var length = axis.Length;
        var t = axis / length;
        var reference = Math.Abs(t.X) < 0.9 ? new Vector3d(1, 0, 0) : new Vector3d(0, 0, 1);
        var e1 = (reference - (Vector3d.Dot(reference, t) * t)).Normalized();
        var e2 = Vector3d.Cross(t, e1);
        var rows = Math.Max(2, (int)Math.Ceiling(length / stepMm) + 1);
        var columns = Math.Max(12, (int)Math.Ceiling(2 * Math.PI * Math.Max(lateralA, depthA) / stepMm)) + 1;
        var mesh = new GridMesh(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            var f = (double)r / (rows - 1);
            var centre = a + (axis * f);
            var rl = lateralA + ((lateralB - lateralA) * f);
            var rd = depthA + ((depthB - depthA) * f);
            for (var c = 0; c < columns; c++)
            {
                var phi = 2 * Math.PI * c / (columns - 1);
                mesh.Set(r, c, centre + (e1 * (rl * Math.Cos(phi))) + (e2 * (rd * Math.Sin(phi))));
            }
        }

        return mesh;
    }

    /// <summary>An ellipsoid with semi-axes r1 e1, r2 e2, r3 e3 (e1..e3 orthonormal).</summary>
    public static GridMesh Ellipsoid(Vector3d centre, Vector3d e1, Vector3d e2, Vector3d e3, double r1, double r2, double r3, double stepMm = 6)
    {
        var maxR = Math.Max(r1, Math.Max(r2, r3));
        var rows = Math.Max(8, (int)Math.Ceiling(Math.PI * maxR / stepMm) + 1);
        var columns = Math.Max(12, (int)Math.Ceiling(2 * Math.PI * maxR / stepMm) + 1);
        var mesh = new GridMesh(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            var theta = Math.PI * r / (rows - 1);
            var (st, ct) = Math.SinCos(theta);
            for (var c = 0; c < columns; c++)
            {
                var phi = 2 * Math.PI * c / (columns - 1);
                var (sp, cp) = Math.SinCos(phi);
                mesh.Set(r, c, centre + (e2 * (r2 * ct)) + (e1 * (r1 * st * cp)) + (e3 * (r3 * st * sp)));
            }
        }

        return mesh;
    }
}
