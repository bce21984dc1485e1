namespace SpineScan.Device;

/// <summary>
/// Test-only crash points for the fault tests: <c>SPINESCAN_FAULT=point</c> (or <c>point@n</c> for its n-th pass) makes
/// the process die at once (<see cref="Environment.FailFast(string)"/>, no finally blocks, no flush) at that point, as a
/// power cut or a kill would. Ignored unless the variable is set.
/// </summary>
internal static class FaultInjection
{
    public const string Variable = "SPINESCAN_FAULT";

    /// <summary>After the forward bend's frames are captured, before analysis and store.</summary>
    public const string KillAfterCapture = "kill-after-capture";

    /// <summary>Inside the screening's transaction, rows written, before the commit.</summary>
    public const string KillInDbWrite = "kill-in-db-write";

    /// <summary>After the server's 2xx for a report, before the outbox row is marked sent.</summary>
    public const string KillAfterSendBeforeMark = "kill-after-send-before-mark";

    private static readonly (string Point, int Pass)? Configured = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _passes;

    public static void At(string point)
    {
        if (Configured is { } fault && string.Equals(fault.Point, point, StringComparison.Ordinal) && Interlocked.Increment(ref _passes) == fault.Pass)
        {
            Environment.FailFast($"{Variable}: killed at {point} (pass {fault.Pass}).");
        }
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (value.Trim(), 1) : (value[..at].Trim(), int.Parse(value[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
