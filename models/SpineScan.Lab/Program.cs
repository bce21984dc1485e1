using System.CommandLine;
using SpineScan.Lab.Commands;

var root = new RootCommand("SpineScan lab: synthetic children, model fitting, accuracy benches and the AASCE validation (research tools, not the device).");
root.Subcommands.Add(PhantomCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
