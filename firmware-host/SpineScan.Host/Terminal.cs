using Spectre.Console;

namespace SpineScan.CommandLine;

/// <summary>A Spectre console over the command's output: the real terminal, or plain text when redirected (tests, pipes).</summary>
internal static class Terminal
{
    public static IAnsiConsole For(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
}
