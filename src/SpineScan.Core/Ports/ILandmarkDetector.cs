using SpineScan.Core.Analysis;

namespace SpineScan.Core.Ports;

/// <summary>Surface landmark names shared by every detector and the truth files.</summary>
public static class LandmarkNames
{
    public const string C7 = "c7";
    public const string AcromionLeft = "acromionLeft";
    public const string AcromionRight = "acromionRight";
    public const string ScapulaLeft = "scapulaInferiorAngleLeft";
    public const string ScapulaRight = "scapulaInferiorAngleRight";
    public const string WaistLeft = "waistLeft";
    public const string WaistRight = "waistRight";
    public const string DimpleLeft = "lumbarDimpleLeft";
    public const string DimpleRight = "lumbarDimpleRight";

    public static IReadOnlyList<string> All { get; } =
        [C7, AcromionLeft, AcromionRight, ScapulaLeft, ScapulaRight, WaistLeft, WaistRight, DimpleLeft, DimpleRight];
}

/// <summary>A landmark in grid coordinates of a <see cref="BackSurface"/> (a = lateral mm, b = grid row coordinate mm).</summary>
public readonly record struct GridLandmark(string Name, double A, double B, double Confidence);

/// <summary>
/// Finds the back's surface landmarks on a standing back surface. The classical detector (curvature and
/// outline) implements it; a learned model can replace it behind the same port.
/// </summary>
public interface ILandmarkDetector
{
    /// <summary>An id and version for the analysis result (e.g. "classic-curvature/1").</summary>
    string Id { get; }

    /// <summary>Landmarks found on <paramref name="surface"/>; a landmark that could not be found is left out.</summary>
    IReadOnlyList<GridLandmark> Detect(BackSurface surface);
}
