using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Analysis;

/// <summary>
/// Ray-casts simple rooms for analysis tests: a wall, a floor under a level camera, and ellipsoids.
/// Exact geometry with known curvature, independent of the phantom generator.
/// </summary>
internal static class SyntheticScene
{
    public static readonly CameraIntrinsics Camera = CameraIntrinsics.RealSenseD435;

    public readonly record struct Ellipsoid(Vector3d Centre, Vector3d Radii);

    public static DepthFrame Render(double wallMm, double floorBelowCameraMm, params Ellipsoid[] bodies) =>
        Render(Camera, wallMm, floorBelowCameraMm, bodies);

    public static DepthFrame Render(CameraIntrinsics camera, double wallMm, double floorBelowCameraMm, params Ellipsoid[] bodies)
    {
        var frame = DepthFrame.Create(camera.Width, camera.Height, 0.001);
        for (var v = 0; v < camera.Height; v++)
        {
            for (var u = 0; u < camera.Width; u++)
            {
                var (rx, ry) = camera.NormalizedRay(u, v);
                var z = wallMm;
                if (ry > 0)
                {
                    z = Math.Min(z, floorBelowCameraMm / ry);
                }

                foreach (var e in bodies)
                {
                    // Solve |(t·ray - c) / r|² = 1 for the nearest t (t = depth since ray.z = 1).
                    double ax = rx / e.Radii.X, ay = ry / e.Radii.Y, az = 1 / e.Radii.Z;
                    double cx = e.Centre.X / e.Radii.X, cy = e.Centre.Y / e.Radii.Y, cz = e.Centre.Z / e.Radii.Z;
                    var a = (ax * ax) + (ay * ay) + (az * az);
                    var b = -2 * ((ax * cx) + (ay * cy) + (az * cz));
                    var c = (cx * cx) + (cy * cy) + (cz * cz) - 1;
                    var disc = (b * b) - (4 * a * c);
                    if (disc > 0)
                    {
                        z = Math.Min(z, (-b - Math.Sqrt(disc)) / (2 * a));
                    }
                }

                frame.Row(v)[u] = (ushort)Math.Round(z);
            }
        }

        return frame;
    }
}
