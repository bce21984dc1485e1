using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>
/// Tells a standing back from a forward bend by which way the upper part of the body faces: a standing
/// back faces the camera (normals horizontal), a bent back faces the ceiling (normals up). Uses the
/// depth image's own normals on a sparse grid, so it needs neither landmarks nor a surface grid.
/// </summary>
public static class PoseClassifier
{
    /// <summary>The pose the body's upper part shows, or null when too little of it is measured to tell.</summary>
    public static CapturePose? Classify(DepthFrame depth, CameraIntrinsics intrinsics, SceneSegmentation scene, SceneObject body, BodyFrame frame)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(scene);
        var rays = RayTable.For(intrinsics);
        var labels = scene.Labels;
        var scale = depth.DepthScaleMm;
        const int Step = 3;

        // The upper 45% of the object in the image: the back in both poses (legs are below).
        var bottom = body.MinV + (int)((body.MaxV - body.MinV) * 0.45);
        double facingUp = 0, facingCamera = 0;
        var samples = 0;
        for (var v = Math.Max(body.MinV, Step); v < Math.Min(bottom, depth.Height - Step); v += Step)
        {
            for (var u = Math.Max(body.MinU, Step); u < Math.Min(body.MaxU, depth.Width - Step); u += Step)
            {
                if (labels[(v * depth.Width) + u] != body.Label
                    || labels[(v * depth.Width) + u + Step] != body.Label
                    || labels[((v + Step) * depth.Width) + u] != body.Label)
                {
                    continue;
                }

                var p = rays.Point(u, v, depth.Row(v)[u] * scale);
                var pu = rays.Point(u + Step, v, depth.Row(v)[u + Step] * scale);
                var pv = rays.Point(u, v + Step, depth.Row(v + Step)[u] * scale);
                var normal = Vector3d.Cross(pv - p, pu - p);
                var length = normal.Length;
                if (length < 1e-9)
                {
                    continue;
                }

                normal /= length;
                facingUp += Math.Abs(Vector3d.Dot(normal, frame.Up));
                facingCamera += Math.Abs(Vector3d.Dot(normal, frame.Posterior));
                samples++;
            }
        }

        if (samples < 50)
        {
            return null;
        }

        return facingUp > facingCamera ? CapturePose.ForwardBend : CapturePose.Standing;
    }
}
