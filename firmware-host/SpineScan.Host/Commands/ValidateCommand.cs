using System.CommandLine;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan validate</c>: checks our algorithms against real reference data.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var command = new Command("validate", "Validate SpineScan's algorithms against reference data sets.");
        return command;
    }
}
