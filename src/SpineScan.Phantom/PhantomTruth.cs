using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

/// <summary>One vertebra's truth.</summary>
/// <param name="Level">The level.</param>
/// <param name="TangentDeg">Frontal tangent angle atan(dx/dy) of the body-centre line (+x the child's right, +y down).</param>
/// <param name="EndplateTiltDeg">Frontal endplate tilt from the tilt model (T1..L5; null for C7 and S1), same convention.</param>
/// <param name="AxialRotationDeg">Axial rotation, + = vertebral body turned toward the child's right (spinous process to the left).</param>
/// <param name="SurfaceRotationStandingDeg">The model's back-surface rotation at this height standing (+ = right side more posterior).</param>
/// <param name="SurfaceRotationForwardBendDeg">The same in the forward bend.</param>
/// <param name="BodyWidthMm">Frontal width of the vertebral body.</param>
/// <param name="BodyHeightMm">Frontal height of the vertebral body.</param>
/// <param name="FrontalCornersMm">T1..L5: top-left, top-right, bottom-left, bottom-right on the virtual film (mm, +y down); null otherwise.</param>
public sealed record VertebraTruth(
    VertebralLevel Level,
    double TangentDeg,
    double? EndplateTiltDeg,
    double AxialRotationDeg,
    double SurfaceRotationStandingDeg,
    double SurfaceRotationForwardBendDeg,
    double BodyWidthMm,
    double BodyHeightMm,
    Vector2d[]? FrontalCornersMm);

/// <summary>A spinal level in one pose: bone and skin, in body and camera millimetres.</summary>
public sealed record SpinalPointTruth(
    VertebralLevel Level,
    Vector3d BodyCentreBodyMm,
    Vector3d BodyCentreCameraMm,
    Vector3d SpinousTipBodyMm,
    Vector3d SpinousTipCameraMm,
    Vector3d SkinBodyMm,
    Vector3d SkinCameraMm,
    Vector2d SkinPixel);

/// <summary>A surface landmark in one pose.</summary>
public sealed record LandmarkTruth(string Name, Vector3d BodyMm, Vector3d CameraMm, Vector2d Pixel);

/// <summary>The camera of one pose, in body coordinates.</summary>
/// <param name="PositionBodyMm">Optical centre.</param>
/// <param name="RightAxis">Camera +x.</param>
/// <param name="DownAxis">Camera +y.</param>
/// <param name="ForwardAxis">Camera +z (optical axis).</param>
/// <param name="AimPointBodyMm">The back point the stand was aimed at.</param>
/// <param name="DistanceMm">Optical centre to the aim point.</param>
/// <param name="PitchDeg">Total downward pitch (nominal plus error).</param>
/// <param name="RollDeg">Roll.</param>
public sealed record CameraPoseTruth(
    Vector3d PositionBodyMm,
    Vector3d RightAxis,
    Vector3d DownAxis,
    Vector3d ForwardAxis,
    Vector3d AimPointBodyMm,
    double DistanceMm,
    double PitchDeg,
    double RollDeg);

/// <summary>Truth of one pose (noise-free, without the per-frame sway).</summary>
public sealed record PoseTruth(CapturePose Pose, CameraPoseTruth Camera, SpinalPointTruth[] Spine, LandmarkTruth[] Landmarks);

/// <summary>
/// The ground truth of one phantom child. Body coordinates: mm, +X the child's right, +Y up, +Z posterior (toward the
/// camera), origin on the floor between the heels, hip axis at Z = 0. Camera coordinates: mm, +x image right, +y image
/// down, +z along the optical axis.
/// </summary>
public sealed record PhantomTruth
{
    public const string SchemaName = "spinescan.phantom-truth/1";

    public string Schema { get; init; } = SchemaName;

    public required PhantomParameters Parameters { get; init; }

    /// <summary>Truth Cobb angles from the AASCE challenge procedure on the generated T1..L5 endplates: the largest, then the curves above and below it.</summary>
    public required double[] CobbDeg { get; init; }

    public required bool CobbIsSShaped { get; init; }

    /// <summary>End vertebrae of the largest curve as the Cobb procedure found them.</summary>
    public required VertebralLevel CobbUpperEnd { get; init; }

    public required VertebralLevel CobbLowerEnd { get; init; }

    /// <summary>The "image height" passed to the Cobb procedure: twice <see cref="SpineModel.FilmHalfHeightMm"/> (see docs/phantom.md).</summary>
    public required double CobbFilmHeightMm { get; init; }

    /// <summary>Angle of trunk rotation (magnitude, degrees) on the noise-free forward-bend surface.</summary>
    public required double AtrDeg { get; init; }

    /// <summary>"right", "left" (the higher side) or "none".</summary>
    public required string AtrSide { get; init; }

    /// <summary>The spinous level nearest the cross-section of the largest inclination.</summary>
    public required VertebralLevel AtrLevel { get; init; }

    /// <summary>Largest signed inclination (+ = right side higher) above and below the thoracolumbar junction.</summary>
    public required double AtrThoracicDeg { get; init; }

    public required double AtrLumbarDeg { get; init; }

    public required double ScoliometerHalfSpanMm { get; init; }

    public required VertebraTruth[] Vertebrae { get; init; }

    public required PoseTruth Standing { get; init; }

    public required PoseTruth ForwardBend { get; init; }
}
