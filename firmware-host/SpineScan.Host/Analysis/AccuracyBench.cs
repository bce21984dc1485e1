using SpineScan.Contracts;
using System.Globalization;
using System.Text.Json.Serialization;
using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Phantom;
using SpineScan.Core.Spine;
using Spectre.Console;

namespace SpineScan.Host.Analysis;

/// <summary>Per-child row of the accuracy bench.</summary>
/// <param name="CentresCobbDeg">The centre-line estimator (AASCE calibration) run on the child's true vertebral centres: what the product's estimator would read from a perfect surface reconstruction.</param>
/// <param name="CentresMedianCobbDeg">The median endplate Cobb angle of the child's true centres (<see cref="EndplateCobbPrediction"/>): the best reading in MAE of any method that knows only the centre line.</param>
public sealed record AccuracyRow(int Index, int Seed, string CurveType, double TrueCobbDeg, double? EstimatedCobbDeg, double TrueAtrDeg, double? EstimatedAtrDeg, string Category, IReadOnlyList<string> Issues, double CentresCobbDeg, double CentresMedianCobbDeg);

/// <summary>The accuracy bench's summary (held-out phantoms).</summary>
public sealed record AccuracyReport
{
    public int N { get; init; }

    public int Seed { get; init; }

    public int Measured { get; init; }

    public double CobbMaeDeg { get; init; }

    /// <summary>95 % bootstrap interval of <see cref="CobbMaeDeg"/>: how far another batch of the same size may land.</summary>
    public ConfidenceInterval CobbMaeCi95 { get; init; }

    public double CobbRmseDeg { get; init; }

    public double CobbBiasDeg { get; init; }

    public double PearsonR { get; init; }

    public double Sensitivity10 { get; init; }

    public double Specificity10 { get; init; }

    public double Sensitivity20 { get; init; }

    public double Specificity20 { get; init; }

    /// <summary>Measured children with a true Cobb angle of 20 degrees or more (the denominator of <see cref="Sensitivity20"/>).</summary>
    public int Positives20 { get; init; }

    /// <summary>95 % Wilson interval of <see cref="Sensitivity20"/>.</summary>
    public ConfidenceInterval Sensitivity20Ci95 { get; init; }

    /// <summary>95 % Wilson interval of <see cref="Specificity20"/>.</summary>
    public ConfidenceInterval Specificity20Ci95 { get; init; }

    /// <summary>
    /// Cobb MAE of the centre-line estimator on the true vertebral centres of the same children: the part of the error
    /// no surface can remove (the truth is the endplate Cobb angle, whose per-vertebra scatter the centres do not show).
    /// </summary>
    public double CentresCobbMaeDeg { get; init; }

    /// <summary>Sensitivity and specificity at 20 degrees of the estimator on the true centres (see <see cref="CentresCobbMaeDeg"/>).</summary>
    public double CentresSensitivity20 { get; init; }

    /// <inheritdoc cref="CentresSensitivity20"/>
    public double CentresSpecificity20 { get; init; }

    /// <summary>
    /// Cobb MAE of the median endplate Cobb angle of the true centres (<see cref="EndplateCobbPrediction"/>): the floor of
    /// any reading made from the centre line alone, since the truth adds each vertebra's endplate scatter to the line.
    /// </summary>
    public double CentresMedianCobbMaeDeg { get; init; }

    /// <summary>Sensitivity and specificity at 20 degrees of that median (see <see cref="CentresMedianCobbMaeDeg"/>).</summary>
    public double CentresMedianSensitivity20 { get; init; }

    /// <inheritdoc cref="CentresMedianSensitivity20"/>
    public double CentresMedianSpecificity20 { get; init; }

    /// <summary>
    /// Share of the children with a true Cobb angle of 20 degrees or more whose screening category is refer: the
    /// programme's decision, which also refers on the ATR (DESIGN.md thresholds).
    /// </summary>
    public double ReferredShare20 { get; init; }

    /// <summary>Share of the children with a true Cobb angle of 20 degrees or more who were told normal (a missed curve).</summary>
    public double NormalShare20 { get; init; }

    public double AtrMaeDeg { get; init; }

    public double RepeatabilitySdDeg { get; init; }

    public double RefusedShare { get; init; }

    public required IReadOnlyDictionary<string, double> LandmarkMedianErrorMm { get; init; }

    public required IReadOnlyDictionary<string, double> CobbMaeByCurveType { get; init; }

    /// <summary>Mean absolute errors of the posture metrics against the same metric on the truth landmarks.</summary>
    public required IReadOnlyDictionary<string, double> PostureMae { get; init; }

    public double MedianAnalysisMs { get; init; }

    public required IReadOnlyList<AccuracyRow> Rows { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AccuracyReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>Runs the pipeline on generated children and compares it with their truth.</summary>
internal static class AccuracyBench
{
    public static AccuracyReport Run(int count, int batchSeed, int repeats, int repeatChildren, IAnsiConsole? progress)
    {
        var analyzer = new ScreeningAnalyzer(AnalysisSettings.Default, new ClassicLandmarkDetector());
        var rows = new List<AccuracyRow>();
        var landmarkErrors = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var variances = new List<double>();
        var times = new List<double>();
        var refused = 0;
        var posture = new Dictionary<string, List<double>>(StringComparer.Ordinal);

        void Work(Action<string> advance)
        {
            for (var i = 1; i <= count; i++)
            {
                var seed = PhantomSeeds.ForChild(batchSeed, i);
                using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = seed });
                var result = analyzer.Analyze(child.Standing, child.ForwardBend);
                times.Add(result.TimingsMs.GetValueOrDefault("total"));
                var truth = child.Truth;
                var estimate = result.Category == ScreeningCategory.Retake ? null : result.Cobb?.Largest.AngleDeg;
                if (result.Category == ScreeningCategory.Retake)
                {
                    refused++;
                }

                // The AASCE-calibrated estimator and the median endplate Cobb of the true vertebral-body centres T1..L5.
                var trueCentres = SpinalLineReconstructor.FrontalCentres([.. truth.Standing.Spine.Select(s => s.BodyCentreBodyMm)]);
                rows.Add(new AccuracyRow(
                    i, seed, truth.Parameters.CurveType.ToString(), truth.CobbDeg[0], estimate, truth.AtrDeg, result.AtrDeg?.Value,
                    result.Category.ToString().ToLowerInvariant(), result.Issues.Select(x => x.Code).ToList(),
                    CentreLineCobb.Estimate(trueCentres, VertebralLevel.T1).Largest.AngleDeg,
                    EndplateCobbPrediction.MedianDeg(trueCentres, VertebralTiltModel.ForPhantom)));
                foreach (var landmark in result.Landmarks)
                {
                    var reference = truth.Standing.Landmarks.FirstOrDefault(l => l.Name == landmark.Name);
                    if (reference is not null)
                    {
                        if (!landmarkErrors.TryGetValue(landmark.Name, out var list))
                        {
                            landmarkErrors[landmark.Name] = list = [];
                        }

                        list.Add((landmark.CameraMm - reference.CameraMm).Length);
                    }
                }

                if (result.Category != ScreeningCategory.Retake)
                {
                    ComparePosture(result, truth, posture);
                }

                if (i <= repeatChildren && repeats > 1 && estimate is { } first)
                {
                    var estimates = new List<double> { first };
                    for (var r = 1; r < repeats; r++)
                    {
                        using var again = child.Rerender(PhantomSeeds.Derive(seed, 1000 + r), 1.0);
                        var repeat = analyzer.Analyze(again.Standing, again.ForwardBend);
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

                advance(FormattableString.Invariant($"child {i}/{count}"));
            }
        }

        if (progress is null)
        {
            Work(_ => { });
        }
        else
        {
            progress.Progress().Start(context =>
            {
                var task = context.AddTask("held-out children", maxValue: count);
                Work(_ => task.Increment(1));
            });
        }

        var measured = rows.Where(r => r.EstimatedCobbDeg is not null).ToList();
        var errors = measured.Select(r => r.EstimatedCobbDeg!.Value - r.TrueCobbDeg).ToList();
        var atr = rows.Where(r => r.EstimatedAtrDeg is not null).Select(r => Math.Abs(r.EstimatedAtrDeg!.Value - r.TrueAtrDeg)).ToList();
        times.Sort();
        var at10 = Agreement.Of(measured, r => r.EstimatedCobbDeg, 10);
        var at20 = Agreement.Of(measured, r => r.EstimatedCobbDeg, 20);
        var centresAt20 = Agreement.Of(rows, r => r.CentresCobbDeg, 20);
        var medianAt20 = Agreement.Of(rows, r => r.CentresMedianCobbDeg, 20);
        return new AccuracyReport
        {
            N = count,
            Seed = batchSeed,
            Measured = measured.Count,
            CobbMaeDeg = Mean(errors.Select(Math.Abs)),
            CobbMaeCi95 = ConfidenceInterval.BootstrapMean([.. errors.Select(Math.Abs)]),
            CobbRmseDeg = Math.Sqrt(Mean(errors.Select(e => e * e))),
            CobbBiasDeg = Mean(errors),
            PearsonR = Pearson(measured.Select(r => r.TrueCobbDeg).ToList(), measured.Select(r => r.EstimatedCobbDeg!.Value).ToList()),
            Sensitivity10 = at10.Sensitivity,
            Specificity10 = at10.Specificity,
            Sensitivity20 = at20.Sensitivity,
            Specificity20 = at20.Specificity,
            Positives20 = at20.Positives,
            Sensitivity20Ci95 = ConfidenceInterval.Wilson(at20.TruePositives, at20.Positives),
            Specificity20Ci95 = ConfidenceInterval.Wilson(at20.TrueNegatives, at20.Negatives),
            CentresCobbMaeDeg = Mean(rows.Select(r => Math.Abs(r.CentresCobbDeg - r.TrueCobbDeg))),
            CentresSensitivity20 = centresAt20.Sensitivity,
            CentresSpecificity20 = centresAt20.Specificity,
            CentresMedianCobbMaeDeg = Mean(rows.Select(r => Math.Abs(r.CentresMedianCobbDeg - r.TrueCobbDeg))),
            CentresMedianSensitivity20 = medianAt20.Sensitivity,
            CentresMedianSpecificity20 = medianAt20.Specificity,
            ReferredShare20 = CategoryShare(rows, "refer"),
            NormalShare20 = CategoryShare(rows, "normal"),
            AtrMaeDeg = Mean(atr),
            RepeatabilitySdDeg = variances.Count == 0 ? double.NaN : Math.Sqrt(variances.Average()),
            RefusedShare = count == 0 ? 0 : refused / (double)count,
            LandmarkMedianErrorMm = landmarkErrors.ToDictionary(e => e.Key, e => Median(e.Value), StringComparer.Ordinal),
            CobbMaeByCurveType = measured.GroupBy(r => r.CurveType).ToDictionary(g => g.Key, g => Mean(g.Select(r => Math.Abs(r.EstimatedCobbDeg!.Value - r.TrueCobbDeg))), StringComparer.Ordinal),
            PostureMae = posture.ToDictionary(p => p.Key, p => Mean(p.Value.Select(Math.Abs)), StringComparer.Ordinal),
            MedianAnalysisMs = times.Count == 0 ? 0 : times[times.Count / 2],
            Rows = rows,
        };
    }

    // Among the children with a true Cobb angle of 20 degrees or more (retakes included), the share given this category.
    private static double CategoryShare(IReadOnlyList<AccuracyRow> rows, string category)
    {
        var curved = rows.Where(r => r.TrueCobbDeg >= 20).ToList();
        return curved.Count == 0 ? double.NaN : curved.Count(r => r.Category == category) / (double)curved.Count;
    }

    // The same posture metric on the truth landmarks (phantom body coordinates: x right, y up).
    private static void ComparePosture(ScreeningResult result, PhantomTruth truth, Dictionary<string, List<double>> errors)
    {
        Core.Depth.Vector3d T(string name) => truth.Standing.Landmarks.First(l => l.Name == name).BodyMm;
        void Add(string metric, Measured? estimate, double reference)
        {
            if (estimate is { } value)
            {
                if (!errors.TryGetValue(metric, out var list))
                {
                    errors[metric] = list = [];
                }

                list.Add(value.Value - reference);
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
        var table = new Table().AddColumns("measure", "value", "target");
        void Row(string name, string value, string target = "") => table.AddRow(name, value, target);
        static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
        Row("children (measured / all)", $"{report.Measured} / {report.N}");
        static string Ci(ConfidenceInterval ci) => $"{F(ci.Low)}-{F(ci.High)}";
        Row("Cobb MAE (95 % interval)", $"{F(report.CobbMaeDeg)} deg ({Ci(report.CobbMaeCi95)})", "< 2.5");
        Row("Cobb RMSE", F(report.CobbRmseDeg) + " deg");
        Row("Cobb bias", F(report.CobbBiasDeg) + " deg");
        Row("Pearson r", F(report.PearsonR, "0.000"));
        Row("sensitivity / specificity at 10 deg", $"{F(report.Sensitivity10)} / {F(report.Specificity10)}");
        Row("sensitivity / specificity at 20 deg", $"{F(report.Sensitivity20)} / {F(report.Specificity20)}", ">= 0.95 / >= 0.90");
        Row($"  95 % intervals ({report.Positives20} of {report.Measured} true >= 20 deg)", $"{Ci(report.Sensitivity20Ci95)} / {Ci(report.Specificity20Ci95)}");
        Row("this estimator on the true vertebral centres, Cobb MAE", F(report.CentresCobbMaeDeg) + " deg");
        Row("  sensitivity / specificity at 20 deg", $"{F(report.CentresSensitivity20)} / {F(report.CentresSpecificity20)}");
        Row("floor: median endplate Cobb of the true centres, MAE", F(report.CentresMedianCobbMaeDeg) + " deg");
        Row("  sensitivity / specificity at 20 deg", $"{F(report.CentresMedianSensitivity20)} / {F(report.CentresMedianSpecificity20)}");
        Row("true Cobb >= 20 deg: referred (Cobb or ATR) / told normal", $"{F(100 * report.ReferredShare20, "0")} % / {F(100 * report.NormalShare20, "0")} %");
        Row("ATR MAE", F(report.AtrMaeDeg) + " deg");
        Row("repeatability SD (Cobb)", F(report.RepeatabilitySdDeg) + " deg", "< 1.5");
        Row("wrongly refused", F(100 * report.RefusedShare, "0.0") + " %", "< 2 %");
        Row("median analysis time (this build)", F(report.MedianAnalysisMs, "0") + " ms");
        foreach (var (type, mae) in report.CobbMaeByCurveType)
        {
            Row($"Cobb MAE, curve {type}", F(mae) + " deg");
        }

        foreach (var (name, mae) in report.PostureMae)
        {
            Row($"{name} MAE (vs the truth landmarks)", F(mae, "0.0"));
        }

        foreach (var (name, error) in report.LandmarkMedianErrorMm)
        {
            Row($"landmark {name} median error", F(error, "0.0") + " mm");
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

    // How a reading agrees with the truth at a threshold: curves at or above it read at or above it, and the rest
    // below (a missing reading agrees with neither).
    private readonly record struct Agreement(int TruePositives, int Positives, int TrueNegatives, int Negatives)
    {
        public double Sensitivity => Positives == 0 ? double.NaN : TruePositives / (double)Positives;

        public double Specificity => Negatives == 0 ? double.NaN : TrueNegatives / (double)Negatives;

        public static Agreement Of(IEnumerable<AccuracyRow> rows, Func<AccuracyRow, double?> reading, double threshold)
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
