using System.CommandLine;

namespace SpineScan.Testing;

/// <summary>Runs one verb of the host's command line in-process, capturing its output and error text.</summary>
internal static class CommandRunner
{
    public static (int ExitCode, string Output, string Error) Invoke(Command verb, params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(verb);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
