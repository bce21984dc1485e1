using System.Security.Cryptography;
using System.Text;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Device.Findings;
using WirePattern = SpineScan.Contracts.CurvePattern;

namespace SpineScan.Device.Analysis;

/// <summary>Maps the Core screening result onto the versioned wire contract (<see cref="AnalysisResult"/>).</summary>
public static class ContractMapper
{
    /// <summary>The quality flag of an analysis made without a calibration (the camera assumed level unless it sees the floor).</summary>
    public const string UncalibratedCode = "uncalibrated";

    /// <summary>
    /// The result with the non-blocking <c>uncalibrated</c> quality flag: no calibration was in force, so the body frame
    /// came from the floor the capture saw, or a level camera when it saw none. Category and measurements are unchanged.
    /// </summary>
    public static AnalysisResult MarkUncalibrated(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.CalibrationId is not null || result.Quality.Reasons.Any(r => r.Code == UncalibratedCode))
        {
            return result;
        }

        var reason = new QualityReason(
            UncalibratedCode,
            "No calibration was used: the camera was taken as level (or as the floor in view showed it), so camera tilt can read as posture. Calibrate the device (calibration/README.md) and analyse with --calibration.",
            Blocking: false);
        return result with { Quality = result.Quality with { Reasons = [.. result.Quality.Reasons, reason] } };
    }

    public static AnalysisResult ToContract(ScreeningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var reasons = result.Issues.Select(i => new QualityReason(i.Code, CaptureFindingText.English(i))).ToList();
        var posture = result.Posture;
        var curves = new List<CobbCurve>();
        if (result.Cobb is { } cobb)
        {
            foreach (var curve in cobb.Curves.OrderByDescending(c => c.AngleDeg))
            {
                curves.Add(new CobbCurve(
                    ScreeningResult.Rounded(curve.AngleDeg),
                    Metric.Degrees,
                    result.CobbConfidence,
                    curve.Region,
                    curve.ApexLevel.ToString(),
                    ((VertebralLevel)((int)VertebralLevel.T1 + curve.UpperEnd)).ToString(),
                    ((VertebralLevel)((int)VertebralLevel.T1 + curve.LowerEnd)).ToString(),
                    curve.Interval90 is { } interval ? new CobbInterval(ScreeningResult.Rounded(interval.Lower), ScreeningResult.Rounded(interval.Upper)) : null));
            }
        }

        var pattern = result.Cobb is null || curves.Count == 0 ? WirePattern.None
            : result.Cobb.Pattern;
        var metrics = new AnalysisMetrics(
            curves,
            pattern,
            ToMetric(result.AtrDeg, Metric.Degrees),
            ToMetric(posture.SurfaceRotationDeg, Metric.Degrees),
            ToMetric(posture.KyphosisDeg, Metric.Degrees),
            ToMetric(posture.LordosisDeg, Metric.Degrees),
            ToMetric(posture.TrunkInclinationDeg, Metric.Degrees),
            ToMetric(posture.ShoulderHeightDifferenceMm, Metric.Millimetres),
            ToMetric(posture.ScapulaAsymmetryMm, Metric.Millimetres),
            ToMetric(posture.WaistTriangleAsymmetryPct, Metric.Percent),
            ToMetric(posture.PelvicObliquityDeg, Metric.Degrees),
            ToMetric(posture.TrunkImbalanceMm, Metric.Millimetres));

        // Contract body coordinates are centred on the lumbar dimples' midpoint.
        var origin = BodyOrigin(result);
        var landmarks = result.Landmarks
            .Select(l => new Landmark(l.Name, Point(l.CameraMm), Point(l.BodyMm - origin), Math.Round(l.Confidence, 2)))
            .ToList();
        var line = new SpinalLine(
            result.SpinalLineCameraMm.Select(Point).ToList(),
            result.SpinalLineBodyMm.Select(p => Point(p - origin)).ToList());
        var quality = new CaptureQuality(
            result.Issues.Count == 0,
            reasons,
            result.Standing.ValidShare is { } share ? Math.Round(share, 3) : null,
            result.Standing.DistanceMm is { } distance ? Math.Round(distance, 1) : null,
            result.Standing.FramesUsed + (result.ForwardBend?.FramesUsed ?? 0));
        var timings = result.TimingsMs.ToDictionary(t => t.Key, t => Math.Round(t.Value, 2), StringComparer.Ordinal);
        return new AnalysisResult(
            AnalysisResult.SchemaV2,
            result.Category,
            metrics,
            quality,
            landmarks,
            line,
            [new ModelInfo(result.LandmarkModelId, IdentityHash(result.LandmarkModelId))],
            result.CalibrationId,
            ScreeningResult.AlgorithmVersion,
            timings,
            result.Thresholds);
    }

    // The classical detector has no weights file: its "model hash" is the SHA-256 of its id, so a result still names exactly what ran.
    private static string IdentityHash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static Vector3d BodyOrigin(ScreeningResult result)
    {
        var left = result.Landmarks.FirstOrDefault(l => l.Name == Core.Ports.LandmarkNames.DimpleLeft);
        var right = result.Landmarks.FirstOrDefault(l => l.Name == Core.Ports.LandmarkNames.DimpleRight);
        return left is null || right is null ? Vector3d.Zero : (left.BodyMm + right.BodyMm) * 0.5;
    }

    private static Metric? ToMetric(Measured? value, string unit) =>
        value is { } v && double.IsFinite(v.Value) ? new Metric(ScreeningResult.Rounded(v.Value), unit, Math.Round(v.Confidence, 2)) : null;

    private static Point3Mm Point(Vector3d p) => new(Math.Round(p.X, 1), Math.Round(p.Y, 1), Math.Round(p.Z, 1));
}
