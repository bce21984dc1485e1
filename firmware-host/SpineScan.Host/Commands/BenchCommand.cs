using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpineScan.Core.Analysis;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Depth;
using SpineScan.Core.Phantom;
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
        var count = new Option<int>("--count") { Description = "Number of training phantom children.", DefaultValueFactory = _ => 120 };
        var command = new Command("fit", $"Fit the spinal-line model (level positions, body-centre offsets, rotation gain) on training phantoms (batch seed {TrainingSeed}) and print its constants.")
        {
            count,
        };
        command.SetAction(parseResult =>
        {
            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            var samples = new List<SpinalLineSample>();
            var analyzer = new ScreeningAnalyzer(AnalysisSettings.Default, new ClassicLandmarkDetector());
            var n = parseResult.GetValue(count);
            console.Progress().Start(context =>
            {
                var task = context.AddTask("training children", maxValue: n);
                for (var i = 1; i <= n; i++)
                {
                    using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = PhantomSeeds.ForChild(TrainingSeed, i), FrameCount = 6 });
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

                        samples.Add(new SpinalLineSample(inspection.SymmetryLine, inspection.C7B, inspection.DimpleMidB, skin, centres));
                    });
                    task.Increment(1);
                }
            });

            var model = SpinalLineFit.Fit(samples, withRotation: true);
            static string List(double[] values) => string.Join(", ", values.Select(v => v.ToString("0.0###", CultureInfo.InvariantCulture)));
            var text = parseResult.InvocationConfiguration.Output;
            text.WriteLine(FormattableString.Invariant($"Fitted on {samples.Count} of {n} training children (batch seed {TrainingSeed}):"));
            text.WriteLine("LevelFractions = [" + List(model.LevelFractions) + "]");
            text.WriteLine("CentreRaiseMm = [" + List(model.CentreRaiseMm) + "]");
            text.WriteLine("CentreDepthMm = [" + List(model.CentreDepthMm) + "]");
            text.WriteLine(FormattableString.Invariant($"LateralMmPerRotationDeg = {model.LateralMmPerRotationDeg:0.0###}"));
            text.WriteLine(FormattableString.Invariant($"DeviationGain = {model.DeviationGain:0.0###}"));
            return 0;
        });
        return command;
    }
}
