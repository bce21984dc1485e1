namespace SpineScan.Core.Analysis;

/// <summary>
/// The spinal-line model fitted on phantom training children (108 measured of 120, batch seed 424242, never
/// used by the accuracy bench). Refit and print with: spinescan bench fit --count 120
/// </summary>
public static class FittedSpinalLine
{
    public static SpinalLineModel Model { get; } = new(
        [0.0028, 0.0392, 0.0748, 0.1125, 0.1541, 0.2162, 0.2675, 0.3227, 0.3813, 0.4254, 0.4861, 0.546, 0.6039, 0.6524, 0.7028, 0.7448, 0.7831, 0.8231],
        [-17.7825, -15.8646, -14.8281, -13.5096, -11.2052, -0.6247, 4.1746, 9.7858, 16.0946, 15.184, 21.4119, 27.1201, 31.8682, 30.356, 27.3175, 18.0026, 4.3441, -9.4373],
        [64.2995, 64.293, 65.136, 66.7433, 68.1838, 71.4129, 71.8388, 71.6649, 70.804, 70.2926, 69.5484, 68.9142, 68.9387, 77.7273, 80.6555, 83.1609, 83.918, 78.5804],
        LateralMmPerRotationDeg: -0.4911,
        DeviationGain: 1.2588);
}
