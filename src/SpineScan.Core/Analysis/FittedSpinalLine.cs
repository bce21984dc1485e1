namespace SpineScan.Core.Analysis;

/// <summary>
/// The spinal-line model fitted on phantom training children (120 measured of 120, batch seed 424242, never
/// used by the accuracy bench), deviation gain and rotation term fitted jointly (see <see cref="SpinalLineFit"/>).
/// Refit and print with: spinescan bench fit --count 120
/// </summary>
public static class FittedSpinalLine
{
    public static SpinalLineModel Model { get; } = new(
        [0.0031, 0.0405, 0.077, 0.1158, 0.1584, 0.2221, 0.2747, 0.3313, 0.3916, 0.4368, 0.4991, 0.5605, 0.6198, 0.6693, 0.721, 0.764, 0.8034, 0.8445],
        [-17.578, -15.6533, -14.6039, -13.2853, -11.0026, -0.4733, 4.2826, 9.8622, 16.1742, 15.2835, 21.4921, 27.1789, 31.8775, 30.325, 27.2752, 17.9726, 4.3961, -9.312],
        [64.0251, 63.9566, 64.8055, 66.342, 67.7684, 70.9832, 71.4248, 71.306, 70.5058, 69.9499, 69.1428, 68.4265, 68.4312, 77.2317, 80.2143, 82.7245, 83.458, 78.016],
        LateralMmPerRotationDeg: -1.9164,
        DeviationGain: 1.2229);
}
