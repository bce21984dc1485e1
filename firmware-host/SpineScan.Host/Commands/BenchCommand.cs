using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Depth;
using SpineScan.Core.Phantom;
using SpineScan.Core.Spine;
using SpineScan.Host.Analysis;
using Spectre.Console;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan bench</c>: measures the pipeline on held-out phantom children, and fits its models on training ones.</summary>
internal static class BenchCommand
{
    /// <summary>Batch seed of the children the spinal-line model is fitted on; accuracy runs must use other seeds.</summary>
    public const int TrainingSeed = 424242;

    public static Command Create()
    {
        var command = new Command("bench", "Measure the measurement pipeline on synthetic children (accuracy) or fit its models (fit).");
        command.Subcommands.Add(Accuracy());
        command.Subcommands.Add(Fit());
        return command;
    }

    private static Command Accuracy()
    {
        var count = new Option<int>("--count") { Description = "Number of held-out phantom children.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = $"Batch seed (any but the training seed {TrainingSeed}).", DefaultValueFactory = _ => 2026 };
        var repeats = new Option<int>("--repeats") { Description = "Re-captures per child for repeatability (new noise and a slightly different stance).", DefaultValueFactory = _ => 3 };
        var repeatChildren = new Option<int>("--repeat-children") { Description = "How many of the children are re-captured.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("accuracy", "Cobb, ATR and landmark accuracy, sensitivity and specificity, repeatability and refusals on held-out phantoms.")
        {
            count, seed, repeats, repeatChildren, json,
        };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            var batch = parseResult.GetValue(seed);
            if (n < 1 || batch == TrainingSeed)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: --count must be at least 1 and --seed must differ from the training seed {TrainingSeed}.");
                return 2;
            }

            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            var asJson = parseResult.GetValue(json);
            var report = AccuracyBench.Run(n, batch, parseResult.GetValue(repeats), parseResult.GetValue(repeatChildren), asJson ? null : console);
            if (asJson)
            {
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.AccuracyReport));
            }
            else
            {
                AccuracyBench.Print(report, console);
            }

            return 0;
        });
        return command;
    }

    private static Command Fit()
    {
        var count = new Option<int>("--count") { Description = "Number of training phantom children.", DefaultValueFactory = _ => 1000 };
        var write = new Option<FileInfo?>("--write") { Description = "Also write the fitted model as C# source to this file (src/SpineScan.Core/Analysis/FittedSpinalLine.cs)." };
        var command = new Command("fit", $"Fit the spinal-line model (level positions, body-centre offsets, the line-to-centre filter) and the surface Cobb calibration on training phantoms (batch seed {TrainingSeed}) and print them.")
        {
            count, write,
        };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            if (n < 50)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: --count must be at least 50: the filter has {SpinalLineModel.Levels * SpinalLineModel.FilterInputs} weights.");
                return 2;
            }

            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            var samples = new SpinalLineSample?[n];
            // The samples (symmetry line, C7, dimples) come before the spinal-line model; analysing with the uniform model
            // keeps the fit from depending on the one it replaces.
            var analyzer = new ScreeningAnalyzer(AnalysisSettings.Default with { SpinalLine = SpinalLineModel.Uniform, Cobb = CentreLineCobbOptions.Default }, new ClassicLandmarkDetector());
            console.Progress().Start(context =>
            {
                var task = context.AddTask("training children", maxValue: n);
                Parallel.For(1, n + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    samples[i - 1] = TrainingSample(analyzer, i);
                    task.Increment(1);
                });
            });

            var usable = samples.OfType<SpinalLineSample>().ToList();
            var basis = SpinalLineFit.Fit(usable, withRotation: true);
            var model = SpinalLineFit.FitFilter(usable, basis);
            var cobb = SpinalLineFit.FitCobbCalibration(usable, model, CentreLineCobbOptions.Default);
            var source = FittedSpinalLineSource(model, cobb, usable.Count, n);
            var text = parseResult.InvocationConfiguration.Output;
            text.WriteLine(FormattableString.Invariant($"Fitted on {usable.Count} of {n} training children (batch seed {TrainingSeed}); Cobb: end weight {cobb.EndTangentWeight:0.##}, soft extremes {cobb.SoftExtremeScaleDeg:0.##} deg, calibration {cobb.LinearGain:0.00} s + {cobb.SqrtGain:0.00} sqrt(s)."));
            if (parseResult.GetValue(write) is { } file)
            {
                File.WriteAllText(file.FullName, source);
                text.WriteLine($"Wrote {file.FullName}");
            }
            else
            {
                text.Write(source);
            }

            return 0;
        });
        return command;
    }

    // One training child's standing analysis and truth, or null when the pipeline refused it.
    private static SpinalLineSample? TrainingSample(ScreeningAnalyzer analyzer, int index)
    {
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = PhantomSeeds.ForChild(TrainingSeed, index) });
        SpinalLineSample? sample = null;
        analyzer.InspectStanding(child.Standing, inspection =>
        {
            var frame = inspection.Pose.Frame!.Value;
            var spine = child.Truth.Standing.Spine;
            var skin = new Vector3d[SpinalLineModel.Levels];
            var centres = new Vector3d[SpinalLineModel.Levels];
            for (var k = 0; k < SpinalLineModel.Levels; k++)
            {
                skin[k] = frame.ToBody(spine[k].SkinCameraMm);
                centres[k] = frame.ToBody(spine[k].BodyCentreCameraMm);
            }

            sample = new SpinalLineSample(inspection.SymmetryLine, inspection.C7B, inspection.DimpleMidB, skin, centres, child.Truth.CobbDeg[0]);
        });
        return sample;
    }

    // The fitted model as the C# source of FittedSpinalLine.
    private static string FittedSpinalLineSource(SpinalLineModel model, CentreLineCobbOptions cobb, int used, int count)
    {
        // Tiny negative weights print as "-0"; they are zero.
        static string Number(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture) is var t && t == "-0" ? "0" : t;
        static string List(IEnumerable<double> values, string format) => string.Join(", ", values.Select(v => Number(v, format)));
        var filter = model.LateralFilter!;
        var rows = new System.Text.StringBuilder();
        for (var k = 0; k < SpinalLineModel.Levels; k++)
        {
            rows.Append("        ").Append(List(filter.Skip(k * SpinalLineModel.FilterInputs).Take(SpinalLineModel.FilterInputs), "0.#####")).AppendLine(",");
        }

        return FormattableString.Invariant($$"""
            // <auto-generated>
            // Written by: spinescan bench fit --count {{count}} --write src/SpineScan.Core/Analysis/FittedSpinalLine.cs
            // </auto-generated>
            using SpineScan.Core.Spine;

            namespace SpineScan.Core.Analysis;

            /// <summary>
            /// The spinal-line model and the surface Cobb calibration fitted on phantom training children ({{used}} measured of
            /// {{count}}, batch seed {{TrainingSeed}}, never used by the accuracy bench); see <see cref="SpinalLineFit"/>.
            /// Refit with: spinescan bench fit --count {{count}} --write src/SpineScan.Core/Analysis/FittedSpinalLine.cs
            /// </summary>
            public static class FittedSpinalLine
            {
                /// <summary>Level positions, body-centre offsets and the line-to-centre filter (one row per level C7..L5).</summary>
                public static SpinalLineModel Model { get; } = new(
                    [{{List(model.LevelFractions, "0.0###")}}],
                    [{{List(model.CentreRaiseMm, "0.0##")}}],
                    [{{List(model.CentreDepthMm, "0.0##")}}],
                    LateralMmPerRotationDeg: {{model.LateralMmPerRotationDeg:0.0###}},
                    DeviationGain: {{model.DeviationGain:0.0###}},
                    LateralFilter: Filter);

                /// <summary>
                /// The centre-line estimator refitted to lines reconstructed by <see cref="Model"/>: end weighting, soft
                /// extremes and calibration (<see cref="SpinalLineFit.FitCobbCalibration"/>).
                /// </summary>
                public static CentreLineCobbOptions Cobb { get; } = CentreLineCobbOptions.Default with
                {
                    EndTangentWeight = {{Number(cobb.EndTangentWeight, "0.0#")}},
                    SoftExtremeScaleDeg = {{Number(cobb.SoftExtremeScaleDeg, "0.0#")}},
                    LinearGain = {{cobb.LinearGain:0.00}},
                    SqrtGain = {{cobb.SqrtGain:0.00}},
                };

                private static double[] Filter =>
                [
            {{rows.ToString().TrimEnd()}}
                ];
            }

            """);
    }
}
