using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Storage;

/// <summary>
/// Deletes the raw depth of screenings whose report was synced more than <see cref="StationOptions.RawDepthRetentionDays"/>
/// days ago. Results, outbox rows and the review depth map stay; only the capture folders go, and each capture row
/// records when.
/// </summary>
public sealed class RawDepthPurge(LocalStore store, RawDepthArchive rawDepth, IOptions<StationOptions> options, TimeProvider timeProvider)
{
    /// <summary>Purges what is due; returns how many capture folders were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.RawDepthRetentionDays);
        await using var db = store.CreateContext();
        var due = await (
            from capture in db.Captures
            join outbox in db.Outbox on capture.ScreeningId equals outbox.ScreeningId
            where capture.ArchiveFile != null && outbox.State == OutboxState.Sent && outbox.SentAt <= cutoff
            select capture).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var capture in due)
        {
            // The row is updated after the folder is gone: a kill in between leaves a row naming a missing folder, which the next purge tidies.
            rawDepth.Delete(capture.ArchiveFile!);
            capture.ArchiveFile = null;
            capture.PurgedAt = now;
        }

        if (due.Count > 0)
        {
            db.Audit.Add(LocalStore.Audit(timeProvider, "raw_depth_purged", FormattableString.Invariant($"{due.Count} capture folders")));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }
}
