using System.ComponentModel.DataAnnotations;

namespace SpineScan.Device;

/// <summary>The <c>Station</c> section: where the station keeps its data, which camera it uses, and where it syncs.</summary>
public sealed class StationOptions
{
    public const string Section = "Station";

    /// <summary>The folder holding the local store (<c>spinescan.db</c>), raw depth, keys and slips.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The camera source by its registered name (<c>phantom</c>, <c>replay</c>, <c>realsense</c>).</summary>
    [Required]
    public string Source { get; set; } = "phantom";

    /// <summary>
    /// The sync server's base address (e.g. <c>https://screening.example.org/</c>). Normally stored by
    /// <c>spinescan register</c>; set here it overrides the registration.
    /// </summary>
    [Url]
    public string? ServerUrl { get; set; }

    /// <summary>
    /// The device credential <c>deviceId.secret</c> from <c>admin add-device</c>. Normally stored (encrypted) by
    /// <c>spinescan register</c>; set here (environment, never a command line) it overrides the registration.
    /// </summary>
    public string? DeviceKey { get; set; }

    /// <summary>
    /// A programme key (base64, at least 32 bytes) for pupil pseudonyms. Normally the server issues the programme's key
    /// at registration; a key set here must be the programme's.
    /// </summary>
    public string? ProgrammeKey { get; set; }

    /// <summary>The school code a session defaults to.</summary>
    [StringLength(32)]
    public string SchoolCode { get; set; } = "SCH1";

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

    /// <summary>Refused captures a pupil may retake before the flow stops and asks for a later try.</summary>
    [Range(0, 20)]
    public int MaxRetakes { get; set; } = 3;

    /// <summary>The device's calibration file (<c>spinescan calibrate --out</c>); <c>DataDirectory/calibration.json</c> when empty.</summary>
    public string? CalibrationFile { get; set; }

    /// <summary>
    /// Refuse to screen without a valid calibration (missing, expired or failed). The kiosk (<c>spinescan run</c>) always
    /// sets it; the headless verbs leave it off and mark their results uncalibrated.
    /// </summary>
    public bool RequireCalibration { get; set; }

    /// <summary>The explicit demo mode: on the phantom camera only, screening needs no calibration.</summary>
    public bool Demo { get; set; }
}
