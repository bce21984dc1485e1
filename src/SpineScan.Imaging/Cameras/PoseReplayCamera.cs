using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Imaging.Cameras;

/// <summary>
/// A replay source for a whole screening: a folder holding <c>standing/</c> and <c>forward_bend/</c> captures (a
/// phantom child folder, or a screening's raw depth), each looped by a <see cref="ReplayCamera"/>; the stream follows
/// the pose the station asks for, as the child in front of a real camera would.
/// </summary>
public sealed class PoseReplayCamera(string folder, TimeProvider timeProvider) : IDepthCamera, IStagedCamera
{
    private readonly ReplayCamera _standing = new(Path.Combine(folder, DepthCapture.PoseName(CapturePose.Standing)), null, timeProvider);
    private readonly ReplayCamera _bend = new(Path.Combine(folder, DepthCapture.PoseName(CapturePose.ForwardBend)), null, timeProvider);
    private volatile bool _bendNow;

    /// <summary>True when <paramref name="folder"/> holds both poses.</summary>
    public static bool HoldsBothPoses(string folder) =>
        Directory.Exists(Path.Combine(folder, DepthCapture.PoseName(CapturePose.Standing)))
        && Directory.Exists(Path.Combine(folder, DepthCapture.PoseName(CapturePose.ForwardBend)));

    public DepthCameraInfo? Info { get; private set; }

    public CapturePose Pose
    {
        get => _bendNow ? CapturePose.ForwardBend : CapturePose.Standing;
        set => _bendNow = value == CapturePose.ForwardBend;
    }

    /// <summary>The same screening plays again: a retake shows the same child.</summary>
    public bool RetakeShowsNewSubject => false;

    /// <summary>A replay holds one child: every pupil sees it.</summary>
    public ValueTask NextSubjectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken)
    {
        var standing = await _standing.StartAsync(cancellationToken).ConfigureAwait(false);
        var bend = await _bend.StartAsync(cancellationToken).ConfigureAwait(false);
        if (standing.Intrinsics != bend.Intrinsics)
        {
            throw new DepthCameraUnavailableException($"The standing and forward-bend captures in '{folder}' come from different camera settings ({standing.Intrinsics.Width}x{standing.Intrinsics.Height} and {bend.Intrinsics.Width}x{bend.Intrinsics.Height}); replay one screening's folder.");
        }

        Info = standing;
        return standing;
    }

    public ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken) =>
        (_bendNow ? _bend : _standing).NextFrameAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _standing.DisposeAsync().ConfigureAwait(false);
        await _bend.DisposeAsync().ConfigureAwait(false);
    }
}
