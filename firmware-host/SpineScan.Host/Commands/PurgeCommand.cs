using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device;
using SpineScan.Device.Storage;
using SpineScan.DeviceStore;
using SpineScan.Host.Composition;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan purge</c>: deletes raw depth whose report was synced longer ago than the retention.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder.", Required = true };
        var days = new Option<int>("--retention-days") { Description = "Keep raw depth this many days after its report was synced.", DefaultValueFactory = _ => 30 };
        var command = new Command("purge", "Delete the raw depth of screenings synced more than --retention-days ago (results and reports stay).") { data, days };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var dataDir = parseResult.GetValue(data)!;
            if (!File.Exists(Path.Combine(dataDir.FullName, DeviceDatabase.FileName)))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: '{dataDir.FullName}' holds no station store ({DeviceDatabase.FileName}).").ConfigureAwait(false);
                return 2;
            }

            var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [DeviceComposition.Station(nameof(StationOptions.DataDirectory))] = dataDir.FullName,
                [DeviceComposition.Station(nameof(StationOptions.RawDepthRetentionDays))] = parseResult.GetValue(days).ToString(CultureInfo.InvariantCulture),
            };
            return await StationVerb.RunAsync(flags, parseResult.InvocationConfiguration.Error, async services =>
            {
                var purged = await services.GetRequiredService<RawDepthPurge>().PurgeAsync(cancellationToken).ConfigureAwait(false);
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Purged the raw depth of {purged} capture(s).")).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
