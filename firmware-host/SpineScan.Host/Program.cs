using System.CommandLine;
using SpineScan.Host.Commands;

var root = new RootCommand("SpineScan device host: school scoliosis and posture screening on a depth camera.");
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(ScreenCommand.Create());
root.Subcommands.Add(SyncCommand.Create());
root.Subcommands.Add(PurgeCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(RegisterCommand.Create());
root.Subcommands.Add(PassphraseCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
