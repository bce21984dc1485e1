using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>A plane n·p = d with unit normal <see cref="Normal"/>, in camera millimetres.</summary>
public readonly record struct Plane(Vector3d Normal, double Distance)
{
    /// <summary>Signed distance of <paramref name="point"/> from the plane, positive on the normal's side.</summary>
    public double SignedDistance(Vector3d point) => Vector3d.Dot(Normal, point) - Distance;

    /// <summary>The same plane with its normal pointing toward the camera origin.</summary>
    public Plane FacingCamera() => Distance > 0 ? new Plane(-Normal, -Distance) : this;

    /// <summary>Plane through three points, or null when they are (nearly) collinear.</summary>
    public static Plane? Through(Vector3d a, Vector3d b, Vector3d c)
    {
        var normal = Vector3d.Cross(b - a, c - a);
        var length = normal.Length;
        if (length < 1e-6)
        {
            return null;
        }

        normal /= length;
        return new Plane(normal, Vector3d.Dot(normal, a));
    }

    /// <summary>Least-squares plane of points given by their sums (centroid and scatter), or null when degenerate.</summary>
    public static Plane? FitLeastSquares(ReadOnlySpan<Vector3d> points)
    {
        if (points.Length < 3)
        {
            return null;
        }

        var centroid = Vector3d.Zero;
        foreach (var p in points)
        {
            centroid += p;
        }

        centroid /= points.Length;
        var covariance = new double[3, 3];
        foreach (var p in points)
        {
            var q = p - centroid;
            covariance[0, 0] += q.X * q.X;
            covariance[0, 1] += q.X * q.Y;
            covariance[0, 2] += q.X * q.Z;
            covariance[1, 1] += q.Y * q.Y;
            covariance[1, 2] += q.Y * q.Z;
            covariance[2, 2] += q.Z * q.Z;
        }

        covariance[1, 0] = covariance[0, 1];
        covariance[2, 0] = covariance[0, 2];
        covariance[2, 1] = covariance[1, 2];
        var normal = SymmetricEigen3.SmallestEigenvector(covariance);
        return new Plane(normal, Vector3d.Dot(normal, centroid));
    }
}

/// <summary>Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations.</summary>
public static class SymmetricEigen3
{
    /// <summary>Eigenvalues (ascending) and the matching unit eigenvectors.</summary>
    public static (double[] Values, Vector3d[] Vectors) Decompose(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var a = (double[,])matrix.Clone();
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (var sweep = 0; sweep < 50; sweep++)
        {
            var off = Math.Abs(a[0, 1]) + Math.Abs(a[0, 2]) + Math.Abs(a[1, 2]);
            if (off < 1e-15 * (Math.Abs(a[0, 0]) + Math.Abs(a[1, 1]) + Math.Abs(a[2, 2]) + 1e-300))
            {
                break;
            }

            for (var p = 0; p < 2; p++)
            {
                for (var q = p + 1; q < 3; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < 3; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < 3; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < 3; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        int[] order = [0, 1, 2];
        Array.Sort(order, (i, j) => a[i, i].CompareTo(a[j, j]));
        var values = new double[3];
        var vectors = new Vector3d[3];
        for (var i = 0; i < 3; i++)
        {
            var k = order[i];
            values[i] = a[k, k];
            vectors[i] = new Vector3d(v[0, k], v[1, k], v[2, k]).Normalized();
        }

        return (values, vectors);
    }

    public static Vector3d SmallestEigenvector(double[,] matrix) => Decompose(matrix).Vectors[0];
}
