using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>
/// Where the camera is and how it looks, in body coordinates (mm): the camera's +x (image right), +y (image down)
/// and +z (optical axis) as unit vectors.
/// </summary>
public sealed record PhantomCameraPose(Vector3d Position, Vector3d Right, Vector3d Down, Vector3d Forward)
{
    /// <summary>
    /// A camera at <paramref name="position"/> looking along <paramref name="forward"/> (image right kept horizontal),
    /// then pitched (positive looks further down) and rolled (positive turns image right toward image down) about its centre.
    /// </summary>
    public static PhantomCameraPose Looking(Vector3d position, Vector3d forward, double pitchDeg, double rollDeg)
    {
        var f = forward.Normalized();
        var r = Vector3d.Cross(new Vector3d(0, 1, 0), f).Normalized();
        if (r.X < 0)
        {
            r = -r;
        }

        var d = Vector3d.Cross(f, r);
        var (sp, cp) = Math.SinCos(pitchDeg * Math.PI / 180);
        var f1 = (f * cp) + (d * sp);
        var d1 = (d * cp) - (f * sp);
        var (sr, cr) = Math.SinCos(rollDeg * Math.PI / 180);
        var r2 = (r * cr) + (d1 * sr);
        var d2 = (d1 * cr) - (r * sr);
        return new PhantomCameraPose(position, r2, d2, f1);
    }

    /// <summary>Camera coordinates (mm) of a body-coordinate point.</summary>
    public Vector3d ToCamera(Vector3d body)
    {
        var v = body - Position;
        return new Vector3d(Vector3d.Dot(v, Right), Vector3d.Dot(v, Down), Vector3d.Dot(v, Forward));
    }

    /// <summary>Body coordinates of a camera-coordinate point.</summary>
    public Vector3d ToBody(Vector3d camera) => Position + (Right * camera.X) + (Down * camera.Y) + (Forward * camera.Z);
}
