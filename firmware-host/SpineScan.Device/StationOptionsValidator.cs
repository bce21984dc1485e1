using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Device.Storage;
using SpineScan.Device.Sync;

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
        else if (DataFolder.CheckWritable(options.DataDirectory) is { } problem)
        {
            failures.Add(problem);
        }

        if (!string.IsNullOrWhiteSpace(options.ProgrammeKey) && PseudonymKeys.TryParse(options.ProgrammeKey) is null)
        {
            failures.Add(FormattableString.Invariant($"Station:ProgrammeKey must be base64 of at least {PupilPseudonym.MinKeyBytes} bytes (the programme's key, the same on all its devices)."));
        }

        if (!string.IsNullOrWhiteSpace(options.DeviceKey) && DeviceCredential.TryParse(options.DeviceKey) is null)
        {
            failures.Add("Station:DeviceKey must be the whole credential 'deviceId.secret' printed by 'admin add-device'.");
        }

        if (!string.IsNullOrWhiteSpace(options.DeviceKey) && string.IsNullOrWhiteSpace(options.ServerUrl))
        {
            failures.Add("Station:DeviceKey is set but Station:ServerUrl is not: give the server's address too, or register the device with 'spinescan register'.");
        }

        if (options.Demo && !string.Equals(options.Source, "phantom", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Station:Demo works only on the phantom camera (Source is '{options.Source}'): a real camera needs a calibration, see calibration/README.md.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
