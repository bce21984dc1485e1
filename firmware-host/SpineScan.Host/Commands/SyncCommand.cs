using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Sync;
using SpineScan.Host.Station;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan sync</c>: sends what waits in a data folder's outbox.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder.", Required = true };
        var server = new Option<string>("--server") { Description = "Sync server base URL.", Required = true };
        var deviceKey = new Option<string>("--device-key") { Description = "The device credential 'deviceId.secret' from 'admin add-device'.", Required = true };
        var command = new Command("sync", "Send the reports waiting in the outbox to the server (each once; exit 1 while some still wait).") { data, server, deviceKey };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var dataDir = parseResult.GetValue(data)!;
            if (!File.Exists(Path.Combine(dataDir.FullName, Device.Store.StationStore.DatabaseFileName)))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: '{dataDir.FullName}' holds no station store (spinescan.db): name the folder given to 'spinescan screen --data'.").ConfigureAwait(false);
                return 2;
            }

            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["DataDirectory"] = dataDir.FullName,
                ["ServerUrl"] = parseResult.GetValue(server),
                ["DeviceKey"] = parseResult.GetValue(deviceKey),
            };
            return await StationVerb.RunAsync(settings, parseResult.InvocationConfiguration.Error, async services =>
            {
                var status = await services.GetRequiredService<OutboxSync>().SyncAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Outbox: {status.Sent} sent, {status.Waiting} waiting, {status.Failed} failed.")).ConfigureAwait(false);
                if (status.LastError is { } lastError)
                {
                    await output.WriteLineAsync("Last problem: " + lastError).ConfigureAwait(false);
                }

                return status.Waiting == 0 ? 0 : 1;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
