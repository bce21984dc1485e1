using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Device.Store;

namespace SpineScan.Device;

/// <summary>The rules of <see cref="StationOptions"/> that attributes cannot say; each failure names the key and what to do.</summary>
internal sealed class StationOptionsValidator : IValidateOptions<StationOptions>
{
    public ValidateOptionsResult Validate(string? name, StationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Station:DataDirectory is empty: name the folder for the local store.");
        }
        else if (StationStore.CheckWritable(options.DataDirectory) is { } problem)
        {
            failures.Add(problem);
        }

        if (string.Equals(options.Source, "replay", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(options.ReplayDirectory))
        {
            failures.Add("Station:ReplayDirectory is needed for the replay source: name a capture folder (capture.json and depth PNGs).");
        }

        if (!string.IsNullOrWhiteSpace(options.ProgrammeKey))
        {
            var key = new byte[options.ProgrammeKey.Length];
            if (!Convert.TryFromBase64String(options.ProgrammeKey.Trim(), key, out var length) || length < PupilPseudonym.MinKeyBytes)
            {
                failures.Add(FormattableString.Invariant($"Station:ProgrammeKey must be base64 of at least {PupilPseudonym.MinKeyBytes} bytes (the programme's key, the same on all its devices)."));
            }
        }

        if (!string.IsNullOrWhiteSpace(options.DeviceKey) && options.Credential() is null)
        {
            failures.Add("Station:DeviceKey must be the whole credential 'deviceId.secret' printed by 'admin add-device', or the secret with Station:DeviceId.");
        }

        if (!string.IsNullOrWhiteSpace(options.ServerUrl) && string.IsNullOrWhiteSpace(options.DeviceKey))
        {
            failures.Add("Station:ServerUrl is set but Station:DeviceKey is not: give the device credential from 'admin add-device'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
