namespace SpineScan.Imaging.Replay;

/// <summary>Folders (0700) and files (0600) only their owner can open: what the device writes about children.</summary>
public static class OwnerOnly
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder and any missing parents as 0700 (an existing folder keeps its mode).</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, FolderMode);

    /// <summary>Writes a new file (or replaces one) created as 0600.</summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> bytes)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(bytes);
        }

        // A file that existed before keeps its mode on Create: set it.
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != FileMode)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
