using System.Globalization;
using Microsoft.Extensions.Options;
using SpineScan.Core.Calibration;

namespace SpineScan.Device.Calibration;

/// <summary>Where the device's calibration stands.</summary>
public enum CalibrationState
{
    /// <summary>A calibration that passed and has not expired.</summary>
    Valid,

    /// <summary>No calibration file.</summary>
    Missing,

    /// <summary>A calibration past its validity.</summary>
    Expired,

    /// <summary>A calibration whose verdict failed.</summary>
    Failed,

    /// <summary>A file that cannot be read.</summary>
    Unreadable,

    /// <summary>The explicit demo mode on the phantom camera: no calibration is needed or used.</summary>
    Demo,
}

/// <summary>The calibration's state with one plain line for the screener (which state, and what to do).</summary>
public sealed record CalibrationStatus(CalibrationState State, string Line, DeviceCalibration? Calibration)
{
    /// <summary>Whether children may be screened: a valid calibration, or the demo mode.</summary>
    public bool AllowsScreening => State is CalibrationState.Valid or CalibrationState.Demo;
}

/// <summary>
/// The screening gate: a device screens only with a valid calibration (present, passed, not expired), except in the
/// explicit demo mode on the phantom camera. Reads the calibration file each time it is asked, so a new calibration counts
/// at once and an expiry at midnight is seen.
/// </summary>
public sealed class CalibrationGate(IOptions<StationOptions> options, TimeProvider time)
{
    /// <summary>The calibration file this station uses.</summary>
    public string FilePath
    {
        get
        {
            var o = options.Value;
            return string.IsNullOrWhiteSpace(o.CalibrationFile) ? Path.Combine(Path.GetFullPath(o.DataDirectory), CalibrationFile.FileName) : Path.GetFullPath(o.CalibrationFile);
        }
    }

    public CalibrationStatus Status()
    {
        var o = options.Value;
        if (o.Demo && string.Equals(o.Source, "phantom", StringComparison.OrdinalIgnoreCase))
        {
            return new CalibrationStatus(CalibrationState.Demo, "Demo mode on the phantom camera: no calibration is used; results are for demonstration only.", null);
        }

        var path = FilePath;
        if (!File.Exists(path))
        {
            return new CalibrationStatus(CalibrationState.Missing, $"This device is not calibrated (no {path}): ask the technician to run spinescan calibrate (calibration/README.md) before screening.", null);
        }

        DeviceCalibration calibration;
        try
        {
            calibration = CalibrationFile.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new CalibrationStatus(CalibrationState.Unreadable, "The calibration file cannot be read: " + e.Message, null);
        }

        if (!calibration.Verdict.Passed)
        {
            return new CalibrationStatus(CalibrationState.Failed, $"The calibration {calibration.Id} failed ({string.Join(" ", calibration.Verdict.Failures)}): fix that and run spinescan calibrate again before screening.", calibration);
        }

        if (time.GetUtcNow() >= calibration.ExpiresAt)
        {
            return new CalibrationStatus(CalibrationState.Expired, string.Create(CultureInfo.InvariantCulture, $"The calibration {calibration.Id} expired on {calibration.ExpiresAt.UtcDateTime:yyyy-MM-dd}: ask the technician to calibrate the device again before screening."), calibration);
        }

        return new CalibrationStatus(CalibrationState.Valid, string.Create(CultureInfo.InvariantCulture, $"Calibrated ({calibration.Id}, valid until {calibration.ExpiresAt.UtcDateTime:yyyy-MM-dd})."), calibration);
    }

    /// <summary>Throws the gate's line when screening is not allowed.</summary>
    /// <exception cref="Workflow.StationInputException">No valid calibration and no demo mode.</exception>
    public void EnsureScreeningAllowed()
    {
        var status = Status();
        if (!status.AllowsScreening)
        {
            throw new Workflow.StationInputException(status.Line);
        }
    }
}
