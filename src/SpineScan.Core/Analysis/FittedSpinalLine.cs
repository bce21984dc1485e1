namespace SpineScan.Core.Analysis;

/// <summary>
/// The spinal-line model fitted on phantom training children (94 measured of 120, batch seed 424242, never
/// used by the accuracy bench). Refit and print with: spinescan bench fit --count 120
/// </summary>
public static class FittedSpinalLine
{
    public static SpinalLineModel Model { get; } = new(
        [0.0028, 0.0398, 0.0759, 0.1142, 0.1563, 0.2192, 0.2712, 0.327, 0.3863, 0.4309, 0.4923, 0.5529, 0.6115, 0.6607, 0.7117, 0.7541, 0.7927, 0.8332],
        [-17.8496, -15.8878, -14.8235, -13.4826, -11.1537, -0.4828, 4.3442, 9.9251, 16.2574, 15.3278, 21.5985, 27.3493, 32.1116, 30.6065, 27.5203, 18.0707, 4.2404, -9.6558],
        [64.4975, 64.9106, 65.8695, 67.5026, 68.9231, 72.0965, 72.4995, 72.3389, 71.4916, 70.9919, 70.24, 69.419, 69.5397, 78.4515, 81.3461, 83.8407, 84.6508, 79.32],
        -0.4145);
}
