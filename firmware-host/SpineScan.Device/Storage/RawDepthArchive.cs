using SpineScan.Core.Capture;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Replay;

namespace SpineScan.Device.Storage;

/// <summary>
/// Raw depth beside the database, as capture folders in the replay format (<c>captures/{reportId}/standing</c> and
/// <c>forward_bend</c>): the 16-bit PNG frames are already deflate-compressed, and a folder in the replay format can be
/// re-analysed by every tool as it lies (<c>spinescan analyze</c>). Keeping them out of the database keeps it small
/// and the purge frees the disk at once. Folders are written (staged, then renamed) before the screening's transaction
/// commits; a folder that no committed capture row names is an orphan of an interrupted screening and is swept when
/// the station opens its store.
/// </summary>
public sealed class RawDepthArchive(DataFolder folder)
{
    /// <summary>Writes one pose's raw depth as <c>captures/{reportId}/{pose}</c> and returns its path relative to the data folder.</summary>
    /// <exception cref="StationStorageException">The disk cannot take it; nothing is left behind.</exception>
    public string Write(Guid reportId, DepthCapture capture, IReadOnlyList<byte[]>? encodedFrames = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var relative = Path.Combine(DataFolder.CapturesFolderName, reportId.ToString("N"), DepthCapture.PoseName(capture.Pose));
        var target = Path.Combine(folder.Path, relative);
        try
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true); // a retake of this pose replaces the uncommitted earlier one
            }

            ReplayCaptureWriter.Write(capture, target, encodedFrames);
            return relative;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StationStorageException($"The raw depth could not be written to '{folder.Path}' ({ex.Message.TrimEnd('.')}): the disk may be full. Nothing of this screening was stored; free space and capture again.", ex);
        }
    }

    /// <summary>Deletes one screening's raw depth folder (all poses).</summary>
    public void Delete(Guid reportId)
    {
        var screening = Path.Combine(folder.CapturesDirectory, reportId.ToString("N"));
        if (Directory.Exists(screening))
        {
            Directory.Delete(screening, recursive: true);
        }
    }

    /// <summary>Deletes a raw depth folder named by a capture row (only under <c>captures/</c>), and its screening folder once empty.</summary>
    public void Delete(string relativePath)
    {
        var pose = Path.GetFullPath(Path.Combine(folder.Path, relativePath));
        if (pose.StartsWith(folder.CapturesDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Directory.Exists(pose))
        {
            Directory.Delete(pose, recursive: true);
        }

        var parent = Path.GetDirectoryName(pose);
        if (parent is not null && parent.StartsWith(folder.CapturesDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
        }
    }

    /// <summary>The bytes of a raw depth folder named by a capture row.</summary>
    public long Bytes(string relativePath)
    {
        var pose = new DirectoryInfo(Path.Combine(folder.Path, relativePath));
        return pose.Exists ? pose.EnumerateFiles().Sum(f => f.Length) : 0;
    }

    /// <summary>Deletes every pose folder under <c>captures/</c> that <paramref name="referenced"/> does not name.</summary>
    public void SweepOrphans(IEnumerable<string> referenced)
    {
        if (!Directory.Exists(folder.CapturesDirectory))
        {
            return;
        }

        var keep = new HashSet<string>(referenced.Select(r => Path.GetFullPath(Path.Combine(folder.Path, r))), StringComparer.Ordinal);
        foreach (var screening in Directory.EnumerateDirectories(folder.CapturesDirectory))
        {
            foreach (var pose in Directory.EnumerateDirectories(screening))
            {
                if (!keep.Contains(Path.GetFullPath(pose)))
                {
                    Directory.Delete(pose, recursive: true);
                }
            }

            if (!Directory.EnumerateFileSystemEntries(screening).Any())
            {
                Directory.Delete(screening);
            }
        }
    }
}
