using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>
/// An orthonormal body frame expressed in camera millimetres: <see cref="Right"/> (the child's right,
/// which is the image's right when the child's back faces the camera), <see cref="Up"/> (against
/// gravity) and <see cref="Posterior"/> (out of the child's back, toward the camera), with the origin on
/// the floor under the camera (or 1 m under it when no floor is seen).
/// </summary>
public readonly record struct BodyFrame(Vector3d Origin, Vector3d Right, Vector3d Up, Vector3d Posterior)
{
    private const double AssumedCameraHeightMm = 1000;

    /// <summary>Builds the frame from the floor's normal, or from the camera's own axes when no floor was found.</summary>
    public static BodyFrame FromFloor(Plane? floor)
    {
        var up = floor?.Normal ?? new Vector3d(0, -1, 0);
        var towardCamera = new Vector3d(0, 0, -1);
        var posterior = (towardCamera - (up * Vector3d.Dot(towardCamera, up))).Normalized();
        var right = Vector3d.Cross(up, posterior).Normalized();

        // Camera origin's foot on the floor: along -up by the camera's height above the floor.
        var height = floor is { } f ? -f.Distance : AssumedCameraHeightMm;
        return new BodyFrame(up * -height, right, up, posterior);
    }

    /// <summary>Body coordinates (x right, y up, z posterior) of a camera point.</summary>
    public Vector3d ToBody(Vector3d camera)
    {
        var d = camera - Origin;
        return new Vector3d(Vector3d.Dot(d, Right), Vector3d.Dot(d, Up), Vector3d.Dot(d, Posterior));
    }

    /// <summary>Camera point of body coordinates.</summary>
    public Vector3d ToCamera(Vector3d body) => Origin + (Right * body.X) + (Up * body.Y) + (Posterior * body.Z);

    /// <summary>Camera pitch (degrees, positive = looking down) implied by the floor.</summary>
    public double CameraPitchDeg => Math.Atan2(-Vector3d.Dot(new Vector3d(0, 0, 1), Up), -Up.Y) * 180 / Math.PI;

    /// <summary>Camera roll (degrees, positive = the camera's +x axis turned toward its +y, image right going down) implied by the floor.</summary>
    public double CameraRollDeg => Math.Atan2(-Up.X, -Up.Y) * 180 / Math.PI;
}
