using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using SpineScan.CommandLine;
using SpineScan.Imaging.Replay;
using SpineScan.Lab.Phantom;
using SpineScan.Phantom;

namespace SpineScan.Lab.Commands;

/// <summary><c>spinescan-lab phantom</c>: writes synthetic children's captures with their ground truth.</summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Number of children to generate.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Batch seed; child i gets a seed derived from it and i.", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (child_0001/{standing,forward_bend}/ and truth.json).", Required = true };
        var frames = new Option<int?>("--frames") { Description = "Frames per capture (default: the burst the device takes with the child's camera, 30 on active stereo, 10 on time of flight)." };
        var camera = new Option<string?>("--camera") { Description = "Camera model: d435, d455, kinect or kinect-wide (drawn per child from the world when omitted)." };
        camera.AcceptOnlyFromAmong("d435", "d455", "kinect", "kinect-wide");
        var world = new Option<string>("--world") { Description = "The world the children are drawn from: " + string.Join(", ", PhantomWorld.All.Select(w => w.Name)) + ".", DefaultValueFactory = _ => PhantomWorld.Base.Name };
        world.AcceptOnlyFromAmong([.. PhantomWorld.All.Select(w => w.Name)]);
        var preview = new Option<bool>("--preview-png") { Description = "Also write a colour-mapped, shaded picture of each capture.", Hidden = true };
        var curve = new Option<string?>("--curve") { Description = "Force the curve: none, c or s.", Hidden = true };
        curve.AcceptOnlyFromAmong("none", "c", "s");
        var cobb = new Option<double>("--cobb") { Description = "Cobb angle for --curve.", DefaultValueFactory = _ => 30, Hidden = true };
        var symmetric = new Option<bool>("--symmetric") { Description = "Straight, left/right symmetric children.", Hidden = true };

        var command = new Command("phantom", "Write synthetic phantom children (standing and forward-bend captures with truth.json).");
        command.Options.Add(count);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(frames);
        command.Options.Add(camera);
        command.Options.Add(world);
        command.Options.Add(preview);
        command.Options.Add(curve);
        command.Options.Add(cobb);
        command.Options.Add(symmetric);
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(count);
            var frameCount = parseResult.GetValue(frames);
            if (n < 1 || frameCount is < 1)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: --count and --frames must be at least 1.");
                return 2;
            }

            var sensor = parseResult.GetValue(camera) switch
            {
                "d435" => PhantomSensor.RealSenseD435,
                "kinect" => PhantomSensor.AzureKinectNfov,
                "d455" => PhantomSensor.RealSenseD455,
                "kinect-wide" => PhantomSensor.AzureKinectWfov,
                _ => (PhantomSensor?)null,
            };
            var forcedCurve = parseResult.GetValue(curve) switch
            {
                "none" => new CurveOverride(CurveType.None),
                "c" => new CurveOverride(CurveType.C, parseResult.GetValue(cobb)),
                "s" => new CurveOverride(CurveType.S, parseResult.GetValue(cobb)),
                _ => null,
            };
            var template = new PhantomOptions
            {
                FrameCount = frameCount,
                World = PhantomWorld.Named(parseResult.GetValue(world)!)!,
                Sensor = sensor,
                Curve = forcedCurve,
                Symmetric = parseResult.GetValue(symmetric),
            };
            var root = parseResult.GetValue(output)!.FullName;
            try
            {
                Run(root, n, parseResult.GetValue(seed), template, parseResult.GetValue(preview), parseResult.InvocationConfiguration.Output);
                return 0;
            }
            catch (IOException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        return command;
    }

    internal static void Run(string root, int count, int batchSeed, PhantomOptions template, bool previews, TextWriter output)
    {
        var console = Terminal.For(output);
        Directory.CreateDirectory(root);
        console.Progress().Start(context =>
        {
            var task = context.AddTask("phantom children", maxValue: count);
            for (var i = 1; i <= count; i++)
            {
                var options = template with { Seed = PhantomSeeds.ForChild(batchSeed, i) };
                using var child = PhantomGenerator.Generate(options);
                var folder = Path.Combine(root, FormattableString.Invariant($"child_{i:0000}"));
                Directory.CreateDirectory(folder);
                ReplayCaptureWriter.Write(child.Standing, Path.Combine(folder, "standing"));
                ReplayCaptureWriter.Write(child.ForwardBend, Path.Combine(folder, "forward_bend"));
                File.WriteAllText(Path.Combine(folder, "truth.json"), JsonSerializer.Serialize(child.Truth, PhantomJsonContext.Default.PhantomTruth) + "\n");
                if (previews)
                {
                    DepthPreview.WritePng(child.Standing, Path.Combine(folder, "standing.png"));
                    DepthPreview.WritePng(child.ForwardBend, Path.Combine(folder, "forward_bend.png"));
                }

                task.Increment(1);
            }
        });
        console.MarkupLineInterpolated($"Wrote {count} phantom children to [bold]{root}[/].");
    }
}
