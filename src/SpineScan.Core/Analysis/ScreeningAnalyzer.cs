using System.Buffers;
using System.Diagnostics;
using SpineScan.Contracts;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Core.Spine;

namespace SpineScan.Core.Analysis;

/// <summary>Everything the analysis can be tuned with; hosts map their options into this record.</summary>
public sealed record AnalysisSettings
{
    public CaptureSettings Capture { get; init; } = CaptureSettings.Default;

    public CategoryThresholds Thresholds { get; init; } = CategoryThresholds.Default;

    public ExpectedCameraPose StandingCamera { get; init; } = ExpectedCameraPose.Standing;

    public ExpectedCameraPose ForwardBendCamera { get; init; } = ExpectedCameraPose.ForwardBend;

    /// <summary>The fitted spinal-line model (a model file, loaded by the host).</summary>
    public required SpinalLineModel SpinalLine { get; init; }

    /// <summary>The surface Cobb estimator fitted with <see cref="SpinalLine"/>.</summary>
    public required CentreLineCobbOptions Cobb { get; init; }

    /// <summary>The 90 % interval of each Cobb reading from the capture's evidence; null gives no intervals.</summary>
    public CobbIntervalModel? CobbInterval { get; init; }

    /// <summary>The model files <see cref="SpinalLine"/> and <see cref="Cobb"/> came from: every result names them.</summary>
    public IReadOnlyList<ModelInfo> Models { get; init; } = [];

    public string? CalibrationId { get; init; }

    /// <summary>
    /// The device's calibration: the analysis works in its gravity-aligned body frame and corrects its depth scale. Null:
    /// an uncalibrated device, assumed level unless a capture sees the floor (the analysis is then exactly as before).
    /// </summary>
    public DeviceCalibration? Calibration { get; init; }
}

/// <summary>The standing analysis's intermediate stages (valid only during the inspection callback).</summary>
public sealed record StandingInspection(PoseCapture Pose, IReadOnlyList<GridLandmark> Landmarks, SymmetryPoint[] SymmetryLine, double C7B, double DimpleMidB, PoseReport Report);

/// <summary>
/// The measurement pipeline: from the standing (and forward-bend) depth captures to a screening result.
/// Stateless apart from its settings, detector and centre model; safe to share across threads when the centre model is.
/// </summary>
/// <param name="centreModel">
/// A learned back-to-spine model whose centres replace the classical reconstruction's when it is sure enough (null: the
/// classical centres always, as before).
/// </param>
public sealed class ScreeningAnalyzer(AnalysisSettings settings, ILandmarkDetector landmarks, ISpineCentreModel? centreModel = null)
{
    public AnalysisSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    public ILandmarkDetector Landmarks { get; } = landmarks ?? throw new ArgumentNullException(nameof(landmarks));

    /// <summary>The learned centre model, or null for the classical centres.</summary>
    public ISpineCentreModel? CentreModel { get; } = centreModel;

    /// <summary>Analyses one screening. Bad captures end in <see cref="ScreeningCategory.Retake"/> with reasons, never in an exception.</summary>
    public ScreeningResult Analyze(DepthCapture standing, DepthCapture? forwardBend)
    {
        using var measured = AnalyzeStanding(standing);
        return Complete(measured, forwardBend);
    }

    /// <summary>
    /// The standing half of a screening: the capture's quality gates and, when they pass, its measurements. A station
    /// checks the standing capture with this at once (a retake is asked for while the child is still there) and keeps
    /// it for <see cref="Complete"/>, so the standing capture is analysed once per screening.
    /// </summary>
    public StandingAnalysis AnalyzeStanding(DepthCapture standing)
    {
        ArgumentNullException.ThrowIfNull(standing);
        var start = Stopwatch.GetTimestamp();
        var poseTimings = new Dictionary<string, double>();
        using var stand = AnalyzePose(standing, CapturePose.Standing, poseTimings);
        var measureTimings = new Dictionary<string, double>();
        var result = MeasureStanding(stand, measureTimings);
        return new StandingAnalysis(result, stand.TakeFused(), standing.Intrinsics, poseTimings, measureTimings, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>
    /// Completes a screening from its kept standing analysis and the forward bend (none: the standing pose alone).
    /// Gives the same result, to the last digit, as <see cref="Analyze"/> on both captures.
    /// </summary>
    public ScreeningResult Complete(StandingAnalysis standing, DepthCapture? forwardBend)
    {
        ArgumentNullException.ThrowIfNull(standing);
        var total = Stopwatch.GetTimestamp();

        // The stages in the order a single pass records them: both poses' capture stages, then the measurements.
        var timings = new Dictionary<string, double>(standing.PoseTimings);
        using var bend = forwardBend is null ? null : AnalyzePose(forwardBend, CapturePose.ForwardBend, timings);
        foreach (var (stage, ms) in standing.MeasureTimings)
        {
            timings[stage] = ms;
        }

        var result = standing.Measured;
        if (bend is not null)
        {
            var start = Stopwatch.GetTimestamp();
            var rotation = bend.Report.Accepted && bend.Surface is not null ? ForwardBendAnalyzer.Measure(bend.Surface) : null;
            var bendReport = bend.Report;
            if (bend.Report.Accepted && rotation is null)
            {
                bendReport = bendReport with { Issues = [.. bendReport.Issues, CaptureFinding.BentBackNotFollowed] };
            }

            timings["forwardBend.atr"] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            result = result with
            {
                ForwardBend = bendReport,
                AtrDeg = rotation is null ? null : new Measured(Math.Abs(rotation.AtrDeg), rotation.Confidence),
                AtrRightSideHigher = rotation is null ? null : rotation.AtrDeg > 0,
            };
        }

        var accepted = result.Issues.Count == 0;
        var category = accepted ? Decide(result) : ScreeningCategory.Retake;
        timings["total"] = standing.ElapsedMs + Stopwatch.GetElapsedTime(total).TotalMilliseconds;
        return result with { Category = category, Thresholds = Settings.Thresholds, TimingsMs = timings, CalibrationId = Settings.Calibration?.Id ?? Settings.CalibrationId };
    }

    // The programme's rule on the numbers as the result reports them (to the hundredth of a degree), so that the server,
    // deciding again from the wire values, reaches the same category.
    private ScreeningCategory Decide(ScreeningResult result)
    {
        var largest = result.Cobb?.Largest;
        var interval = largest?.Interval90 is { } i ? new CobbInterval(ScreeningResult.Rounded(i.Lower), ScreeningResult.Rounded(i.Upper)) : null;
        return Settings.Thresholds.Categorize(largest is null ? null : ScreeningResult.Rounded(largest.AngleDeg), interval, result.AtrDeg is { } atr ? ScreeningResult.Rounded(atr.Value) : null);
    }

    /// <summary>
    /// Runs the standing analysis and lets <paramref name="inspect"/> look at its intermediate stages while they
    /// are alive (for fitting the spinal-line model on phantom training seeds).
    /// </summary>
    public ScreeningResult InspectStanding(DepthCapture standing, Action<StandingInspection> inspect)
    {
        ArgumentNullException.ThrowIfNull(standing);
        var timings = new Dictionary<string, double>();
        using var stand = AnalyzePose(standing, CapturePose.Standing, timings);
        return MeasureStanding(stand, timings, inspect);
    }

    // One pose's capture stages, with the calibration's body frame, expected camera pose and depth scale when there is one.
    private PoseCapture AnalyzePose(DepthCapture capture, CapturePose pose, IDictionary<string, double> timings)
    {
        var calibration = Settings.Calibration;
        var calibrated = calibration?.For(pose);
        var expected = calibrated is { } c
            ? new ExpectedCameraPose(c.PitchDeg, c.RollDeg)
            : pose == CapturePose.Standing ? Settings.StandingCamera : Settings.ForwardBendCamera;
        if (calibration is null || calibration.DepthScale == 1)
        {
            return PoseCaptureAnalyzer.Analyze(capture, pose, Settings.Capture, expected, timings, calibrated);
        }

        using var corrected = DepthScaleCorrection.Apply(capture, calibration.DepthScale);
        return PoseCaptureAnalyzer.Analyze(corrected, pose, Settings.Capture, expected, timings, calibrated);
    }

    private ScreeningResult MeasureStanding(PoseCapture stand, Dictionary<string, double> timings, Action<StandingInspection>? inspect = null)
    {
        var empty = new ScreeningResult { Category = ScreeningCategory.Retake, Standing = stand.Report, LandmarkModelId = Landmarks.Id, Models = Settings.Models };
        if (!stand.Report.Accepted || stand.Surface is null || stand.Frame is not { } frame || stand.Fused is null)
        {
            return empty;
        }

        var surface = stand.Surface;
        var start = Stopwatch.GetTimestamp();
        var found = Landmarks.Detect(surface);
        timings["standing.landmarks"] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var byName = new Dictionary<string, GridLandmark>(StringComparer.Ordinal);
        foreach (var landmark in found)
        {
            byName[landmark.Name] = landmark;
        }

        if (!byName.TryGetValue(LandmarkNames.C7, out var c7)
            || !byName.TryGetValue(LandmarkNames.DimpleLeft, out var dimpleLeft)
            || !byName.TryGetValue(LandmarkNames.DimpleRight, out var dimpleRight))
        {
            var missing = !byName.ContainsKey(LandmarkNames.C7) ? CaptureFinding.NeckCovered : CaptureFinding.LowerBackCovered;
            return empty with { Standing = stand.Report with { Issues = [missing] } };
        }

        var validShare = BackValidShare(surface, c7, dimpleLeft, dimpleRight);
        var report = stand.Report with { ValidShare = validShare };
        if (validShare < Settings.Capture.MinValidShare)
        {
            return empty with { Standing = report with { Issues = [CaptureFinding.TooFewPixels] } };
        }

        start = Stopwatch.GetTimestamp();
        var dimpleMid = ((dimpleLeft.A + dimpleRight.A) / 2, (dimpleLeft.B + dimpleRight.B) / 2);
        var line = SpinalLineReconstructor.TraceSymmetryLine(surface, (c7.A, c7.B), dimpleMid);
        timings["standing.spine"] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (line is null)
        {
            return empty with { Standing = report with { Issues = [CaptureFinding.SpineNotFollowed] } };
        }

        var levels = SpinalLineReconstructor.Reconstruct(line, c7.B, dimpleMid.Item2, Settings.SpinalLine);
        inspect?.Invoke(new StandingInspection(stand, found, line, c7.B, dimpleMid.Item2, report));

        var models = Settings.Models;
        var fromModel = false;
        if (CentreModel is { } learned)
        {
            start = Stopwatch.GetTimestamp();
            fromModel = TryModelCentres(learned, surface, (c7.A, c7.B), dimpleMid, levels);
            timings["standing.model"] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            models = [.. models, learned.Info];
        }

        start = Stopwatch.GetTimestamp();

        var centres = SpinalLineReconstructor.FrontalCentres(levels);
        var cobb = CentreLineCobb.Estimate(centres, VertebralLevel.T1, Settings.Cobb);
        if (Settings.CobbInterval is { } intervals)
        {
            cobb = WithIntervals(cobb, intervals, Evidence(line, c7.B - dimpleMid.Item2, report, centres));
        }
        var posture = Posture(surface, levels, byName, c7, dimpleLeft, dimpleRight);
        timings["standing.metrics"] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        var landmarksOut = new List<SurfaceLandmark>(found.Count);
        foreach (var l in found)
        {
            var height = SurfaceHeight(surface, l.A, l.B);
            var body = surface.ToBody(l.A, l.B, height);
            landmarksOut.Add(new SurfaceLandmark(l.Name, frame.ToCamera(body), body, l.Confidence));
        }

        var lineBody = new Vector3d[levels.Length];
        var lineCamera = new Vector3d[levels.Length];
        for (var k = 0; k < levels.Length; k++)
        {
            lineBody[k] = levels[k].CentreBodyMm;
            lineCamera[k] = frame.ToCamera(levels[k].CentreBodyMm);
        }

        return empty with
        {
            Standing = report,
            Cobb = cobb,
            CobbConfidence = Math.Min(c7.Confidence, Math.Min(dimpleLeft.Confidence, dimpleRight.Confidence)),
            Posture = posture,
            Landmarks = landmarksOut,
            SpinalLineBodyMm = lineBody,
            SpinalLineCameraMm = lineCamera,
            Models = models,
            CentresFromModel = fromModel,
        };
    }

    // Replaces the levels' body centres by the learned model's, at the classical heights, when the model is sure enough
    // (the median of its per-level lateral sigmas at most its trusted limit, every number finite); else leaves them.
    private static bool TryModelCentres(ISpineCentreModel model, BackSurface surface, (double A, double B) c7, (double A, double B) dimpleMid, SpinalLevel[] levels)
    {
        const int N = SpineCentrePrediction.Levels;
        var grid = ArrayPool<float>.Shared.Rent(BackGrid.Length);
        var answer = ArrayPool<float>.Shared.Rent(SpineCentrePrediction.Length);
        try
        {
            var frame = BackGrid.Export(surface, c7, dimpleMid, grid.AsSpan(0, BackGrid.Length));
            var prediction = answer.AsSpan(0, SpineCentrePrediction.Length);
            model.Predict(grid.AsSpan(0, BackGrid.Length), prediction);
            Span<float> sigmas = stackalloc float[N];
            for (var k = 0; k < SpineCentrePrediction.Length; k++)
            {
                if (!float.IsFinite(prediction[k]))
                {
                    return false;
                }
            }

            prediction.Slice(2 * N, N).CopyTo(sigmas);
            sigmas.Sort();
            var median = (sigmas[(N / 2) - 1] + sigmas[N / 2]) / 2;
            if (!(median <= model.MaxTrustedSigma) || levels.Length != N)
            {
                return false;
            }

            for (var k = 0; k < N; k++)
            {
                var centre = frame.ToBody(levels[k].CentreBodyMm.Y, prediction[k], prediction[N + k]);
                levels[k] = levels[k] with { CentreBodyMm = centre };
            }

            return true;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(grid);
            ArrayPool<float>.Shared.Return(answer);
        }
    }

    // What the capture says about how well its angles can be read (see CaptureEvidence).
    private CaptureEvidence Evidence(SymmetryPoint[] line, double trunkLengthMm, PoseReport report, Vector2d[] centres)
    {
        var spread = Settings.Cobb.EndplateTilts is { } tilts && centres.Length == 17
            ? EndplateCobbPrediction.Distribution(centres, tilts) is var (lower, _, upper) ? upper - lower : 0
            : 0;
        var (roughness, cost) = SymmetryLineFinder.Quality(line);
        return new CaptureEvidence(trunkLengthMm, report.DistanceMm ?? 1300, report.ValidShare ?? 1, report.DepthNoiseMm ?? 0, roughness, cost, spread);
    }

    private static CentreLineCobbResult WithIntervals(CentreLineCobbResult cobb, CobbIntervalModel model, CaptureEvidence evidence)
    {
        var largest = cobb.LargestIndex;
        var curves = cobb.Curves.Select(c => c with { Interval90 = model.Interval(c.AngleDeg, evidence) }).ToList();
        return cobb with { Curves = curves, Largest = curves[largest] };
    }

    private static PostureMetrics Posture(BackSurface surface, SpinalLevel[] levels, Dictionary<string, GridLandmark> byName, GridLandmark c7, GridLandmark dimpleLeft, GridLandmark dimpleRight)
    {
        var rotation = 0.0;
        foreach (var level in levels)
        {
            if (Math.Abs(level.SurfaceRotationDeg) > Math.Abs(rotation))
            {
                rotation = level.SurfaceRotationDeg;
            }
        }

        var dimpleMidA = (dimpleLeft.A + dimpleRight.A) / 2;
        var dimpleMidB = (dimpleLeft.B + dimpleRight.B) / 2;
        var (kyphosis, lordosis) = SagittalAngles(levels);
        var c7Height = SurfaceHeight(surface, c7.A, c7.B);
        var dimpleHeight = SurfaceHeight(surface, dimpleMidA, dimpleMidB);

        Measured? Difference(string left, string right, double confidence) =>
            byName.TryGetValue(left, out var l) && byName.TryGetValue(right, out var r) ? new Measured(r.B - l.B, confidence) : null;

        Measured? waist = null;
        if (byName.TryGetValue(LandmarkNames.WaistLeft, out var wl) && byName.TryGetValue(LandmarkNames.WaistRight, out var wr))
        {
            // The waist triangle's depth on each side: the waist point's distance from the plumb line through C7.
            var left = c7.A - wl.A;
            var right = wr.A - c7.A;
            waist = new Measured(100 * (right - left) / ((right + left) / 2), Math.Min(wl.Confidence, wr.Confidence));
        }

        return new PostureMetrics
        {
            SurfaceRotationDeg = new Measured(rotation, 0.8),
            KyphosisDeg = kyphosis is null ? null : new Measured(kyphosis.Value, 0.6),
            LordosisDeg = lordosis is null ? null : new Measured(lordosis.Value, 0.6),
            TrunkInclinationDeg = new Measured(Math.Atan2(dimpleHeight - c7Height, c7.B - dimpleMidB) * 180 / Math.PI, 0.7),
            ShoulderHeightDifferenceMm = Difference(LandmarkNames.AcromionLeft, LandmarkNames.AcromionRight, 0.7),
            ScapulaAsymmetryMm = Difference(LandmarkNames.ScapulaLeft, LandmarkNames.ScapulaRight, 0.3),
            WaistTriangleAsymmetryPct = waist,
            PelvicObliquityDeg = new Measured(Math.Atan2(dimpleRight.B - dimpleLeft.B, dimpleRight.A - dimpleLeft.A) * 180 / Math.PI, 0.7),
            // C7 over the spinous line (the traced line at C7), not the outline's midline, which arms and shoulders shift.
            TrunkImbalanceMm = new Measured(levels[0].SkinBodyMm.X - dimpleMidA, 0.8),
        };
    }

    // Kyphosis and lordosis as rasterstereography defines them: the differences of the sagittal profile's tangent
    // between its inflection points (the extremes of the tangent angle) along the spinous line.
    private static (double? Kyphosis, double? Lordosis) SagittalAngles(SpinalLevel[] levels)
    {
        var n = levels.Length;
        var tangent = new double[n];
        for (var k = 0; k < n; k++)
        {
            var a = levels[Math.Max(0, k - 1)].SkinBodyMm;
            var b = levels[Math.Min(n - 1, k + 1)].SkinBodyMm;

            // Angle of the profile from vertical, + when the back leans backward going up.
            tangent[k] = Math.Atan2(a.Z - b.Z, a.Y - b.Y) * 180 / Math.PI;
        }

        // Thoracolumbar inflection: the most forward-leaning tangent between T8 and L3.
        var tl = 8;
        for (var k = 8; k <= 15; k++)
        {
            if (tangent[k] > tangent[tl])
            {
                tl = k;
            }
        }

        var top = 0;
        for (var k = 0; k < tl; k++)
        {
            if (tangent[k] < tangent[top])
            {
                top = k;
            }
        }

        var bottom = n - 1;
        for (var k = tl + 1; k < n; k++)
        {
            if (tangent[k] < tangent[bottom])
            {
                bottom = k;
            }
        }

        return (tangent[tl] - tangent[top], tangent[tl] - tangent[bottom]);
    }

    // Share of the back (between C7 and the dimples, within the trunk's outline) that holds a measurement.
    private static double BackValidShare(BackSurface surface, GridLandmark c7, GridLandmark dimpleLeft, GridLandmark dimpleRight)
    {
        var fromRow = Math.Max(0, (int)((Math.Min(dimpleLeft.B, dimpleRight.B) - surface.OriginB) / surface.SpacingMm));
        var toRow = Math.Min(surface.Rows - 1, (int)((c7.B - surface.OriginB) / surface.SpacingMm));
        var halfWidth = Math.Max(60, (dimpleRight.A - dimpleLeft.A) * 1.2);
        var centre = (dimpleLeft.A + dimpleRight.A + (2 * c7.A)) / 4;
        var c0 = Math.Max(0, (int)((centre - halfWidth - surface.OriginA) / surface.SpacingMm));
        var c1 = Math.Min(surface.Columns - 1, (int)((centre + halfWidth - surface.OriginA) / surface.SpacingMm));
        int valid = 0, total = 0;
        for (var r = fromRow; r <= toRow; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                total++;
                if (surface.IsValid(c, r))
                {
                    valid++;
                }
            }
        }

        return total == 0 ? 0 : valid / (double)total;
    }

    private static double SurfaceHeight(BackSurface surface, double a, double b)
    {
        var c = Math.Clamp((int)Math.Round((a - surface.OriginA) / surface.SpacingMm), 0, surface.Columns - 1);
        var r = Math.Clamp((int)Math.Round((b - surface.OriginB) / surface.SpacingMm), 0, surface.Rows - 1);
        var h = surface.HeightAt(c, r);
        return float.IsNaN(h) ? 0 : h;
    }
}
