namespace SpineScan.Core.Spine;

/// <summary>
/// How real vertebrae's frontal endplate tilts differ from the tangent of the spinal centre line
/// (wedging, rotation, measurement scatter), so that phantom Cobb angles relate to the spinal line as
/// radiographic ones do.
/// Angles are in degrees in the frontal plane, image convention (+x right, +y down): a tangent angle is
/// atan(dx/dy) of the centre line; a vertebra's tilt is measured on the same sign convention, so a
/// vertebra lying exactly perpendicular to the centre line has tilt = tangent angle.
/// </summary>
public static class VertebralTiltModel
{
    /// <summary>
    /// Endplate tilts (degrees) for vertebrae T1..L5 (top to bottom) whose centre-line tangent angles are
    /// <paramref name="tangentDeg"/>; <paramref name="random"/> draws the per-vertebra deviations.
    /// </summary>
    public static double[] EndplateTiltsDeg(ReadOnlySpan<double> tangentDeg, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);

        // Interim: perpendicular vertebrae. The fitted model from the AASCE training split replaces this.
        return tangentDeg.ToArray();
    }
}
