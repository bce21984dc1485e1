using SpineScan.Core.Capture;

namespace SpineScan.Core.Ports;

/// <summary>
/// A kind of camera a station can use (a live camera, a replay folder, the phantom), registered by name by the host's
/// composition; the station opens the one its configuration names.
/// </summary>
public interface IDepthCameraSource
{
    /// <summary>The name configuration chooses it by (<c>phantom</c>, <c>replay</c>, <c>realsense</c>).</summary>
    string Name { get; }

    /// <summary>Whether the source can be used now (its library, device or folder is there), with a line to show as is. Never throws.</summary>
    DepthCameraSourceState Probe();

    /// <summary>A camera of this source, not yet started (called only after a successful <see cref="Probe"/>).</summary>
    IDepthCamera Create();
}

/// <summary>What a camera source's probe found.</summary>
/// <param name="Available">True when <see cref="IDepthCameraSource.Create"/> can be called.</param>
/// <param name="Description">What the source is, or why it cannot be used and what to use instead.</param>
public sealed record DepthCameraSourceState(bool Available, string Description);

/// <summary>
/// A camera whose subject is staged for the station rather than a child in front of it: the phantom and a replayed
/// screening. The station tells it which pose to show, and when to show the next pupil.
/// </summary>
public interface IStagedCamera
{
    /// <summary>The pose the camera streams.</summary>
    CapturePose Pose { get; set; }

    /// <summary>
    /// True when a refused capture shows a different subject on the retake (the phantom renders a new child), so a
    /// refused forward bend needs the standing pose again; false when the same subject is shown again.
    /// </summary>
    bool RetakeShowsNewSubject { get; }

    /// <summary>Puts the next subject in front of the camera (the next pupil, or a retake's new rendering).</summary>
    ValueTask NextSubjectAsync(CancellationToken cancellationToken);
}
