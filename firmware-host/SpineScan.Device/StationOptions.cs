using System.ComponentModel.DataAnnotations;

namespace SpineScan.Device;

/// <summary>The <c>Station</c> section: where the station keeps its data, which camera it uses, and where it syncs.</summary>
public sealed class StationOptions
{
    public const string Section = "Station";

    /// <summary>The camera sources a station knows.</summary>
    public static readonly IReadOnlyList<string> Sources = ["phantom", "replay", "realsense"];

    /// <summary>The folder holding the local store (<c>spinescan.db</c>), raw depth archives and slips.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>phantom, replay or realsense.</summary>
    [Required]
    [AllowedValues("phantom", "replay", "realsense", ErrorMessage = "Station:Source must be phantom, replay or realsense.")]
    public string Source { get; set; } = "phantom";

    /// <summary>The capture folder (replay format) the replay source plays in a loop.</summary>
    public string? ReplayDirectory { get; set; }

    /// <summary>Batch seed of the phantom's children.</summary>
    public int PhantomSeed { get; set; } = 1;

    /// <summary>The sync server's base address (e.g. <c>https://screening.example.org/</c>); no sync without it.</summary>
    [Url]
    public string? ServerUrl { get; set; }

    /// <summary>This device's id at the server; taken from <see cref="DeviceKey"/> when that holds the whole <c>deviceId.secret</c>.</summary>
    [StringLength(64)]
    public string? DeviceId { get; set; }

    /// <summary>The device credential from <c>admin add-device</c>: the whole <c>deviceId.secret</c>, or the secret alone with <see cref="DeviceId"/>.</summary>
    public string? DeviceKey { get; set; }

    /// <summary>The programme key (base64, at least 32 bytes) under which pupil numbers become pseudonyms.</summary>
    public string? ProgrammeKey { get; set; }

    /// <summary>The school code a session defaults to.</summary>
    [StringLength(32)]
    public string SchoolCode { get; set; } = "SCHOOL";

    /// <summary>Days the raw depth of a screening is kept after its report was synced.</summary>
    [Range(0, 3650)]
    public int RawDepthRetentionDays { get; set; } = 30;

    /// <summary>New captures stop when the data folder's disk has less free space than this.</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeDiskMb { get; set; } = 200;

    /// <summary>How often the background sync drains the outbox, in seconds.</summary>
    [Range(1, 86_400)]
    public int SyncIntervalSeconds { get; set; } = 60;

    /// <summary>Retries of one report on a network error, 5xx, 408 or 429 (exponential backoff with jitter) before the round stops.</summary>
    [Range(0, 10)]
    public int SyncMaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay in milliseconds (doubled each retry, with jitter).</summary>
    [Range(1, 60_000)]
    public int SyncRetryDelayMs { get; set; } = 1000;

    /// <summary>Days a parent link works after the screening.</summary>
    [Range(1, 3650)]
    public int ParentLinkDays { get; set; } = 90;

    /// <summary>True when a server and a credential are configured.</summary>
    public bool ServerConfigured => !string.IsNullOrWhiteSpace(ServerUrl) && !string.IsNullOrWhiteSpace(DeviceKey);

    /// <summary>The device id and the whole bearer credential, or null when no credential is configured.</summary>
    public (string DeviceId, string Credential)? Credential()
    {
        if (string.IsNullOrWhiteSpace(DeviceKey))
        {
            return null;
        }

        var key = DeviceKey.Trim();
        var dot = key.LastIndexOf('.');
        if (dot > 0)
        {
            return (key[..dot], key);
        }

        return string.IsNullOrWhiteSpace(DeviceId) ? null : (DeviceId.Trim(), DeviceId.Trim() + "." + key);
    }

    /// <summary>The device id reports carry: from the credential, else <see cref="DeviceId"/>, else a placeholder replaced at send time.</summary>
    public string EffectiveDeviceId => Credential()?.DeviceId ?? (string.IsNullOrWhiteSpace(DeviceId) ? UnregisteredDeviceId : DeviceId.Trim());

    /// <summary>The device id queued reports carry until a credential names the real one.</summary>
    public const string UnregisteredDeviceId = "unregistered";
}
