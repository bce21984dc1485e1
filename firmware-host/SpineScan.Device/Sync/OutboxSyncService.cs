using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Sync;

/// <summary>Drains the outbox every <see cref="StationOptions.SyncIntervalSeconds"/> while a server is known, then purges raw depth that is due.</summary>
internal sealed partial class OutboxSyncService(
    OutboxSync outbox,
    DeviceIdentity identity,
    RawDepthPurge purge,
    IOptions<StationOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.SyncIntervalSeconds);
        var told = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A registration made while the kiosk runs is picked up on the next round.
                if (await identity.ConnectionAsync(stoppingToken).ConfigureAwait(false) is null)
                {
                    if (!told)
                    {
                        LogNoServer(logger);
                        told = true;
                    }
                }
                else
                {
                    var status = await outbox.SyncAsync(stoppingToken).ConfigureAwait(false);
                    await purge.PurgeAsync(stoppingToken).ConfigureAwait(false);
                    LogRound(logger, status.Sent, status.Waiting, status.Failed);
                }
            }
            catch (StationStorageException ex)
            {
                LogStoreFailed(logger, ex.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No sync server is configured or registered: reports wait in the outbox.")]
    private static partial void LogNoServer(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox: {Sent} sent, {Waiting} waiting, {Failed} failed.")]
    private static partial void LogRound(ILogger logger, int sent, int waiting, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox sync skipped: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string reason);
}
