using System.CommandLine;
using SpineScan.Host.Commands;
using SpineScan.Host.Operations;
using SpineScan.Imaging;
using SpineScan.Models;

if (args is ["--version"])
{
    Console.Out.WriteLine(DeviceVersion.Text(() => ModelCatalog.Shipped));
    return 0;
}

// Probed once: where OpenCV's native library is absent (linux-arm64) the replay format uses the managed PNG codec.
if (!OpenCvProbe.IsAvailable)
{
    Console.Error.WriteLine(OpenCvProbe.AbsentLine);
}

var root = new RootCommand("SpineScan device host: school scoliosis and posture screening on a depth camera.");
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(CalibrateCommand.Create());
root.Subcommands.Add(ScreenCommand.Create());
root.Subcommands.Add(SyncCommand.Create());
root.Subcommands.Add(PurgeCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(RegisterCommand.Create());
root.Subcommands.Add(PassphraseCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
