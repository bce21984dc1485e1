using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device;
using SpineScan.Device.Sync;
using SpineScan.Device.Workflow;
using SpineScan.Host.Composition;

namespace SpineScan.Host.Commands;

/// <summary>
/// <c>spinescan register</c>: registers the device with its server at install. The credential comes from a file or
/// standard input; the server gives the programme's pseudonym key and the parents' public address; all three are kept
/// (encrypted) in the data folder, so later verbs and the kiosk need no secret on their command line.
/// </summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder.", Required = true };
        var server = new Option<string>("--server") { Description = "The server's base URL (the device API).", Required = true };
        var deviceKeyFile = new Option<string>("--device-key-file") { Description = "A file holding the credential 'deviceId.secret' from 'admin add-device'; '-' (the default) reads standard input.", DefaultValueFactory = _ => "-" };
        var command = new Command("register", "Register this device with its server: store the credential, the programme's pseudonym key and the parents' public address (the credential is read from standard input or a file, never the command line).")
        {
            data, server, deviceKeyFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var output = parseResult.InvocationConfiguration.Output;
            if (!Uri.TryCreate(parseResult.GetValue(server)!.TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync($"error: --server '{parseResult.GetValue(server)}' is not an http(s) address.").ConfigureAwait(false);
                return 2;
            }

            var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [DeviceComposition.Station(nameof(StationOptions.DataDirectory))] = parseResult.GetValue(data)!.FullName,
            };
            return await StationVerb.RunAsync(flags, error, async services =>
            {
                var text = await SecretInput.ReadAsync(parseResult.GetValue(deviceKeyFile), Console.In, "device credential", cancellationToken).ConfigureAwait(false);
                var credential = DeviceCredential.TryParse(text)
                    ?? throw new StationInputException("The credential must be the whole 'deviceId.secret' printed by 'admin add-device'.");
                var outcome = await services.GetRequiredService<OutboxSync>().RegisterAsync(url, credential, cancellationToken).ConfigureAwait(false);
                var info = outcome.Registration;
                await output.WriteLineAsync($"Registered device {info.DeviceId} with programme {info.ProgrammeCode} at {url}.").ConfigureAwait(false);
                await output.WriteLineAsync(info.PseudonymKey is null
                    ? "The programme issues no pseudonym key: this device keeps its own (its pupils' pseudonyms will differ from other devices')."
                    : "Pupil pseudonyms use the programme's key, as on every device of the programme.").ConfigureAwait(false);
                await output.WriteLineAsync(info.PublicBaseUrl is null
                    ? "The server gave no public address for parents: slips carry no parent link until it does."
                    : "Parent links on slips open " + info.PublicBaseUrl).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{outcome.Restamped} waiting report(s) stamped with this device and key.")).ConfigureAwait(false);
                if (outcome.SentUnderAnotherKey > 0)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Note: {outcome.SentUnderAnotherKey} report(s) were sent earlier under another pseudonym key; the server files those children apart.")).ConfigureAwait(false);
                }

                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
