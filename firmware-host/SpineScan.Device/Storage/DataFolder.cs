using System.Security.Cryptography;
using SpineScan.DeviceStore;
using SpineScan.Device.Workflow;
using SpineScan.Imaging.Replay;

namespace SpineScan.Device.Storage;

/// <summary>
/// The station's data folder, readable by its owner only (folders 0700, files 0600): the database
/// (<c>spinescan.db</c>), raw depth (<c>captures/</c>), the keys (<c>keys/</c>: the store key that encrypts the roster's
/// identifiers, the operator's passphrase hash, a self-made pseudonym key before registration) and the slips the
/// headless screen writes (<c>slips/</c>).
/// <para>
/// The store key lives in its own file beside the database, never in it: a copy of the database (a backup, a support
/// bundle, a disk read elsewhere) without <c>keys/</c> holds no readable name, pupil number, date of birth or token.
/// Anyone who can read <c>keys/</c> (the station's own user, or root) can read them; the folder modes keep out every
/// other user of the machine.
/// </para>
/// </summary>
public sealed class DataFolder
{
    public const string CapturesFolderName = "captures";
    public const string KeysFolderName = "keys";
    public const string SlipsFolderName = "slips";
    public const string StoreKeyFileName = "store.key";
    public const string SelfMadePseudonymKeyFileName = "programme.key";
    public const string PassphraseFileName = "operator.passphrase";

    public DataFolder(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Path = System.IO.Path.GetFullPath(dataDirectory);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    public string CapturesDirectory => System.IO.Path.Combine(Path, CapturesFolderName);

    public string KeysDirectory => System.IO.Path.Combine(Path, KeysFolderName);

    public string SlipsDirectory => System.IO.Path.Combine(Path, SlipsFolderName);

    public string DatabasePath => System.IO.Path.Combine(Path, DeviceDatabase.FileName);

    /// <summary>A file under <c>keys/</c>.</summary>
    public string KeyFile(string name) => System.IO.Path.Combine(KeysDirectory, name);

    /// <summary>Checks the folder can be written, with a message fit to show as is (null when it can).</summary>
    public static string? CheckWritable(string dataDirectory)
    {
        var full = System.IO.Path.GetFullPath(dataDirectory);
        try
        {
            OwnerOnly.CreateDirectory(full);
            var probe = System.IO.Path.Combine(full, ".write-test-" + Guid.NewGuid().ToString("N")[..8]);
            OwnerOnly.WriteFile(probe, [1]);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"The data folder '{full}' cannot be written ({ex.Message.TrimEnd('.')}). Choose another folder (--data or Station:DataDirectory) or fix its permissions.";
        }
    }

    /// <summary>Creates the folder and its sub-folders owner-only, and narrows an existing folder that others could read.</summary>
    /// <exception cref="StationStorageException">The folder cannot be written.</exception>
    public void Prepare()
    {
        if (CheckWritable(Path) is { } problem)
        {
            throw new StationStorageException(problem);
        }

        foreach (var folder in (string[])[Path, CapturesDirectory, KeysDirectory])
        {
            OwnerOnly.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(folder) != OwnerOnly.FolderMode)
            {
                File.SetUnixFileMode(folder, OwnerOnly.FolderMode);
            }
        }
    }

    /// <summary>The store key (32 random bytes, made on first use): encrypts the roster's identifiers at rest.</summary>
    public byte[] StoreKey()
    {
        var path = KeyFile(StoreKeyFileName);
        if (File.Exists(path))
        {
            var key = ReadKey(path);
            if (key.Length != FieldProtector.KeyBytes)
            {
                throw new StationStorageException($"The store key '{path}' is damaged ({key.Length} bytes instead of {FieldProtector.KeyBytes}). Restore it from the data folder's backup; without it the roster cannot be read.");
            }

            return key;
        }

        var made = RandomNumberGenerator.GetBytes(FieldProtector.KeyBytes);
        WriteKey(path, made);
        return made;
    }

    /// <summary>The pseudonym key this folder made for itself (before the device was registered), made on first use.</summary>
    public byte[] SelfMadePseudonymKey()
    {
        var path = KeyFile(SelfMadePseudonymKeyFileName);
        if (File.Exists(path))
        {
            return ReadKey(path);
        }

        // A data folder of the previous layout kept it at its top.
        var legacy = System.IO.Path.Combine(Path, SelfMadePseudonymKeyFileName);
        if (File.Exists(legacy))
        {
            var key = ReadKey(legacy);
            WriteKey(path, key);
            File.Delete(legacy);
            return key;
        }

        var made = RandomNumberGenerator.GetBytes(32);
        WriteKey(path, made);
        return made;
    }

    /// <summary>Free space on the data folder's disk, in MB.</summary>
    public long FreeDiskMb() => new DriveInfo(Path).AvailableFreeSpace / (1024 * 1024);

    /// <summary>Stops a capture before it starts when the disk is nearly full.</summary>
    /// <exception cref="StationStorageException">Less than <paramref name="minFreeMb"/> MB are free.</exception>
    public void EnsureFreeSpace(long minFreeMb)
    {
        var free = FreeDiskMb();
        if (free < minFreeMb)
        {
            throw new StationStorageException(FormattableString.Invariant(
                $"The disk holding '{Path}' has {free} MB free, under the {minFreeMb} MB minimum: no new capture was started and everything stored is intact. Sync, then run 'spinescan purge' or free space, and continue."));
        }
    }

    /// <summary>Writes a file readable by the owner only (a slip, a key).</summary>
    public static void WriteOwnerOnly(string path, ReadOnlySpan<byte> bytes)
    {
        var folder = System.IO.Path.GetDirectoryName(path);
        if (folder is not null)
        {
            OwnerOnly.CreateDirectory(folder);
        }

        OwnerOnly.WriteFile(path, bytes);
    }

    private static byte[] ReadKey(string path) => Convert.FromBase64String(File.ReadAllText(path).Trim());

    private void WriteKey(string path, byte[] key)
    {
        OwnerOnly.CreateDirectory(KeysDirectory);
        OwnerOnly.WriteFile(path, System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
    }
}
