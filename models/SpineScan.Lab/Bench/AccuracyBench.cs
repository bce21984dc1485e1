using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization;
using Spectre.Console;
using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Calibration;
using SpineScan.Core.Ports;
using SpineScan.Core.Spine;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Lab.Bench;

/// <summary>Per-child row of the accuracy bench.</summary>
/// <param name="Lower90">The 5th percentile of the estimate's 90 % interval (null when it carries none).</param>
/// <param name="Upper90">The 95th percentile.</param>
/// <param name="CentresCobbDeg">The centre-line estimator (AASCE calibration) run on the child's true vertebral centres: what the product's estimator would read from a perfect surface reconstruction.</param>
/// <param name="FloorCobbDeg">The median endplate Cobb angle of the child's true centres (<see cref="EndplateCobbPrediction"/>): the best reading in MAE of any method that knows only the centre line.</param>
/// <param name="FloorLower90">The 5th percentile of the endplate Cobb angle given the true centres.</param>
/// <param name="FloorUpper90">The 95th percentile.</param>
/// <param name="FloorCategory">The programme's decision made from the true centre line (its endplate distribution) and the measured ATR.</param>
public sealed record AccuracyRow(
    int Index,
    int Seed,
    string CurveType,
    double TrueCobbDeg,
    double? EstimatedCobbDeg,
    double? Lower90,
    double? Upper90,
    double TrueAtrDeg,
    double? EstimatedAtrDeg,
    string Category,
    IReadOnlyList<string> Issues,
    double CentresCobbDeg,
    double FloorCobbDeg,
    double FloorLower90,
    double FloorUpper90,
    string FloorCategory,
    double CameraPitchErrorDeg = 0,
    double CameraRollErrorDeg = 0,
    double DepthScaleError = 0,
    double? ShoulderHeightErrorMm = null,
    double? PelvicObliquityErrorDeg = null,
    CalibrationRow? Calibration = null,
    FrameBiasRow? FrameBias = null);

/// <summary>What the bench's calibration of a child's camera found against the camera's truth.</summary>
/// <param name="PitchErrorDeg">Calibrated standing pitch minus the true pitch.</param>
/// <param name="RollErrorDeg">Calibrated standing roll minus the true roll.</param>
/// <param name="DepthScaleErrorPct">Calibrated depth scale minus the true one, in percent.</param>
/// <param name="Passed">The calibration's verdict.</param>
/// <param name="Refused">Why the calibration refused its captures (null: it made one).</param>
/// <param name="Failures">Why its verdict failed (empty when it passed); the analysis still uses it, as the bench measures the correction.</param>
public sealed record CalibrationRow(double PitchErrorDeg, double RollErrorDeg, double DepthScaleErrorPct, bool Passed, string? Refused, IReadOnlyList<string>? Failures = null);

/// <summary>How a bench run bends the world: camera tilt, depth scale error, and whether each camera is calibrated first.</summary>
/// <param name="TiltDeg">Camera pitch and roll drawn uniformly within +/- this (both poses); null keeps the world's draw.</param>
/// <param name="DepthScaleErrorPct">Depth scale error drawn uniformly within +/- this percentage (0: none).</param>
/// <param name="Calibrate">Render each camera's calibration scenes, calibrate, and analyse with that calibration.</param>
public sealed record BenchConditions(double? TiltDeg = null, double DepthScaleErrorPct = 0, bool Calibrate = false)
{
    public static BenchConditions None { get; } = new();

    /// <summary>The board distances of the bench's calibrations (the procedure's near and far marks).</summary>
    public static IReadOnlyList<double> BoardDistancesMm { get; } = [1000, 1600];

    /// <summary>How far the technician's tape may be off (SD, mm): the bench draws each board's measured distance with it.</summary>
    public const double TapeSdMm = 2;
}

/// <summary>
/// What camera tilt and depth scale do to the posture metrics, apart from the landmark detector's own errors: the child's
/// true landmarks, as the camera saw them, read in the body frame the pipeline used (from the calibration, the floor seen,
/// or a level camera), against the same metric in the true gravity frame. Calibration must bring these to zero.
/// </summary>
/// <param name="Children">Children whose standing capture was measured.</param>
/// <param name="FrameTiltMeanDeg">Mean angle between the pipeline's up and gravity.</param>
/// <param name="FrameTiltMaxDeg">Largest such angle.</param>
/// <param name="ShoulderHeightBiasMeanMm">Mean absolute frame-induced error of the shoulder height difference.</param>
/// <param name="ShoulderHeightBiasMaxMm">Largest.</param>
/// <param name="PelvicObliquityBiasMeanDeg">Mean absolute frame-induced error of the pelvic obliquity.</param>
/// <param name="PelvicObliquityBiasMaxDeg">Largest.</param>
/// <param name="ShoulderHeightMaeMm">The measured shoulder height difference's MAE against the truth (detector errors included).</param>
/// <param name="PelvicObliquityMaeDeg">The same for the pelvic obliquity.</param>
/// <param name="LargestTiltDeg">The run's --tilt-deg (null: the world's own tilt draw).</param>
public sealed record TiltBias(
    int Children,
    double FrameTiltMeanDeg,
    double FrameTiltMaxDeg,
    double ShoulderHeightBiasMeanMm,
    double ShoulderHeightBiasMaxMm,
    double PelvicObliquityBiasMeanDeg,
    double PelvicObliquityBiasMaxDeg,
    double ShoulderHeightMaeMm,
    double PelvicObliquityMaeDeg,
    double? LargestTiltDeg);

/// <summary>One child's frame-induced errors (see <see cref="TiltBias"/>).</summary>
public sealed record FrameBiasRow(double FrameTiltDeg, double ShoulderHeightMm, double PelvicObliquityDeg);

/// <summary>The bench's calibrations against the cameras' truth.</summary>
public sealed record CalibrationSummary(int Calibrated, int Refused, int Failed, double PitchMaeDeg, double RollMaeDeg, double PitchMaxErrorDeg, double RollMaxErrorDeg, double DepthScaleMaeErrorPct);

/// <summary>What a reading of the Cobb angle gives against the truth: the point estimate and the screening decision.</summary>
public sealed record ReadingSummary
{
    public double MaeDeg { get; init; }

    /// <summary>95 % bootstrap interval of <see cref="MaeDeg"/>: how far another batch of the same size may land.</summary>
    public ConfidenceInterval MaeCi95 { get; init; }

    public double RmseDeg { get; init; }

    public double BiasDeg { get; init; }

    /// <summary>Least-squares slope of the estimate on the truth (1: large curves read as large as they are).</summary>
    public double Slope { get; init; }

    public double PearsonR { get; init; }

    /// <summary>MAE by band of the true Cobb angle: under 10, 10-20, 20-30, 30-45, 45 and over.</summary>
    public required IReadOnlyDictionary<string, double> MaeByBandDeg { get; init; }

    public double Sensitivity20 { get; init; }

    public double Specificity20 { get; init; }

    public ConfidenceInterval Sensitivity20Ci95 { get; init; }

    public ConfidenceInterval Specificity20Ci95 { get; init; }

    /// <summary>Share of true angles inside the 90 % interval (target 0.85-0.95).</summary>
    public double Coverage90 { get; init; }

    /// <summary>Of true Cobb 20 deg or more: share referred (target 0.97 in range, 0.95 shifted).</summary>
    public double Referred20 { get; init; }

    /// <summary>Of true Cobb 20 deg or more: share told normal (target 0).</summary>
    public double Normal20 { get; init; }

    /// <summary>Of true Cobb 30 deg or more: share referred.</summary>
    public double Referred30 { get; init; }

    /// <summary>Of true Cobb under 10 deg: share referred (target 0.03 in range, 0.05 shifted).</summary>
    public double ReferredUnder10 { get; init; }

    /// <summary>Children with a true Cobb of 40 deg or more read below 30 (target none).</summary>
    public int Read40Below30 { get; init; }

    /// <summary>Share referred at the school mix (truth bands reweighted, see <see cref="AccuracyBench.SchoolMix"/>).</summary>
    public double SchoolReferralRate { get; init; }

    /// <summary>Positive predictive value for curves of 20 deg or more at the school mix.</summary>
    public double SchoolPpv20 { get; init; }
}

/// <summary>The accuracy bench's summary on one world (held-out phantoms).</summary>
public sealed record AccuracyReport
{
    public required string World { get; init; }

    public int N { get; init; }

    public int Seed { get; init; }

    public int Measured { get; init; }

    /// <summary>Measured children with a true Cobb angle of 20 degrees or more.</summary>
    public int Positives20 { get; init; }

    /// <summary>The product's reading (surface estimate, its interval and the decision).</summary>
    public required ReadingSummary Estimate { get; init; }

    /// <summary>
    /// The floor: the same reading and decision made from the child's true centre line (the median and percentiles of the
    /// endplate Cobb angle it implies under the tilt model) on the same measured children. No surface method can know
    /// more than the centre line, so a target the floor misses is out of reach of any.
    /// </summary>
    public required ReadingSummary Floor { get; init; }

    /// <summary>Cobb MAE of the AASCE-calibrated centre-line estimator on the true centres (the estimator's own share of the error).</summary>
    public double CentresCobbMaeDeg { get; init; }

    public double AtrMaeDeg { get; init; }

    public double RepeatabilitySdDeg { get; init; }

    public double RefusedShare { get; init; }

    /// <summary>Refused children by reason code.</summary>
    public required IReadOnlyDictionary<string, int> RefusedByReason { get; init; }

    public required IReadOnlyDictionary<string, double> LandmarkMedianErrorMm { get; init; }

    public required IReadOnlyDictionary<string, double> CobbMaeByCurveType { get; init; }

    /// <summary>Mean absolute errors of the posture metrics against the same metric on the truth landmarks.</summary>
    public required IReadOnlyDictionary<string, double> PostureMae { get; init; }

    public double MedianAnalysisMs { get; init; }

    /// <summary>The conditions the run bent the world with.</summary>
    public BenchConditions Conditions { get; init; } = BenchConditions.None;

    /// <summary>The posture errors camera tilt causes on the measured children.</summary>
    public TiltBias? Tilt { get; init; }

    /// <summary>With <see cref="BenchConditions.Calibrate"/>: how well the calibrations found each camera's pose and scale.</summary>
    public CalibrationSummary? Calibration { get; init; }

    public required IReadOnlyList<AccuracyRow> Rows { get; init; }

    /// <summary>Where the vertebral-body centres came from: <c>classical</c>, or <c>model</c> (the learned model, falling back per capture).</summary>
    public string Method { get; init; } = AccuracyBench.Classical;

    /// <summary>With the model: the share of measured children whose centres came from it (the rest fell back to the classical ones).</summary>
    public double? ModelShare { get; init; }
}

/// <summary>The worlds bench: one report per world.</summary>
public sealed record WorldsReport(int N, int Seed, IReadOnlyList<AccuracyReport> Worlds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AccuracyReport))]
[JsonSerializable(typeof(WorldsReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>Runs the pipeline on generated children and compares it with their truth.</summary>
internal static class AccuracyBench
{
    /// <summary>Bands of the true Cobb angle (degrees) the MAE is broken down by, and the school mix's weights of them.</summary>
    public static readonly (string Name, double From, double To)[] Bands = [("<10", 0, 10), ("10-20", 10, 20), ("20-30", 20, 30), ("30-45", 30, 45), (">=45", 45, double.PositiveInfinity)];

    /// <summary>
    /// The school mix (issue 17): true Cobb under 5 deg 80 %, 5-10 15 %, 10-20 3.5 %, 20-30 1 %, 30 and over 0.5 %. The
    /// phantom's batches hold many more curves than a school; PPV and referral rate are reweighted to this mix.
    /// </summary>
    public static readonly (double From, double To, double Weight)[] SchoolMix = [(0, 5, 0.80), (5, 10, 0.15), (10, 20, 0.035), (20, 30, 0.01), (30, double.PositiveInfinity, 0.005)];

    /// <summary>The <c>--method</c> that reads the centres with the classical reconstruction alone.</summary>
    public const string Classical = "classical";

    /// <summary>The <c>--method</c> that reads them with the learned model (falling back per capture when it is unsure).</summary>
    public const string Model = "model";

    public static AccuracyReport Run(int count, int batchSeed, int repeats, int repeatChildren, IAnsiConsole? progress, PhantomWorld? world = null, BenchConditions? conditions = null, ISpineCentreModel? centreModel = null)
    {
        world ??= PhantomWorld.Base;
        conditions ??= BenchConditions.None;
        var settings = ModelCatalog.Shipped.Settings();
        var analyzer = new ScreeningAnalyzer(settings, new ClassicLandmarkDetector(), centreModel);
        var fromModel = 0;
        var floorTilts = FloorTilts(world);
        var rows = new AccuracyRow[count];
        var landmarkErrors = new ConcurrentBag<(string Name, double ErrorMm)>();
        var variances = new ConcurrentBag<double>();
        var times = new double[count];
        var posture = new ConcurrentBag<(string Metric, double Error)>();

        void Child(int i)
        {
            var seed = PhantomSeeds.ForChild(batchSeed, i);
            var options = Conditioned(new PhantomOptions { Seed = seed, World = world }, conditions);
            using var child = PhantomGenerator.Generate(options);
            var (childAnalyzer, calibrationRow) = conditions.Calibrate ? Calibrated(analyzer, options, child) : (analyzer, null);
            var result = childAnalyzer.Analyze(child.Standing, child.ForwardBend);
            times[i - 1] = result.TimingsMs.GetValueOrDefault("total");
            var truth = child.Truth;
            var measured = result.Category != ScreeningCategory.Retake;
            var frameBias = measured ? FrameBias(childAnalyzer, options, child) : null;
            var largest = measured ? result.Cobb?.Largest : null;
            if (measured && result.CentresFromModel)
            {
                Interlocked.Increment(ref fromModel);
            }

            var interval = measured ? result.CobbInterval90 : null;

            // The AASCE-calibrated estimator and the endplate Cobb distribution of the true vertebral-body centres T1..L5.
            var trueCentres = SpinalLineReconstructor.FrontalCentres([.. truth.Standing.Spine.Select(s => s.BodyCentreBodyMm)]);
            var (floorLower, floorMedian, floorUpper) = EndplateCobbPrediction.Distribution(trueCentres, floorTilts);
            var floorCategory = measured
                ? settings.Thresholds.Categorize(floorMedian, new CobbInterval(floorLower, floorUpper), result.AtrDeg?.Value).ToWire()
                : ScreeningCategory.Retake.ToWire();
            rows[i - 1] = new AccuracyRow(
                i, seed, truth.Parameters.CurveType.ToString(), truth.CobbDeg[0], largest?.AngleDeg, interval?.Lower, interval?.Upper,
                truth.AtrDeg, result.AtrDeg?.Value, result.Category.ToWire(), result.Issues.Select(x => x.Code).ToList(),
                CentreLineCobb.Estimate(trueCentres, VertebralLevel.T1).Largest.AngleDeg, floorMedian, floorLower, floorUpper, floorCategory,
                truth.Standing.Camera.PitchDeg, truth.Standing.Camera.RollDeg, options.DepthScaleError,
                measured ? PostureError(result, truth, "shoulderHeightDifferenceMm") : null,
                measured ? PostureError(result, truth, "pelvicObliquityDeg") : null,
                calibrationRow,
                frameBias);
            foreach (var landmark in result.Landmarks)
            {
                var reference = truth.Standing.Landmarks.FirstOrDefault(l => l.Name == landmark.Name);
                if (reference is not null)
                {
                    landmarkErrors.Add((landmark.Name, (landmark.CameraMm - reference.CameraMm).Length));
                }
            }

            if (measured)
            {
                ComparePosture(result, truth, posture);
            }

            if (i <= repeatChildren && repeats > 1 && largest is not null)
            {
                var estimates = new List<double> { largest.AngleDeg };
                for (var r = 1; r < repeats; r++)
                {
                    using var again = child.Rerender(PhantomSeeds.Derive(seed, 1000 + r), 1.0);
                    var repeat = childAnalyzer.Analyze(again.Standing, again.ForwardBend);
                    if (repeat.Category != ScreeningCategory.Retake && repeat.Cobb is { } cobb)
                    {
                        estimates.Add(cobb.Largest.AngleDeg);
                    }
                }

                if (estimates.Count > 1)
                {
                    var mean = estimates.Average();
                    variances.Add(estimates.Sum(e => (e - mean) * (e - mean)) / (estimates.Count - 1));
                }
            }
        }

        // Children are independent and each row lands at its own index, so the report does not depend on the scheduling.
        void Work(Action advance) =>
            Parallel.For(1, count + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                Child(i);
                advance();
            });

        if (progress is null)
        {
            Work(() => { });
        }
        else
        {
            progress.Progress().Start(context =>
            {
                var task = context.AddTask($"{world.Name}: held-out children", maxValue: count);
                Work(() => task.Increment(1));
            });
        }

        var report = Summarize(world.Name, count, batchSeed, rows, [.. variances], times, [.. landmarkErrors], [.. posture]) with
        {
            Conditions = conditions,
            Tilt = TiltOf(rows, conditions),
            Calibration = conditions.Calibrate ? CalibrationOf(rows) : null,
        };
        return centreModel is null ? report : report with { Method = Model, ModelShare = report.Measured == 0 ? double.NaN : fromModel / (double)report.Measured };
    }

    /// <summary>A child's options with the run's camera tilt and depth scale error drawn from its own seed (the other draws unchanged).</summary>
    internal static PhantomOptions Conditioned(PhantomOptions options, BenchConditions conditions)
    {
        var random = new Random(PhantomSeeds.Derive(options.Seed, 77));
        double Uniform(double half) => half * ((2 * random.NextDouble()) - 1);
        var pitch = conditions.TiltDeg is { } t ? Uniform(t) : (double?)null;
        var roll = conditions.TiltDeg is { } r ? Uniform(r) : (double?)null;
        var scale = Uniform(conditions.DepthScaleErrorPct) / 100;
        return options with { CameraPitchDeg = pitch ?? options.CameraPitchDeg, CameraRollDeg = roll ?? options.CameraRollDeg, DepthScaleError = scale };
    }

    // The calibration of the child's camera (its empty scenes and boards, the board distances read off a tape) and an analyzer
    // that uses it; a calibration that refuses its captures leaves the child uncalibrated, and says why.
    private static (ScreeningAnalyzer Analyzer, CalibrationRow Row) Calibrated(ScreeningAnalyzer analyzer, PhantomOptions options, PhantomChild child)
    {
        using var scenes = PhantomCalibrationScenes.Render(options, BenchConditions.BoardDistancesMm);
        var tape = new Random(PhantomSeeds.Derive(options.Seed, 78));
        var boards = scenes.Boards.Select(b => new BoardCapture(b.Capture, b.DistanceMm + Math.Clamp(Gaussian(tape) * BenchConditions.TapeSdMm, -3 * BenchConditions.TapeSdMm, 3 * BenchConditions.TapeSdMm))).ToList();
        try
        {
            var calibration = CalibrationSolver.Solve(scenes.EmptyStanding, scenes.EmptyForwardBend, boards, CalibrationTolerances.Default, DateTimeOffset.UnixEpoch);
            var camera = child.Truth.Standing.Camera;
            var row = new CalibrationRow(
                calibration.Standing.PitchDeg - camera.PitchDeg,
                calibration.Standing.RollDeg - camera.RollDeg,
                100 * (calibration.DepthScale - (1 + options.DepthScaleError)),
                calibration.Verdict.Passed,
                null,
                calibration.Verdict.Failures);
            return (new ScreeningAnalyzer(analyzer.Settings with { Calibration = calibration }, analyzer.Landmarks, analyzer.CentreModel), row);
        }
        catch (CalibrationInputException e)
        {
            return (analyzer, new CalibrationRow(double.NaN, double.NaN, double.NaN, false, e.Message));
        }
    }

    // The true landmarks as the camera saw them (scaled by its depth scale error, then by the calibration's correction) read
    // in the body frame the pipeline built, against the truth in the gravity frame.
    private static FrameBiasRow? FrameBias(ScreeningAnalyzer analyzer, PhantomOptions options, PhantomChild child)
    {
        BodyFrame? used = null;
        analyzer.InspectStanding(child.Standing, inspection => used = inspection.Pose.Frame);
        if (used is not { } frame)
        {
            return null;
        }

        var truth = child.Truth.Standing;
        var seen = (1 + options.DepthScaleError) / (analyzer.Settings.Calibration?.DepthScale ?? 1);
        Core.Depth.Vector3d Landmark(string name, bool inFrame)
        {
            var t = truth.Landmarks.First(l => l.Name == name);
            return inFrame ? frame.ToBody(t.CameraMm * seen) : t.BodyMm;
        }

        double Shoulder(bool inFrame) => Landmark("acromionRight", inFrame).Y - Landmark("acromionLeft", inFrame).Y;
        double Pelvis(bool inFrame)
        {
            var (l, r) = (Landmark("lumbarDimpleLeft", inFrame), Landmark("lumbarDimpleRight", inFrame));
            return Math.Atan2(r.Y - l.Y, r.X - l.X) * 180 / Math.PI;
        }

        var camera = truth.Camera;
        var up = new Core.Depth.Vector3d(camera.RightAxis.Y, camera.DownAxis.Y, camera.ForwardAxis.Y);
        var tilt = Math.Acos(Math.Clamp(Core.Depth.Vector3d.Dot(up.Normalized(), frame.Up), -1, 1)) * 180 / Math.PI;
        return new FrameBiasRow(tilt, Shoulder(true) - Shoulder(false), Pelvis(true) - Pelvis(false));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double? PostureError(ScreeningResult result, PhantomTruth truth, string metric)
    {
        var errors = new ConcurrentBag<(string Metric, double Error)>();
        ComparePosture(result, truth, errors);
        return errors.Where(e => e.Metric == metric).Select(e => (double?)e.Error).FirstOrDefault();
    }

    private static TiltBias? TiltOf(IReadOnlyList<AccuracyRow> rows, BenchConditions conditions)
    {
        var biased = rows.Where(r => r.FrameBias is not null).Select(r => r.FrameBias!).ToList();
        if (biased.Count == 0)
        {
            return null;
        }

        return new TiltBias(
            biased.Count,
            biased.Average(b => b.FrameTiltDeg),
            biased.Max(b => b.FrameTiltDeg),
            biased.Average(b => Math.Abs(b.ShoulderHeightMm)),
            biased.Max(b => Math.Abs(b.ShoulderHeightMm)),
            biased.Average(b => Math.Abs(b.PelvicObliquityDeg)),
            biased.Max(b => Math.Abs(b.PelvicObliquityDeg)),
            Mean(rows.Where(r => r.ShoulderHeightErrorMm is not null).Select(r => Math.Abs(r.ShoulderHeightErrorMm!.Value))),
            Mean(rows.Where(r => r.PelvicObliquityErrorDeg is not null).Select(r => Math.Abs(r.PelvicObliquityErrorDeg!.Value))),
            conditions.TiltDeg);
    }

    private static CalibrationSummary CalibrationOf(IReadOnlyList<AccuracyRow> rows)
    {
        var made = rows.Where(r => r.Calibration is { Refused: null }).Select(r => r.Calibration!).ToList();
        return new CalibrationSummary(
            made.Count,
            rows.Count(r => r.Calibration is { Refused: not null }),
            made.Count(c => !c.Passed),
            made.Count == 0 ? double.NaN : made.Average(c => Math.Abs(c.PitchErrorDeg)),
            made.Count == 0 ? double.NaN : made.Average(c => Math.Abs(c.RollErrorDeg)),
            made.Count == 0 ? double.NaN : made.Max(c => Math.Abs(c.PitchErrorDeg)),
            made.Count == 0 ? double.NaN : made.Max(c => Math.Abs(c.RollErrorDeg)),
            made.Count == 0 ? double.NaN : made.Average(c => Math.Abs(c.DepthScaleErrorPct)));
    }

    /// <summary>The tilt model a method knowing only the centre line reads with: the world's mean per-child scatter scale.</summary>
    public static TiltModelParameters FloorTilts(PhantomWorld world) =>
        PhantomTiltModel.Scaled(world.Coupling.TiltScatterScale.AlsoMin is null
            ? (world.Coupling.TiltScatterScale.Min + world.Coupling.TiltScatterScale.Max) / 2
            : (world.Coupling.TiltScatterScale.Min + world.Coupling.TiltScatterScale.AlsoMax!.Value) / 2);

    internal static AccuracyReport Summarize(
        string world,
        int count,
        int batchSeed,
        IReadOnlyList<AccuracyRow> rows,
        IReadOnlyList<double> variances,
        double[] times,
        IReadOnlyList<(string Name, double ErrorMm)> landmarkErrors,
        IReadOnlyList<(string Metric, double Error)> posture)
    {
        var measured = rows.Where(r => r.EstimatedCobbDeg is not null).ToList();
        var atr = rows.Where(r => r.EstimatedAtrDeg is not null).Select(r => Math.Abs(r.EstimatedAtrDeg!.Value - r.TrueAtrDeg)).ToList();
        var sortedTimes = times.Order().ToList();
        var refused = rows.Where(r => r.Category == ScreeningCategory.Retake.ToWire()).ToList();
        return new AccuracyReport
        {
            World = world,
            N = count,
            Seed = batchSeed,
            Measured = measured.Count,
            Positives20 = measured.Count(r => r.TrueCobbDeg >= 20),
            Estimate = Reading(measured, r => r.EstimatedCobbDeg!.Value, r => r.Lower90, r => r.Upper90, r => r.Category),
            Floor = Reading(measured, r => r.FloorCobbDeg, r => r.FloorLower90, r => r.FloorUpper90, r => r.FloorCategory),
            CentresCobbMaeDeg = Mean(measured.Select(r => Math.Abs(r.CentresCobbDeg - r.TrueCobbDeg))),
            AtrMaeDeg = Mean(atr),
            RepeatabilitySdDeg = variances.Count == 0 ? double.NaN : Math.Sqrt(variances.Average()),
            RefusedShare = count == 0 ? 0 : refused.Count / (double)count,
            RefusedByReason = refused.SelectMany(r => r.Issues.Distinct()).GroupBy(c => c, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            LandmarkMedianErrorMm = landmarkErrors.GroupBy(e => e.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Median([.. g.Select(e => e.ErrorMm)]), StringComparer.Ordinal),
            CobbMaeByCurveType = measured.GroupBy(r => r.CurveType).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Mean(g.Select(r => Math.Abs(r.EstimatedCobbDeg!.Value - r.TrueCobbDeg))), StringComparer.Ordinal),
            PostureMae = posture.GroupBy(p => p.Metric, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Mean(g.Select(p => Math.Abs(p.Error))), StringComparer.Ordinal),
            MedianAnalysisMs = sortedTimes.Count == 0 ? 0 : sortedTimes[sortedTimes.Count / 2],
            Rows = rows,
        };
    }

    // One reading's point and decision figures on the measured children.
    private static ReadingSummary Reading(
        IReadOnlyList<AccuracyRow> rows,
        Func<AccuracyRow, double> value,
        Func<AccuracyRow, double?> lower,
        Func<AccuracyRow, double?> upper,
        Func<AccuracyRow, string> category)
    {
        var errors = rows.Select(r => value(r) - r.TrueCobbDeg).ToList();
        var at20 = Agreement.Of(rows, value, 20);
        var withInterval = rows.Where(r => lower(r) is not null && upper(r) is not null).ToList();
        double Share(Func<AccuracyRow, bool> among, string wire)
        {
            var group = rows.Where(among).ToList();
            return group.Count == 0 ? double.NaN : group.Count(r => category(r) == wire) / (double)group.Count;
        }

        var refer = ScreeningCategory.Refer.ToWire();

        // School mix: each band's referral rate weighted by its share of a school.
        double referral = 0, truePositive = 0;
        foreach (var (from, to, weight) in SchoolMix)
        {
            var rate = Share(r => r.TrueCobbDeg >= from && r.TrueCobbDeg < to, refer);
            if (double.IsNaN(rate))
            {
                continue;
            }

            referral += weight * rate;
            truePositive += from >= 20 ? weight * rate : 0;
        }

        return new ReadingSummary
        {
            MaeDeg = Mean(errors.Select(Math.Abs)),
            MaeCi95 = ConfidenceInterval.BootstrapMean([.. errors.Select(Math.Abs)]),
            RmseDeg = Math.Sqrt(Mean(errors.Select(e => e * e))),
            BiasDeg = Mean(errors),
            Slope = Slope([.. rows.Select(r => r.TrueCobbDeg)], [.. rows.Select(value)]),
            PearsonR = Pearson([.. rows.Select(r => r.TrueCobbDeg)], [.. rows.Select(value)]),
            MaeByBandDeg = Bands.ToDictionary(
                b => b.Name,
                b => Mean(rows.Where(r => r.TrueCobbDeg >= b.From && r.TrueCobbDeg < b.To).Select(r => Math.Abs(value(r) - r.TrueCobbDeg))),
                StringComparer.Ordinal),
            Sensitivity20 = at20.Sensitivity,
            Specificity20 = at20.Specificity,
            Sensitivity20Ci95 = ConfidenceInterval.Wilson(at20.TruePositives, at20.Positives),
            Specificity20Ci95 = ConfidenceInterval.Wilson(at20.TrueNegatives, at20.Negatives),
            Coverage90 = withInterval.Count == 0 ? double.NaN : withInterval.Count(r => r.TrueCobbDeg >= lower(r) && r.TrueCobbDeg <= upper(r)) / (double)withInterval.Count,
            Referred20 = Share(r => r.TrueCobbDeg >= 20, refer),
            Normal20 = Share(r => r.TrueCobbDeg >= 20, ScreeningCategory.Normal.ToWire()),
            Referred30 = Share(r => r.TrueCobbDeg >= 30, refer),
            ReferredUnder10 = Share(r => r.TrueCobbDeg < 10, refer),
            Read40Below30 = rows.Count(r => r.TrueCobbDeg >= 40 && value(r) < 30),
            SchoolReferralRate = referral,
            SchoolPpv20 = referral > 0 ? truePositive / referral : double.NaN,
        };
    }

    // The same posture metric on the truth landmarks (phantom body coordinates: x right, y up).
    private static void ComparePosture(ScreeningResult result, PhantomTruth truth, ConcurrentBag<(string Metric, double Error)> errors)
    {
        Core.Depth.Vector3d T(string name) => truth.Standing.Landmarks.First(l => l.Name == name).BodyMm;
        void Add(string metric, Measured? estimate, double reference)
        {
            if (estimate is { } value)
            {
                errors.Add((metric, value.Value - reference));
            }
        }

        var posture = result.Posture;
        Add("shoulderHeightDifferenceMm", posture.ShoulderHeightDifferenceMm, T("acromionRight").Y - T("acromionLeft").Y);
        Add("scapulaAsymmetryMm", posture.ScapulaAsymmetryMm, T("scapulaInferiorAngleRight").Y - T("scapulaInferiorAngleLeft").Y);
        var left = T("lumbarDimpleLeft");
        var right = T("lumbarDimpleRight");
        Add("pelvicObliquityDeg", posture.PelvicObliquityDeg, Math.Atan2(right.Y - left.Y, right.X - left.X) * 180 / Math.PI);
        Add("trunkImbalanceMm", posture.TrunkImbalanceMm, T("c7").X - ((left.X + right.X) / 2));
    }

    public static void Print(AccuracyReport report, IAnsiConsole console)
    {
        var table = new Table().AddColumns("measure", "estimate", "floor (true centre line)", "target");
        static string F(double v, string format = "0.00") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
        static string P(double v) => double.IsNaN(v) ? "-" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %";
        static string Ci(ConfidenceInterval ci) => $"{F(ci.Low)}-{F(ci.High)}";
        var (e, f) = (report.Estimate, report.Floor);
        void Row(string name, Func<ReadingSummary, string> cell, string target = "") => table.AddRow(Markup.Escape(name), Markup.Escape(cell(e)), Markup.Escape(cell(f)), Markup.Escape(target));
        table.AddRow("world / children (measured / all)", Markup.Escape($"{report.World}: {report.Measured} / {report.N}"), "", "");
        Row("Cobb MAE (95 % interval)", r => $"{F(r.MaeDeg)} deg ({Ci(r.MaeCi95)})", "<= 2.2 in range, <= 3.0 shifted");
        Row("RMSE / bias", r => $"{F(r.RmseDeg)} / {F(r.BiasDeg, "+0.00;-0.00")} deg");
        Row("slope of estimate on truth / r", r => $"{F(r.Slope)} / {F(r.PearsonR, "0.000")}", "0.92-1.08 / 0.85-1.15");
        foreach (var (band, _, _) in Bands)
        {
            Row($"  MAE, true {band} deg", r => F(r.MaeByBandDeg[band]));
        }

        Row($"sensitivity / specificity at 20 deg ({report.Positives20} true >= 20)", r => $"{F(r.Sensitivity20)} / {F(r.Specificity20)}");
        Row("90 % interval coverage", r => P(r.Coverage90), "85-95 %");
        Row("true >= 20: referred / told normal", r => $"{P(r.Referred20)} / {P(r.Normal20)}", ">= 97 % / 0 (shifted >= 95 %)");
        Row("true >= 30: referred", r => P(r.Referred30));
        Row("true < 10: referred", r => P(r.ReferredUnder10), "<= 3 % (shifted <= 5 %)");
        Row("true >= 40 read below 30", r => r.Read40Below30.ToString(CultureInfo.InvariantCulture), "none");
        Row("school mix: referral rate / PPV at 20 deg", r => $"{P(r.SchoolReferralRate)} / {F(r.SchoolPpv20)}", "PPV >= 0.50 (shifted >= 0.40)");
        table.AddRow("refused (by reason)", Markup.Escape($"{P(report.RefusedShare)} ({string.Join(", ", report.RefusedByReason.Select(r => $"{r.Key} {r.Value}"))})"), "", "< 2 % (shifted < 3 %)");
        table.AddRow("repeatability SD (Cobb)", F(report.RepeatabilitySdDeg) + " deg", "", "< 1.0 (shifted < 1.5)");
        table.AddRow("ATR MAE", F(report.AtrMaeDeg) + " deg", "", "");
        table.AddRow("AASCE estimator on the true centres, MAE", F(report.CentresCobbMaeDeg) + " deg", "", "");
        table.AddRow("median analysis time (this build)", F(report.MedianAnalysisMs, "0") + " ms", "", "");
        foreach (var (type, mae) in report.CobbMaeByCurveType)
        {
            table.AddRow(Markup.Escape($"Cobb MAE, curve {type}"), F(mae) + " deg", "", "");
        }

        foreach (var (name, mae) in report.PostureMae)
        {
            table.AddRow(Markup.Escape($"{name} MAE (vs the truth landmarks)"), F(mae, "0.0"), "", "");
        }

        foreach (var (name, error) in report.LandmarkMedianErrorMm)
        {
            table.AddRow(Markup.Escape($"landmark {name} median error"), F(error, "0.0") + " mm", "", "");
        }

        if (report.Tilt is { } tilt)
        {
            var range = tilt.LargestTiltDeg is { } d ? $"pitch and roll within +/-{F(d, "0.#")} deg" : "the world's tilt";
            table.AddRow(Markup.Escape($"body frame against gravity ({range}): mean (max)"), Markup.Escape($"{F(tilt.FrameTiltMeanDeg, "0.000")} ({F(tilt.FrameTiltMaxDeg, "0.000")}) deg"), "", "");
            table.AddRow("tilt bias: shoulder height difference, mean (max)", Markup.Escape($"{F(tilt.ShoulderHeightBiasMeanMm, "0.00")} ({F(tilt.ShoulderHeightBiasMaxMm, "0.00")}) mm"), "", "< 1 mm calibrated");
            table.AddRow("tilt bias: pelvic obliquity, mean (max)", Markup.Escape($"{F(tilt.PelvicObliquityBiasMeanDeg, "0.00")} ({F(tilt.PelvicObliquityBiasMaxDeg, "0.00")}) deg"), "", "< 0.5 deg calibrated");
            table.AddRow("shoulder height difference / pelvic obliquity MAE (detector included)", Markup.Escape($"{F(tilt.ShoulderHeightMaeMm, "0.0")} mm / {F(tilt.PelvicObliquityMaeDeg, "0.0")} deg"), "", "");
        }

        if (report.Calibration is { } cal)
        {
            table.AddRow("calibrations: made / refused / failed verdict", Markup.Escape($"{cal.Calibrated} / {cal.Refused} / {cal.Failed}"), "", "");
            table.AddRow("calibrated pose error: pitch / roll MAE (max)", Markup.Escape($"{F(cal.PitchMaeDeg, "0.000")} ({F(cal.PitchMaxErrorDeg, "0.000")}) / {F(cal.RollMaeDeg, "0.000")} ({F(cal.RollMaxErrorDeg, "0.000")}) deg"), "", "");
            table.AddRow("calibrated depth scale error, MAE", Markup.Escape($"{F(cal.DepthScaleMaeErrorPct, "0.000")} %"), "", "");
        }

        console.Write(table);
    }

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? double.NaN : values[values.Count / 2];
    }

    // How a reading agrees with the truth at a threshold: curves at or above it read at or above it, and the rest below.
    private readonly record struct Agreement(int TruePositives, int Positives, int TrueNegatives, int Negatives)
    {
        public double Sensitivity => Positives == 0 ? double.NaN : TruePositives / (double)Positives;

        public double Specificity => Negatives == 0 ? double.NaN : TrueNegatives / (double)Negatives;

        public static Agreement Of(IEnumerable<AccuracyRow> rows, Func<AccuracyRow, double> reading, double threshold)
        {
            int truePositives = 0, positives = 0, trueNegatives = 0, negatives = 0;
            foreach (var row in rows)
            {
                var value = reading(row);
                if (row.TrueCobbDeg >= threshold)
                {
                    positives++;
                    truePositives += value >= threshold ? 1 : 0;
                }
                else
                {
                    negatives++;
                    trueNegatives += value < threshold ? 1 : 0;
                }
            }

            return new Agreement(truePositives, positives, trueNegatives, negatives);
        }
    }

    private static double Slope(List<double> x, List<double> y)
    {
        if (x.Count < 3)
        {
            return double.NaN;
        }

        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }

        return sxy / sxx;
    }

    private static double Pearson(List<double> x, List<double> y)
    {
        if (x.Count < 3)
        {
            return double.NaN;
        }

        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
