using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SpineScan.CommandLine;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Core.Spine;
using SpineScan.Inference;
using SpineScan.Lab.Bench;
using SpineScan.Lab.Fitting;
using SpineScan.Models;
using SpineScan.Phantom;

namespace SpineScan.Lab.Commands;

/// <summary><c>spinescan-lab bench</c>: measures the pipeline on held-out phantom children, and fits its models on training ones.</summary>
internal static class BenchCommand
{
    /// <summary>Batch seed of the children the spinal-line model is fitted on; accuracy runs must use other seeds.</summary>
    public const int TrainingSeed = 424242;

    public static Command Create()
    {
        var command = new Command("bench", "Measure the measurement pipeline on synthetic children (accuracy) or fit its models (fit).");
        command.Subcommands.Add(Accuracy());
        command.Subcommands.Add(Worlds());
        command.Subcommands.Add(Fit());
        command.Subcommands.Add(Grids());
        return command;
    }

    private static Command Accuracy()
    {
        var count = new Option<int>("--count") { Description = "Number of held-out phantom children.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = $"Batch seed (any but the training seed {TrainingSeed}).", DefaultValueFactory = _ => 2026 };
        var repeats = new Option<int>("--repeats") { Description = "Re-captures per child for repeatability (new noise and a slightly different stance).", DefaultValueFactory = _ => 3 };
        var repeatChildren = new Option<int>("--repeat-children") { Description = "How many of the children are re-captured.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var world = new Option<string>("--world") { Description = "The world the children are drawn from: " + string.Join(", ", PhantomWorld.All.Select(w => w.Name)) + ".", DefaultValueFactory = _ => PhantomWorld.Base.Name };
        world.AcceptOnlyFromAmong([.. PhantomWorld.All.Select(w => w.Name)]);
        var (tilt, depthScale, calibrate) = ConditionOptions();
        var method = MethodOption();
        var command = new Command("accuracy", "Cobb, ATR and landmark accuracy, sensitivity and specificity, repeatability and refusals on held-out phantoms.")
        {
            count, seed, repeats, repeatChildren, json, world, tilt, depthScale, calibrate, method,
        };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            var batch = parseResult.GetValue(seed);
            if (RefusedBatch(parseResult, n, batch))
            {
                return 2;
            }

            if (Conditions(parseResult, tilt, depthScale, calibrate) is not { } conditions)
            {
                return 2;
            }

            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            var asJson = parseResult.GetValue(json);
            if (!TryCentreModel(parseResult, parseResult.GetValue(method)!, out var centreModel))
            {
                return 2;
            }

            using var _ = centreModel;
            var report = AccuracyBench.Run(n, batch, parseResult.GetValue(repeats), parseResult.GetValue(repeatChildren), asJson ? null : console, PhantomWorld.Named(parseResult.GetValue(world)!), conditions, centreModel);
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

    private static Command Worlds()
    {
        var count = new Option<int>("--count") { Description = "Held-out children per world (600 where a figure rests on rare cases).", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = $"Batch seed: choose it when you measure (world k uses a seed derived from it; any but the training seed {TrainingSeed}).", Required = true };
        var repeats = new Option<int>("--repeats") { Description = "Re-captures per re-captured child.", DefaultValueFactory = _ => 3 };
        var repeatChildren = new Option<int>("--repeat-children") { Description = "How many of each world's children are re-captured.", DefaultValueFactory = _ => 20 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the whole report (every world, every row) as JSON to this file." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw estimate against truth, one panel per world, as SVG to this file." };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write the table in Markdown (for the README) to this file." };
        var only = new Option<string[]>("--worlds") { Description = "Only these worlds (each keeps the seed it has in the whole run).", AllowMultipleArgumentsPerToken = true };
        var (tilt, depthScale, calibrate) = ConditionOptions();
        var method = MethodOption();
        var command = new Command("worlds", "Every held-out world (in-range, one shifted world per family, all-shifted) with the point, interval and decision figures, and the floor from the true centre line.")
        {
            count, seed, repeats, repeatChildren, json, plot, markdown, only, tilt, depthScale, calibrate, method,
        };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            var batch = parseResult.GetValue(seed);
            if (RefusedBatch(parseResult, n, batch))
            {
                return 2;
            }

            var chosen = parseResult.GetValue(only) is { Length: > 0 } names ? names : [.. PhantomWorld.Benchmarked.Select(w => w.Name)];
            if (chosen.FirstOrDefault(name => PhantomWorld.Benchmarked.All(w => w.Name != name)) is { } unknown)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: no benchmarked world is called '{unknown}'; the worlds are {string.Join(", ", PhantomWorld.Benchmarked.Select(w => w.Name))}.");
                return 2;
            }

            if (Conditions(parseResult, tilt, depthScale, calibrate) is not { } conditions)
            {
                return 2;
            }

            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            if (!TryCentreModel(parseResult, parseResult.GetValue(method)!, out var centreModel))
            {
                return 2;
            }

            using var _ = centreModel;
            var reports = new List<AccuracyReport>();
            foreach (var (world, k) in PhantomWorld.Benchmarked.Select((w, k) => (w, k)).Where(x => chosen.Contains(x.w.Name)))
            {
                reports.Add(AccuracyBench.Run(n, PhantomSeeds.Derive(batch, 100 + k), parseResult.GetValue(repeats), parseResult.GetValue(repeatChildren), console, world, conditions, centreModel));
            }

            var report = new WorldsReport(n, batch, reports);
            WorldsTable.Print(report, console);
            if (parseResult.GetValue(json) is { } jsonFile)
            {
                File.WriteAllText(jsonFile.FullName, JsonSerializer.Serialize(report, BenchJsonContext.Default.WorldsReport));
                console.MarkupLineInterpolated($"Wrote {jsonFile.FullName}");
            }

            if (parseResult.GetValue(plot) is { } plotFile)
            {
                File.WriteAllText(plotFile.FullName, WorldsPlot.Svg(report));
                console.MarkupLineInterpolated($"Wrote {plotFile.FullName}");
            }

            if (parseResult.GetValue(markdown) is { } markdownFile)
            {
                File.WriteAllText(markdownFile.FullName, WorldsTable.Markdown(report));
                console.MarkupLineInterpolated($"Wrote {markdownFile.FullName}");
            }

            return 0;
        });
        return command;
    }

    private static Command Fit()
    {
        var count = new Option<int>("--count") { Description = "Number of training phantom children (the committed model: 12000).", DefaultValueFactory = _ => 12000 };
        var write = new Option<DirectoryInfo?>("--write") { Description = "Write the fitted model and its card into this folder (models/ for the shipped model), replacing the spinal-line model there." };
        var id = new Option<string>("--id") { Description = "The new model's id (name and version).", DefaultValueFactory = _ => "spinal-line-next" };
        var samplesFile = new Option<FileInfo?>("--samples") { Description = "Keep the training children's analyses in this file: children already in it are not rendered again, new ones are added." };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units per layer of the network that corrects the linear filter (0: no network).", DefaultValueFactory = _ => ResidualNetworkOptions.Default.Hidden };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of that network.", DefaultValueFactory = _ => ResidualNetworkOptions.Default.Epochs };
        var world = new Option<string>("--world") { Description = "The world the training children are drawn from.", DefaultValueFactory = _ => PhantomWorld.InRange.Name };
        world.AcceptOnlyFromAmong([.. PhantomWorld.All.Select(w => w.Name)]);
        var command = new Command("fit", $"Fit the spinal-line model (level positions, body-centre offsets, the line-to-centre filter and its residual network) and the surface Cobb calibration on training phantoms (batch seed {TrainingSeed}) and print them.")
        {
            count, write, id, samplesFile, hidden, epochs, world,
        };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            var units = parseResult.GetValue(hidden);
            var trainingWorld = PhantomWorld.Named(parseResult.GetValue(world)!)!;
            var rounds = parseResult.GetValue(epochs);
            var error = parseResult.InvocationConfiguration.Error;
            if (n < 50 || units < 0 || units > ResidualNetwork.MaxHidden || rounds < 1)
            {
                error.WriteLine($"error: --count must be at least 50 (the filter has {SpinalLineModel.Levels * SpinalLineModel.FilterInputs} weights), --hidden 0-{ResidualNetwork.MaxHidden} and --epochs at least 1.");
                return 2;
            }

            var cacheFile = parseResult.GetValue(samplesFile);
            Dictionary<int, SpinalLineSample?> cached = [];
            if (cacheFile is { Exists: true })
            {
                try
                {
                    cached = TrainingSampleCache.Read(cacheFile, TrainingSeed, trainingWorld.Name);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"error: {e.Message}");
                    return 2;
                }
            }

            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            // The samples (symmetry line, C7, dimples) come before the spinal-line model; analysing with the uniform model
            // keeps the fit from depending on the one it replaces.
            var analyzer = new ScreeningAnalyzer(new AnalysisSettings { SpinalLine = SpinalLineModel.Uniform, Cobb = CentreLineCobbOptions.Default }, new ClassicLandmarkDetector());
            if (cached.Count > 0)
            {
                var first = cached.Keys.Min();
                if (!TrainingSampleCache.Agrees(cached[first], TrainingSample(analyzer, first, trainingWorld)))
                {
                    error.WriteLine($"error: {cacheFile!.FullName} was made by another version of the standing pipeline (child {first} analyses differently now). Delete it, or name another file.");
                    return 2;
                }
            }

            var samples = new SpinalLineSample?[n];
            var missing = Enumerable.Range(1, n).Where(i => !cached.ContainsKey(i)).ToArray();
            foreach (var (index, sample) in cached.Where(c => c.Key <= n))
            {
                samples[index - 1] = sample;
            }

            var networkOptions = units > 0 ? ResidualNetworkOptions.Default with { Hidden = units, Epochs = rounds } : null;
            SpinalLineModel model = null!;
            CentreLineCobbOptions cobb = null!;
            CobbIntervalModel interval = null!;
            FittedDecision decision = null!;
            var usable = new List<SpinalLineSample>();
            console.Progress().Start(context =>
            {
                if (missing.Length > 0)
                {
                    var task = context.AddTask($"training children ({n - missing.Length} cached)", maxValue: missing.Length);
                    Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                    {
                        samples[i - 1] = TrainingSample(analyzer, i, trainingWorld);
                        task.Increment(1);
                    });
                }

                if (cacheFile is not null && missing.Length > 0)
                {
                    for (var i = 1; i <= n; i++)
                    {
                        cached[i] = samples[i - 1];
                    }

                    TrainingSampleCache.Write(cacheFile, TrainingSeed, cached, trainingWorld.Name);
                }

                usable = [.. samples.OfType<SpinalLineSample>()];
                var tilts = AccuracyBench.FloorTilts(trainingWorld);
                (SpinalLineModel Model, CentreLineCobbOptions Cobb) Line(List<SpinalLineSample> training, string name)
                {
                    var basis = SpinalLineFit.Fit(training, withRotation: true);
                    var fitted = SpinalLineFit.FitFilter(training, basis);
                    if (networkOptions is not null)
                    {
                        var task = context.AddTask($"residual network ({name})", maxValue: rounds);
                        fitted = SpinalLineFit.FitResidual(training, fitted, networkOptions, (epoch, _, _) => task.Value = epoch);
                    }

                    return (fitted, SpinalLineFit.FitCobbCalibration(training, fitted, CentreLineCobbOptions.Default, tilts));
                }

                // The intervals must hold on children the line was not fitted to: they are fitted on the last fifth of
                // the training children read by a line fitted on the first four fifths, and the model shipped is then
                // fitted on all of them (a little better than the one the intervals saw, so they err on the wide side).
                var split = usable.Count * 4 / 5;
                var (held, heldCobb) = Line(usable[..split], "four fifths");
                var readings = CobbIntervalFit.Readings(usable[split..], held, heldCobb);
                interval = CobbIntervalFit.Fit(readings);
                decision = CobbIntervalFit.FitDecision(readings, interval);
                (model, cobb) = Line(usable, "all");
                var intervals = context.AddTask("90 % intervals and the decision", maxValue: 1);
                intervals.Increment(1);
            });

            var text = parseResult.InvocationConfiguration.Output;
            text.WriteLine(FormattableString.Invariant($"Decision: p_refer {decision.ReferProbability}, p_rescreen {decision.RescreenProbability} (the interval model: lower {string.Join(" ", interval.LowerWeights.Select(w => w.ToString("0.###", CultureInfo.InvariantCulture)))}; upper {string.Join(" ", interval.UpperWeights.Select(w => w.ToString("0.###", CultureInfo.InvariantCulture)))})."));
            text.WriteLine(FormattableString.Invariant($"Fitted on {usable.Count} of {n} training children (batch seed {TrainingSeed}); Cobb: end weight {cobb.EndTangentWeight:0.##}, soft extremes {cobb.SoftExtremeScaleDeg:0.##} deg, calibration {cobb.LinearGain:0.00} s + {cobb.SqrtGain:0.00} sqrt(s); largest curve {cobb.EndplateMedianGain:0.00} m {cobb.EndplateMedianOffsetDeg:+0.00;-0.00} deg (m: median endplate Cobb of the line)."));
            if (parseResult.GetValue(write) is { } folder)
            {
                var modelId = parseResult.GetValue(id)!;
                var command = networkOptions is null
                    ? $"dotnet run -c Release --project models/SpineScan.Lab -- bench fit --world {trainingWorld.Name} --count {n} --hidden 0 --id {modelId} --write models"
                    : $"dotnet run -c Release --project models/SpineScan.Lab -- bench fit --world {trainingWorld.Name} --count {n} --hidden {networkOptions.Hidden} --epochs {networkOptions.Epochs} --samples training-samples.json --id {modelId} --write models";
                var card = new ModelCard
                {
                    Id = modelId,
                    Kind = ModelKinds.SpinalLine,
                    File = string.Empty,
                    Sha256 = string.Empty,
                    Description = "From the standing back's symmetry line to the vertebral-body centres C7-L5 (level positions, body-centre offsets, a ridge-fitted linear filter and its residual network), and the surface Cobb estimator fitted to the lines it reconstructs.",
                    Command = command,
                    Training = new ModelTraining(trainingWorld.Name + ": " + trainingWorld.Description, TrainingSeed, n, usable.Count),
                    Limits = ["Fitted on synthetic backs only; never validated on children.", "A screening aid, not a diagnosis: a radiograph decides."],
                };
                var written = ModelCatalog.WriteSpinalLine(folder.FullName, card, model, cobb, interval, decision);
                text.WriteLine($"Wrote {Path.Combine(folder.FullName, written.File)} (SHA-256 {written.Sha256}) and its card.");
            }

            return 0;
        });
        return command;
    }

    // The options that bend the world: camera tilt, depth scale error, and calibrating each camera first.
    private static (Option<double?> Tilt, Option<double> DepthScale, Option<bool> Calibrate) ConditionOptions() =>
        (new Option<double?>("--tilt-deg") { Description = "Draw each camera's pitch and roll uniformly within +/- this many degrees (both poses; 0-10)." },
         new Option<double>("--depth-scale-error") { Description = "Draw each camera's depth scale error uniformly within +/- this percentage (0-5)." },
         new Option<bool>("--calibrate") { Description = "Render each camera's calibration scenes (empty scene at both head positions, the flat board at 1.0 and 1.6 m), calibrate, then analyse with that calibration." });

    private static BenchConditions? Conditions(ParseResult parseResult, Option<double?> tilt, Option<double> depthScale, Option<bool> calibrate)
    {
        var t = parseResult.GetValue(tilt);
        var d = parseResult.GetValue(depthScale);
        if (t is < 0 or > 10 || d is < 0 or > 5 || !double.IsFinite(d))
        {
            parseResult.InvocationConfiguration.Error.WriteLine("error: --tilt-deg must be 0-10 and --depth-scale-error 0-5 (percent).");
            return null;
        }

        return new BenchConditions(t, d, parseResult.GetValue(calibrate));
    }

    private static Command Grids()
    {
        var count = new Option<int>("--count") { Description = "Number of training phantom children.", DefaultValueFactory = _ => 1000 };
        var first = new Option<int>("--first") { Description = "Index of the first training child (to render a set in parts).", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "The file to write (the format: GridSet).", Required = true };
        var world = new Option<string>("--world") { Description = "The world the training children are drawn from.", DefaultValueFactory = _ => PhantomWorld.InRange.Name };
        world.AcceptOnlyFromAmong([.. PhantomWorld.All.Select(w => w.Name)]);
        var command = new Command("grids", $"Render training phantoms (batch seed {TrainingSeed}) and write each measured child's back grid and true vertebral-body centres for the back-to-spine network (models/train-spine-cnn.sh).")
        {
            count, first, output, world,
        };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            var from = parseResult.GetValue(first);
            if (n < 1 || from < 1)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: --count and --first must be at least 1.");
                return 2;
            }

            var trainingWorld = PhantomWorld.Named(parseResult.GetValue(world)!)!;
            var analyzer = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings(), new ClassicLandmarkDetector());
            var samples = new GridSample?[n];
            var console = Terminal.For(parseResult.InvocationConfiguration.Output);
            console.Progress().Start(context =>
            {
                var task = context.AddTask("training children", maxValue: n);
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    var seed = PhantomSeeds.ForChild(TrainingSeed, from + i);
                    using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, World = trainingWorld });
                    samples[i] = GridSet.Sample(analyzer, child, seed);
                    task.Increment(1);
                });
            });

            var measured = samples.OfType<GridSample>().ToList();
            var file = parseResult.GetValue(output)!;
            var temporary = file.FullName + ".tmp";
            using (var stream = File.Create(temporary))
            {
                GridSet.Write(stream, measured);
            }

            File.Move(temporary, file.FullName, overwrite: true);
            parseResult.InvocationConfiguration.Output.WriteLine($"Wrote {measured.Count} of {n} children ({trainingWorld.Name}, training seed {TrainingSeed}, children {from}-{from + n - 1}) to {file.FullName}.");
            return 0;
        });
        return command;
    }

    private static Option<string> MethodOption()
    {
        var method = new Option<string>("--method") { Description = "Where the vertebral-body centres come from: classical (the reconstruction from the symmetry line) or model (the learned back-to-spine network, falling back to classical per capture when it is unsure).", DefaultValueFactory = _ => AccuracyBench.Classical };
        method.AcceptOnlyFromAmong(AccuracyBench.Classical, AccuracyBench.Model);
        return method;
    }

    // The learned centre model for --method model (one session, one thread: the bench runs children in parallel), or null
    // for classical; false (with the reason written) when it was asked for and cannot be loaded.
    private static bool TryCentreModel(ParseResult parseResult, string method, out OnnxSpineCentreModel? model)
    {
        model = null;
        if (method != AccuracyBench.Model)
        {
            return true;
        }

        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            model = OnnxSpineCentreModel.FromCatalog(ModelCatalog.Shipped, new InferenceOptions(IntraOpThreads: 1));
        }
        catch (ModelLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return false;
        }

        if (model is null)
        {
            error.WriteLine($"error: {ModelCatalog.Shipped.Directory} holds no '{OnnxSpineCentreModel.Kind}' model; train one with models/train-spine-cnn.sh, or use --method classical.");
            return false;
        }

        if (model.ProviderNote is { } note)
        {
            error.WriteLine(note);
        }

        error.WriteLine(model.Describe());
        return true;
    }

    // A held-out batch needs children and a seed other than the training seed.
    private static bool RefusedBatch(ParseResult parseResult, int count, int batch)
    {
        if (count >= 1 && batch != TrainingSeed)
        {
            return false;
        }

        parseResult.InvocationConfiguration.Error.WriteLine($"error: --count must be at least 1 and --seed must differ from the training seed {TrainingSeed}.");
        return true;
    }

    // One training child's standing analysis and truth, or null when the pipeline refused it.
    internal static SpinalLineSample? TrainingSample(ScreeningAnalyzer analyzer, int index, PhantomWorld world)
    {
        var seed = PhantomSeeds.ForChild(TrainingSeed, index);
        using var child = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, World = world });
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

            var report = inspection.Report;
            var quality = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["distanceMm"] = report.DistanceMm ?? double.NaN,
                ["motionMm"] = report.MotionMm ?? double.NaN,
                ["validShare"] = report.ValidShare ?? double.NaN,
                ["depthNoiseMm"] = report.DepthNoiseMm ?? double.NaN,
            };
            sample = new SpinalLineSample(inspection.SymmetryLine, inspection.C7B, inspection.DimpleMidB, skin, centres, child.Truth.CobbDeg[0], seed, quality);
        });
        return sample;
    }
}
