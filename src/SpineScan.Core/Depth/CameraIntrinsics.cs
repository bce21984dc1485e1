using System.Numerics;

namespace SpineScan.Core.Depth;

/// <summary>Lens distortion models a capture may declare.</summary>
public enum DistortionModel
{
    /// <summary>An ideal pinhole: coefficients are ignored.</summary>
    None,

    /// <summary>Brown-Conrady radial (k1, k2, k3) and tangential (p1, p2), applied on projection (OpenCV and RealSense convention).</summary>
    BrownConrady,
}

/// <summary>
/// Pinhole intrinsics with Brown-Conrady distortion. The camera looks along +z with +x to the right of
/// the image and +y down (RealSense convention). Coefficients are k1, k2, p1, p2, k3.
/// </summary>
public sealed record CameraIntrinsics(
    int Width,
    int Height,
    double Fx,
    double Fy,
    double Cx,
    double Cy,
    DistortionModel Model,
    double K1 = 0,
    double K2 = 0,
    double P1 = 0,
    double P2 = 0,
    double K3 = 0)
{
    private const int MaxUndistortIterations = 30;

    /// <summary>Intel RealSense D435 depth stream at 848x480 (typical factory values).</summary>
    public static CameraIntrinsics RealSenseD435 { get; } = new(848, 480, 425.0, 425.0, 424.0, 240.0, DistortionModel.BrownConrady);

    /// <summary>An Azure-Kinect-class ToF camera, narrow field of view unbinned, 640x576.</summary>
    public static CameraIntrinsics AzureKinectNfov { get; } = new(640, 576, 504.0, 504.0, 320.0, 288.0, DistortionModel.BrownConrady);

    /// <summary>
    /// Lists what makes these intrinsics impossible (non-finite numbers, a non-positive focal length,
    /// a principal point outside the image, a distortion so strong that projection folds over).
    /// An empty list means they are usable.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Width <= 0 || Height <= 0)
        {
            problems.Add($"image size {Width}x{Height} must be positive");
        }

        CheckFinitePositive(problems, "fx", Fx);
        CheckFinitePositive(problems, "fy", Fy);
        if (!double.IsFinite(Cx) || Cx < 0 || Cx > Width)
        {
            problems.Add(FormattableString.Invariant($"cx = {Cx} must lie inside the image width 0..{Width}"));
        }

        if (!double.IsFinite(Cy) || Cy < 0 || Cy > Height)
        {
            problems.Add(FormattableString.Invariant($"cy = {Cy} must lie inside the image height 0..{Height}"));
        }

        if (double.IsFinite(Fx) && double.IsFinite(Fy) && Fx > 0 && Fy > 0 && (Fx / Fy > 4 || Fy / Fx > 4))
        {
            problems.Add(FormattableString.Invariant($"fx / fy = {Fx / Fy:0.###} is not a real camera's aspect"));
        }

        string[] names = ["k1", "k2", "p1", "p2", "k3"];
        double[] values = [K1, K2, P1, P2, K3];
        for (var i = 0; i < names.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                problems.Add($"distortion coefficient {names[i]} is not a finite number");
            }
            else if (Math.Abs(values[i]) > 10)
            {
                problems.Add(FormattableString.Invariant($"distortion coefficient {names[i]} = {values[i]} is far outside any real lens (|value| <= 10)"));
            }
        }

        return problems;
    }

    /// <summary>Pixel of a 3D point (any unit, z &gt; 0) in camera coordinates.</summary>
    public Vector2d Project(Vector3d point)
    {
        var x = point.X / point.Z;
        var y = point.Y / point.Z;
        (x, y) = Distort(x, y);
        return new Vector2d((x * Fx) + Cx, (y * Fy) + Cy);
    }

    /// <summary>3D point in millimetres of pixel (u, v) seen at depth <paramref name="depthMm"/> along +z.</summary>
    public Vector3d Deproject(double u, double v, double depthMm)
    {
        var (x, y) = NormalizedRay(u, v);
        return new Vector3d(x * depthMm, y * depthMm, depthMm);
    }

    /// <summary>Undistorted normalised image coordinates (x/z, y/z) of pixel (u, v).</summary>
    public (double X, double Y) NormalizedRay(double u, double v)
    {
        var xd = (u - Cx) / Fx;
        var yd = (v - Cy) / Fy;
        return Model == DistortionModel.None || IsDistortionFree ? (xd, yd) : Undistort(xd, yd);
    }

    private bool IsDistortionFree => K1 == 0 && K2 == 0 && P1 == 0 && P2 == 0 && K3 == 0;

    private (double X, double Y) Distort(double x, double y)
    {
        if (Model == DistortionModel.None)
        {
            return (x, y);
        }

        var r2 = (x * x) + (y * y);
        var radial = 1 + (K1 * r2) + (K2 * r2 * r2) + (K3 * r2 * r2 * r2);
        var xd = (x * radial) + (2 * P1 * x * y) + (P2 * (r2 + (2 * x * x)));
        var yd = (y * radial) + (P1 * (r2 + (2 * y * y))) + (2 * P2 * x * y);
        return (xd, yd);
    }

    // Newton's method on the distortion map: converges to machine precision in a few steps for real lenses,
    // where the fixed-point iteration OpenCV uses can stall at the image corners.
    private (double X, double Y) Undistort(double xd, double yd)
    {
        double x = xd, y = yd;
        for (var i = 0; i < MaxUndistortIterations; i++)
        {
            var (fx, fy) = Distort(x, y);
            var ex = fx - xd;
            var ey = fy - yd;
            if ((ex * ex) + (ey * ey) < 1e-24)
            {
                break;
            }

            var r2 = (x * x) + (y * y);
            var radial = 1 + (K1 * r2) + (K2 * r2 * r2) + (K3 * r2 * r2 * r2);
            var dRadial = (2 * K1) + (4 * K2 * r2) + (6 * K3 * r2 * r2); // d(radial)/d(r2) x 2
            var j11 = radial + (x * x * dRadial) + (2 * P1 * y) + (6 * P2 * x);
            var j12 = (x * y * dRadial) + (2 * P1 * x) + (2 * P2 * y);
            var j21 = (x * y * dRadial) + (2 * P1 * x) + (2 * P2 * y);
            var j22 = radial + (y * y * dRadial) + (6 * P1 * y) + (2 * P2 * x);
            var det = (j11 * j22) - (j12 * j21);
            if (Math.Abs(det) < 1e-12)
            {
                break;
            }

            x -= ((j22 * ex) - (j12 * ey)) / det;
            y -= ((j11 * ey) - (j21 * ex)) / det;
        }

        return (x, y);
    }

    private static void CheckFinitePositive(List<string> problems, string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            problems.Add(FormattableString.Invariant($"{name} = {value} must be a positive finite focal length in pixels"));
        }
    }
}

/// <summary>A 2D vector in double precision (pixels, millimetres).</summary>
public readonly record struct Vector2d(double X, double Y)
{
    public static Vector2d operator +(Vector2d a, Vector2d b) => new(a.X + b.X, a.Y + b.Y);

    public static Vector2d operator -(Vector2d a, Vector2d b) => new(a.X - b.X, a.Y - b.Y);

    public static Vector2d operator *(Vector2d a, double s) => new(a.X * s, a.Y * s);

    public double Length => Math.Sqrt((X * X) + (Y * Y));
}

/// <summary>A 3D vector in double precision (millimetres in camera or body coordinates).</summary>
public readonly record struct Vector3d(double X, double Y, double Z)
{
    public static Vector3d Zero => default;

    public static Vector3d operator +(Vector3d a, Vector3d b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vector3d operator -(Vector3d a, Vector3d b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vector3d operator -(Vector3d a) => new(-a.X, -a.Y, -a.Z);

    public static Vector3d operator *(Vector3d a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public static Vector3d operator *(double s, Vector3d a) => a * s;

    public static Vector3d operator /(Vector3d a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    public double Length => Math.Sqrt(Dot(this, this));

    public Vector3d Normalized() => this / Length;

    public static double Dot(Vector3d a, Vector3d b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    public static Vector3d Cross(Vector3d a, Vector3d b) =>
        new((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    public Vector3 ToSingle() => new((float)X, (float)Y, (float)Z);
}
