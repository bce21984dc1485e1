using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SpineScan.CommandLine;
using SpineScan.Core.Spine;
using SpineScan.Lab.Validation;
using SpineScan.Phantom;

namespace SpineScan.Lab.Commands;

/// <summary><c>spinescan-lab validate</c>: checks our algorithms against real reference data sets.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var command = new Command("validate", "Validate SpineScan's algorithms against reference data sets.");
        command.Subcommands.Add(CreateAasce());
        return command;
    }

    private static Command CreateAasce()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder holding the AASCE 2019 label files ({split}_landmarks.csv, _imagesizes.csv, _angles.csv).",
            Required = true,
        };
        var split = new Option<string>("--split")
        {
            Description = "Which split to evaluate.",
            DefaultValueFactory = _ => "test",
        };
        split.AcceptOnlyFromAmong("training", "test", "both");
        var from = new Option<string>("--from")
        {
            Description = "endplates: the challenge procedure on all 68 landmarks; centres: our centre-line estimator on the 17 vertebral centres; baseline: finite-difference tangents with a linear correction fitted on training.",
            DefaultValueFactory = _ => AasceMethods.Endplates,
        };
        from.AcceptOnlyFromAmong(AasceMethods.Endplates, AasceMethods.Centres, AasceMethods.Baseline);
        var json = new Option<bool>("--json") { Description = "Print the summary and per-image rows as JSON." };
        var fit = new Option<bool>("--fit")
        {
            Description = "Refit the centre-line calibration, the baseline and the vertebral tilt model on the training split and print the constants.",
        };

        var command = new Command("aasce", "Cobb angles of the AASCE 2019 spines (research-licensed labels, read from --data, never copied).");
        command.Options.Add(data);
        command.Options.Add(split);
        command.Options.Add(from);
        command.Options.Add(json);
        command.Options.Add(fit);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var console = Terminal.For(output);
            var directory = parseResult.GetValue(data)!.FullName;
            try
            {
                if (parseResult.GetValue(fit))
                {
                    RunFit(console, directory);
                    return 0;
                }

                var summary = Run(directory, parseResult.GetValue(split)!, parseResult.GetValue(from)!, parseResult.GetValue(json) ? null : console);
                if (parseResult.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(summary, AasceJsonContext.Default.AasceSummary));
                }
                else
                {
                    Print(console, summary);
                }

                return 0;
            }
            catch (AasceDataException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return command;
    }

    /// <summary>Evaluates one method on one split (training is also read for the baseline's fit).</summary>
    internal static AasceSummary Run(string directory, string split, string from, IAnsiConsole? progressConsole)
    {
        var images = AasceDataSet.LoadSplits(directory, split);
        BaselineFit? baseline = null;
        if (string.Equals(from, AasceMethods.Baseline, StringComparison.Ordinal))
        {
            baseline = AasceFit.FitBaseline(AasceDataSet.Load(directory, "training"));
        }

        var predictions = new double[images.Count][];
        void Compute(Action? step)
        {
            for (var n = 0; n < images.Count; n++)
            {
                predictions[n] = from switch
                {
                    AasceMethods.Endplates => AasceMethods.FromEndplates(images[n]),
                    AasceMethods.Centres => AasceMethods.FromCentres(images[n]),
                    _ => [baseline!.Predict(images[n]), 0, 0],
                };
                step?.Invoke();
            }
        }

        if (progressConsole is null)
        {
            Compute(null);
        }
        else
        {
            progressConsole.Progress().Start(context =>
            {
                var task = context.AddTask(Invariant($"{split} / {from}"), maxValue: images.Count);
                Compute(() => task.Increment(1));
            });
        }

        return AasceMetrics.Summarise(split, from, images, predictions);
    }

    private static void Print(IAnsiConsole console, AasceSummary summary)
    {
        var table = new Table().Title(Invariant($"AASCE 2019 {summary.Split}, from {summary.From}"));
        foreach (var column in new[] { "#", "split", "image", "recorded (deg)", "predicted (deg)", "error (deg)" })
        {
            table.AddColumn(column);
        }

        foreach (var row in summary.Rows)
        {
            table.AddRow(
                Invariant($"{row.Index}"),
                row.Split,
                Invariant($"{row.ImageNumber}"),
                Angles(row.GroundTruthDeg),
                Angles(row.PredictedDeg),
                Invariant($"{row.ErrorDeg:+0.00;-0.00;0.00}"));
        }

        console.Write(table);
        var totals = new Table().HideHeaders().AddColumn("metric").AddColumn("value");
        totals.AddRow("images", Invariant($"{summary.N}"));
        totals.AddRow("MAE, largest angle", Invariant($"{summary.MaeDeg:0.000} deg"));
        totals.AddRow("SMAPE, three angles", Invariant($"{summary.SmapePct:0.00} %"));
        totals.AddRow("Pearson r, largest angle", Invariant($"{summary.PearsonR:0.0000}"));
        totals.AddRow("images with all three angles within 0.5 deg", Invariant($"{summary.WithinHalfDegree} / {summary.N}"));
        totals.AddRow("angles within 0.5 deg", Invariant($"{summary.AnglesWithinHalfDegree} / {3 * summary.N}"));
        console.Write(totals);
    }

    private static void RunFit(IAnsiConsole console, string directory)
    {
        var training = AasceDataSet.Load(directory, "training");
        var test = AasceDataSet.Load(directory, "test");
        console.WriteLine(Invariant($"Fitting on the training split ({training.Count} images); {AasceFit.Folds}-fold CV, fold = index mod {AasceFit.Folds}."));

        var baseline = AasceFit.FitBaseline(training);
        console.WriteLine(Invariant($"Baseline: cobb = {baseline.InterceptDeg:0.000} + {baseline.Slope:0.0000} x range; CV MAE {baseline.CrossValidatedMaeDeg:0.000} deg; held-out test MAE {test.Average(i => Math.Abs(baseline.Predict(i) - i.AnglesDeg[0])):0.000} deg"));

        var centre = AasceFit.FitCentreLine(training, line => console.WriteLine(line));
        var o = centre.Options;
        console.WriteLine(Invariant($"Centre line: FittedEndTangentWeight = {o.EndTangentWeight}, FittedSoftExtremeScaleDeg = {o.SoftExtremeScaleDeg}, FittedLinearGain = {o.LinearGain:0.000}, FittedSqrtGain = {o.SqrtGain:0.000}; CV MAE {centre.CrossValidatedMaeDeg:0.000} deg; held-out test MAE {test.Average(i => Math.Abs(AasceMethods.FromCentres(i, o)[0] - i.AnglesDeg[0])):0.000} deg"));

        console.WriteLine(Invariant($"Tilt model: on the {AasceFit.InOrder(training).Count} training images whose 17 centres run downwards."));
        var tilt = AasceFit.FitTiltModel(training);
        console.WriteLine(Invariant($"Tilt model: FittedTopGain = {tilt.TopGain:0.000}, FittedMiddleGain = {tilt.MiddleGain:0.000}, FittedBottomGain = {tilt.BottomGain:0.000}, FittedTopSdDeg = {tilt.TopSdDeg:0.00}, FittedMiddleSdDeg = {tilt.MiddleSdDeg:0.00}, FittedBottomSdDeg = {tilt.BottomSdDeg:0.00}, FittedLag1Correlation = {tilt.Lag1Correlation:0.000}"));
        var ratios = AasceFit.PerSpineScatterRatios(training, tilt);
        console.WriteLine(Invariant($"Tilt model: per-spine scatter (middle levels) over the pooled SD, 5 / 25 / 50 / 75 / 95 %: {Join(ratios)}; the phantom draws a per-child scale of the fitted SD over {PhantomWorld.InRange.Coupling.TiltScatterScale.Min:0.00}-{PhantomWorld.InRange.Coupling.TiltScatterScale.Max:0.00} (in-range)"));
        foreach (var (name, parameters) in new[] { ("refitted", tilt), ("committed", VertebralTiltModel.Fitted) })
        {
            var check = AasceFit.CheckTiltModel(training, parameters);
            console.WriteLine(Invariant($"Tilt model check ({name}, training, 20 phantoms per spine): recorded - line range {check.RealMinusLineMeanDeg:0.00} +- {check.RealMinusLineSdDeg:0.00} deg [{Join(check.RealQuantilesDeg)}]; phantom - line range {check.PhantomMinusLineMeanDeg:0.00} +- {check.PhantomMinusLineSdDeg:0.00} deg [{Join(check.PhantomQuantilesDeg)}]; phantom - recorded mean {check.PhantomMinusRealMeanDeg:0.00}, mean abs {check.PhantomMinusRealMaeDeg:0.00} deg"));
        }
    }

    private static string Angles(double[] angles) => Invariant($"{angles[0],6:0.00} {angles[1],6:0.00} {angles[2],6:0.00}");

    private static string Join(double[] values) => string.Join(" / ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
