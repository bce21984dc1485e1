using System.Globalization;
using SpineScan.Core.Capture;

namespace SpineScan.Core.Calibration;

/// <summary>The daily check's answer: whether the stand was moved since its calibration, with the differences.</summary>
/// <param name="Moved">True when any difference exceeds its tolerance.</param>
/// <param name="Expired">True when the calibration is past its validity.</param>
/// <param name="Fresh">The pose measured now.</param>
/// <param name="Findings">Each difference in plain words (moved or within tolerance).</param>
public sealed record CalibrationCheckResult(bool Moved, bool Expired, CameraPoseCalibration Fresh, IReadOnlyList<string> Findings)
{
    public bool Passed => !Moved && !Expired;
}

/// <summary>The daily check: a fresh empty-scene capture against the stored calibration.</summary>
public static class CalibrationCheck
{
    public static CalibrationCheckResult Compare(DeviceCalibration stored, DepthCapture emptyScene, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(emptyScene);
        if (!string.Equals(emptyScene.Device.Serial, stored.Device.Serial, StringComparison.Ordinal))
        {
            throw new CalibrationInputException(
                $"The capture comes from camera {emptyScene.Device.Serial}, the calibration from {stored.Device.Serial}: check with this device's own calibration, or calibrate this camera first.");
        }

        if (stored.For(emptyScene.Pose) is not { } reference)
        {
            throw new CalibrationInputException(
                $"The calibration holds no {DepthCapture.PoseName(emptyScene.Pose)} head position: capture the empty scene with the head in the standing position.");
        }

        var fresh = CalibrationSolver.MeasureRoom(emptyScene, stored.DepthScale, "the daily check's empty scene");
        var t = stored.Tolerances;
        var findings = new List<string>();
        var moved = false;
        void Compare(string what, double before, double after, double tolerance, string unit)
        {
            var change = after - before;
            var over = Math.Abs(change) > tolerance;
            moved |= over;
            findings.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {before:0.0} -> {after:0.0} {unit} ({change:+0.0;-0.0}, {(over ? "MOVED, more than" : "within")} {tolerance:0.#})"));
        }

        Compare("pitch", reference.PitchDeg, fresh.PitchDeg, t.MovedTiltDeg, "deg");
        Compare("roll", reference.RollDeg, fresh.RollDeg, t.MovedTiltDeg, "deg");
        Compare("camera height", reference.HeightMm, fresh.HeightMm, t.MovedHeightMm, "mm");
        if (reference.WallDistanceMm is { } wallBefore && fresh.WallDistanceMm is { } wallAfter)
        {
            Compare("distance to the wall", wallBefore, wallAfter, t.MovedWallMm, "mm");
        }

        var expired = now >= stored.ExpiresAt;
        if (expired)
        {
            findings.Add(string.Create(CultureInfo.InvariantCulture, $"the calibration expired on {stored.ExpiresAt.UtcDateTime:yyyy-MM-dd}"));
        }

        return new CalibrationCheckResult(moved, expired, fresh, findings);
    }
}
