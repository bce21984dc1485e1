using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device;
using SpineScan.Device.Operators;
using SpineScan.Device.Workflow;
using SpineScan.Host.Composition;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan passphrase</c>: sets the kiosk operator's passphrase or PIN at install (read from standard input, kept as a hash).</summary>
internal static class PassphraseCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder.", Required = true };
        var command = new Command("passphrase", "Set the kiosk operator's passphrase or PIN (at least 6 characters), read from standard input twice (type it, Enter, again, Enter); kept only as a PBKDF2 hash.") { data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [DeviceComposition.Station(nameof(StationOptions.DataDirectory))] = parseResult.GetValue(data)!.FullName,
            };
            return await StationVerb.RunAsync(flags, parseResult.InvocationConfiguration.Error, async services =>
            {
                var output = parseResult.InvocationConfiguration.Output;
                if (!Console.IsInputRedirected)
                {
                    await output.WriteLineAsync("Passphrase or PIN (at least 6 characters), then Enter; then once more:").ConfigureAwait(false);
                }

                var first = await SecretInput.ReadAsync("-", Console.In, "passphrase", cancellationToken).ConfigureAwait(false);
                var second = await SecretInput.ReadAsync("-", Console.In, "passphrase (the second time)", cancellationToken).ConfigureAwait(false);
                if (!string.Equals(first, second, StringComparison.Ordinal))
                {
                    throw new StationInputException("The two entries differ: nothing was set. Run the command again.");
                }

                await services.GetRequiredService<OperatorPassphrase>().SetAsync(first!, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync("The operator passphrase is set: the kiosk asks for it at sign-in and after it locked itself.").ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
