using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device;
using SpineScan.Device.Storage;
using SpineScan.Device.Sync;
using SpineScan.Device.Workflow;
using SpineScan.DeviceStore;
using SpineScan.Host.Composition;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan sync</c>: sends what waits in a data folder's outbox.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder.", Required = true };
        var server = new Option<string?>("--server") { Description = "Sync server base URL; the registered one when omitted." };
        var deviceKeyFile = new Option<string?>("--device-key-file") { Description = "A file holding the device credential 'deviceId.secret' ('-': standard input); else SPINESCAN_Station__DeviceKey or the registration." };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Send the reports the server refused once more (after their cause was fixed, e.g. the school was added)." };
        var command = new Command("sync", "Send the reports waiting in the outbox to the server (each once). Exit 0 when all are sent, 1 while some wait or failed, 2 on bad input.")
        {
            data, server, deviceKeyFile, retryFailed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var dataDir = parseResult.GetValue(data)!;
            if (!File.Exists(Path.Combine(dataDir.FullName, DeviceDatabase.FileName)))
            {
                await error.WriteLineAsync($"error: '{dataDir.FullName}' holds no station store ({DeviceDatabase.FileName}): name the folder given to 'spinescan screen --data' or 'spinescan run --data'.").ConfigureAwait(false);
                return 2;
            }

            string? credential;
            try
            {
                credential = await SecretInput.ReadAsync(parseResult.GetValue(deviceKeyFile), Console.In, "device credential", cancellationToken).ConfigureAwait(false);
            }
            catch (StationInputException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [DeviceComposition.Station(nameof(StationOptions.DataDirectory))] = dataDir.FullName,
                [DeviceComposition.Station(nameof(StationOptions.ServerUrl))] = parseResult.GetValue(server),
                [DeviceComposition.Station(nameof(StationOptions.DeviceKey))] = credential,
            };
            return await StationVerb.RunAsync(flags, error, async services =>
            {
                var outbox = services.GetRequiredService<OutboxSync>();
                var identity = services.GetRequiredService<DeviceIdentity>();
                if (await identity.ConnectionAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    await error.WriteLineAsync($"error: no server is known for '{dataDir.FullName}': register the device first (spinescan register --data DIR --server URL, the credential on standard input), or give --server and the credential.").ConfigureAwait(false);
                    return 2;
                }

                var status = parseResult.GetValue(retryFailed)
                    ? await outbox.RetryFailedAsync(cancellationToken).ConfigureAwait(false)
                    : await outbox.SyncAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Outbox: {status.Sent} sent, {status.Waiting} waiting, {status.Failed} failed.")).ConfigureAwait(false);
                if (status.LastError is { } lastError)
                {
                    await output.WriteLineAsync("Last problem: " + lastError).ConfigureAwait(false);
                }

                if (status.Failed > 0)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{status.Failed} report(s) were refused by the server: fix the cause, then run 'spinescan sync --data {dataDir.FullName} --retry-failed'.")).ConfigureAwait(false);
                }

                return status.Waiting == 0 && status.Failed == 0 ? 0 : 1;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
