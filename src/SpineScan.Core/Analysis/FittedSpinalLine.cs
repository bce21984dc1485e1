namespace SpineScan.Core.Analysis;

/// <summary>
/// The spinal-line model fitted on phantom training children (108 measured of 120, batch seed 424242, never
/// used by the accuracy bench). Refit and print with: spinescan bench fit --count 120
/// </summary>
public static class FittedSpinalLine
{
    public static SpinalLineModel Model { get; } = new(
        [0.003, 0.0394, 0.075, 0.1128, 0.1544, 0.2165, 0.2678, 0.323, 0.3817, 0.4257, 0.4864, 0.5463, 0.6042, 0.6527, 0.7032, 0.7453, 0.7837, 0.8238],
        [-17.7003, -15.786, -14.7532, -13.4398, -11.1446, -0.5863, 4.1929, 9.7773, 16.0575, 15.1279, 21.3292, 27.0146, 31.7464, 30.2295, 27.2025, 17.9191, 4.3086, -9.4199],
        [64.2298, 64.086, 64.9291, 66.4778, 67.9196, 71.1458, 71.5747, 71.4449, 70.6727, 70.1418, 69.3861, 68.6925, 68.6977, 77.4752, 80.4528, 82.9721, 83.6714, 78.1928],
        LateralMmPerRotationDeg: -1.37,
        DeviationGain: 1.387);
}
