using System.Runtime.InteropServices;

namespace SpineScan.Imaging.Replay;

/// <summary>
/// Checks a file of a capture folder before it is opened: it must be a regular file inside the folder. A symlink that
/// leaves the folder (to <c>/dev/zero</c>, to another user's file), a symlink loop, a device, a FIFO (opening one waits
/// for a writer for ever) or a socket is refused with a message that names the file.
/// </summary>
internal static partial class CaptureFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxBufferBytes = 256;
    private const int StatxModeOffset = 28; // struct statx: stx_mask, stx_blksize (u32), stx_attributes (u64), stx_nlink, stx_uid, stx_gid (u32), stx_mode (u16)
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <exception cref="InvalidCaptureException">The file is not a regular file inside <paramref name="directory"/>.</exception>
    public static void RequireRegularInside(string directory, string path, string name)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            FileSystemInfo? target;
            try
            {
                target = info.ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException ex)
            {
                throw new InvalidCaptureException($"{name} is a symbolic link that does not resolve ({ex.Message.TrimEnd('.')}: a loop, or too many links). Copy the real file into the capture folder.", ex);
            }

            var folder = RealPath(directory);
            if (target is null || !Path.GetFullPath(target.FullName).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidCaptureException($"{name} is a symbolic link to '{target?.FullName}', outside the capture folder '{directory}'. A capture is read only from its own folder: copy the real file in.");
            }
        }

        if (OperatingSystem.IsLinux() && FileType(path) is { } type && type != RegularFile)
        {
            throw new InvalidCaptureException($"{name} is not a regular file ({Describe(type)}). A capture folder holds only capture.json and PNG frames; it was not read.");
        }
    }

    private static string RealPath(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var info = new DirectoryInfo(full);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
            ? Path.GetFullPath(target.FullName).TrimEnd(Path.DirectorySeparatorChar)
            : full;
    }

    // The file type after following links; null when it cannot be asked (the later open then says what is wrong).
    private static unsafe int? FileType(string path)
    {
        var buffer = stackalloc byte[StatxBufferBytes];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return null;
        }

        return *(ushort*)(buffer + StatxModeOffset) & TypeMask;
    }

    private static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        0x4000 => "a folder",
        _ => "not a plain file",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
