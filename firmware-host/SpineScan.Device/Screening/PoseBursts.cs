using Microsoft.Extensions.Options;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Device.Cameras;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Replay;

namespace SpineScan.Device.Screening;

/// <summary>One pose's burst: the capture (the caller disposes it), its frames already PNG-encoded where asked, and when it ended.</summary>
/// <param name="Capture">The frames with the camera's intrinsics.</param>
/// <param name="Encoded">The frames encoded as they arrived (forward bend), or null.</param>
/// <param name="LastFrameTimestamp">The time provider's timestamp of the last frame.</param>
/// <param name="CapturedAt">The local time of the last frame.</param>
public sealed record PoseBurst(DepthCapture Capture, Task<byte[]>[]? Encoded, long LastFrameTimestamp, DateTimeOffset CapturedAt);

/// <summary>
/// Capture: one burst of a pose from the station's camera, after checking the disk can take it and showing a staged
/// camera the pupil and the pose.
/// </summary>
public sealed class PoseBursts(StationCamera camera, DataFolder folder, IOptions<StationOptions> options, TimeProvider time)
{
    /// <exception cref="StationStorageException">The disk is nearly full.</exception>
    /// <exception cref="StationInputException">The camera cannot be used or failed during the burst.</exception>
    public async Task<PoseBurst> TakeAsync(long pupilId, CapturePose pose, CancellationToken cancellationToken)
    {
        folder.EnsureFreeSpace(options.Value.MinFreeDiskMb);
        var (channel, info) = await camera.StartAsync(cancellationToken).ConfigureAwait(false);
        if (pose == CapturePose.Standing)
        {
            await camera.ShowSubjectForAsync(pupilId, cancellationToken).ConfigureAwait(false);
        }

        camera.ShowPose(pose);
        var frameCount = CaptureBurst.FramesFor(info.Device);

        // The forward bend completes the screening, and its raw depth must be on disk before the screening's
        // transaction commits: each frame is PNG-encoded as it arrives, so only the last one is left to encode
        // after the burst.
        var encoding = pose == CapturePose.ForwardBend ? new Task<byte[]>[frameCount] : null;
        Action<DepthFrame, int>? onFrame = encoding is null ? null : (frame, index) => encoding[index] = Task.Run(() => ReplayCaptureWriter.EncodePng(frame), CancellationToken.None);
        IReadOnlyList<DepthFrame> frames;
        try
        {
            frames = await channel.CaptureAsync(frameCount, onFrame, cancellationToken).ConfigureAwait(false);
        }
        catch (Core.Ports.DepthCameraUnavailableException ex)
        {
            throw new StationInputException(ex.Message + " Check the camera's cable, then capture again.", ex);
        }

        var lastFrame = time.GetTimestamp();
        var capturedAt = time.GetLocalNow();
        return new PoseBurst(new DepthCapture(pose, info.Intrinsics, info.Device, null, frames), encoding, lastFrame, capturedAt);
    }
}
