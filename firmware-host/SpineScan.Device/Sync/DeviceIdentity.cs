using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Device.Storage;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Sync;

/// <summary>A device credential <c>deviceId.secret</c> (from <c>admin add-device</c>).</summary>
public sealed record DeviceCredential(string DeviceId, string Value)
{
    /// <summary>The credential split at its last dot; null when it has no such shape.</summary>
    public static DeviceCredential? TryParse(string? credential)
    {
        var key = credential?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 256)
        {
            return null;
        }

        var dot = key.LastIndexOf('.');
        return dot > 0 && dot < key.Length - 1 ? new DeviceCredential(key[..dot], key) : null;
    }

    // Never printed: a credential in a log line or an exception message would leak it.
    public override string ToString() => DeviceId + ".***";
}

/// <summary>Where the pupil-pseudonym key in use came from.</summary>
public enum PseudonymKeySource
{
    /// <summary>Made by this data folder for itself before the device was registered: another device makes other pseudonyms.</summary>
    SelfMade,

    /// <summary>Set in the configuration (<c>Station:ProgrammeKey</c>).</summary>
    Configured,

    /// <summary>Issued by the programme's server at registration: the same on every device of the programme.</summary>
    Programme,
}

/// <summary>The pupil-pseudonym key in use, its source and a short id (a hash prefix, never the key).</summary>
public sealed record PseudonymKey(byte[] Key, PseudonymKeySource Source)
{
    public string Id => (Source switch { PseudonymKeySource.Programme => "programme:", PseudonymKeySource.Configured => "configured:", _ => "self:" })
        + Convert.ToHexStringLower(SHA256.HashData(Key))[..12];

    /// <summary>True when both are the same key bytes, whatever their source.</summary>
    public bool SameKeyAs(byte[] other) => CryptographicOperations.FixedTimeEquals(Key, other);
}

/// <summary>Reading the programme key's text form.</summary>
public static class PseudonymKeys
{
    /// <summary>The key's bytes, or null when it is not base64 of at least <see cref="PupilPseudonym.MinKeyBytes"/> bytes.</summary>
    public static byte[]? TryParse(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var length) && length >= PupilPseudonym.MinKeyBytes ? buffer[..length] : null;
    }
}

/// <summary>The server, credential and address the device syncs with.</summary>
/// <param name="ServerUrl">The server's base address (the device API).</param>
/// <param name="Credential">The device credential.</param>
/// <param name="PublicBaseUrl">The address parents reach the server at, when the server has said.</param>
public sealed record ServerConnection(Uri ServerUrl, DeviceCredential Credential, Uri? PublicBaseUrl);

/// <summary>
/// Who this device is to its server and which pseudonym key it uses: from the registration stored by
/// <c>spinescan register</c> (server, credential and the programme's key, encrypted at rest), with
/// <c>Station:ServerUrl</c> and <c>Station:DeviceKey</c> (environment or configuration, never a command line) taking
/// precedence, and a self-made key only while the device is not registered.
/// </summary>
public sealed class DeviceIdentity(LocalStore store, IOptions<StationOptions> options) : IDisposable
{
    /// <summary>The device id queued reports carry until a credential names the real one.</summary>
    public const string UnregisteredDeviceId = "unregistered";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private RegistrationRow? _registration;
    private bool _loaded;

    /// <summary>The server connection in force, or null when neither a registration nor the configuration names one.</summary>
    public async Task<ServerConnection?> ConnectionAsync(CancellationToken cancellationToken)
    {
        var registration = await RegistrationAsync(cancellationToken).ConfigureAwait(false);
        var settings = options.Value;
        var url = !string.IsNullOrWhiteSpace(settings.ServerUrl) ? settings.ServerUrl : registration?.ServerUrl;
        var credential = DeviceCredential.TryParse(settings.DeviceKey) ?? DeviceCredential.TryParse(registration?.Credential);
        if (string.IsNullOrWhiteSpace(url) || credential is null || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var server))
        {
            return null;
        }

        var publicBase = registration?.PublicBaseUrl is { } text && Uri.TryCreate(text, UriKind.Absolute, out var parsed) ? parsed : null;
        return new ServerConnection(server, credential, publicBase);
    }

    /// <summary>The device id reports are stamped with now.</summary>
    public async Task<string> DeviceIdAsync(CancellationToken cancellationToken) =>
        (await ConnectionAsync(cancellationToken).ConfigureAwait(false))?.Credential.DeviceId ?? UnregisteredDeviceId;

    /// <summary>The pseudonym key in use: the programme's (registered), else the configured one, else this folder's own.</summary>
    public async Task<PseudonymKey> PseudonymKeyAsync(CancellationToken cancellationToken)
    {
        var registration = await RegistrationAsync(cancellationToken).ConfigureAwait(false);
        if (PseudonymKeys.TryParse(registration?.ProgrammeKey) is { } issued)
        {
            return new PseudonymKey(issued, PseudonymKeySource.Programme);
        }

        if (PseudonymKeys.TryParse(options.Value.ProgrammeKey) is { } configured)
        {
            return new PseudonymKey(configured, PseudonymKeySource.Configured);
        }

        return new PseudonymKey(store.Folder.SelfMadePseudonymKey(), PseudonymKeySource.SelfMade);
    }

    /// <summary>The stored registration, or null before <c>spinescan register</c>.</summary>
    public async Task<RegistrationRow?> RegistrationAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return _registration;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
                await using var db = store.CreateContext();
                _registration = await db.Registration.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                _loaded = true;
            }

            return _registration;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Stores what the server said about this device (one row, replaced), in the caller's transaction.</summary>
    public static async Task SaveAsync(DeviceDbContext db, RegistrationRow registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(registration);
        db.Registration.RemoveRange(await db.Registration.ToListAsync(cancellationToken).ConfigureAwait(false));
        db.Registration.Add(registration);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the cached registration (after a transaction that changed it committed).</summary>
    public void Reload() => _loaded = false;

    public void Dispose() => _lock.Dispose();
}
