using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Device.Storage;
using SpineScan.Device.Sync;
using SpineScan.Device.Workflow;
using SpineScan.DeviceStore;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device.Records;

/// <summary>Stored screenings as the kiosk shows them, and their parent slips (the child's name printed, the parent link as a QR code).</summary>
public sealed class ScreeningRecords(LocalStore store, DeviceIdentity identity, IScreeningReportRenderer renderer)
{
    public async Task<ScreeningOutcome?> GetAsync(long screeningId, CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: true, cancellationToken).ConfigureAwait(false);
        await using var db = store.CreateContext();
        var row = await db.Screenings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == screeningId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var result = await db.Results.AsNoTracking().SingleAsync(r => r.ScreeningId == screeningId, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(row, JsonSerializer.Deserialize(result.AnalysisJson, SpineScanJsonContext.Default.AnalysisResult)!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A screening as the kiosk shows it; the parent link is built from the server's public address once the device knows it.</summary>
    public async Task<ScreeningOutcome> OutcomeAsync(ScreeningRow row, AnalysisResult analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new ScreeningOutcome(row.Id, row.ReportId, row.PupilId, analysis, row.CapturedAt, row.CaptureToResultMs ?? double.NaN,
            await ParentLinkAsync(row, cancellationToken).ConfigureAwait(false), row.SupersededAt is not null);
    }

    /// <exception cref="StationInputException">There is no such screening.</exception>
    /// <exception cref="ReportFontMissingException">A Chinese slip and no Chinese font.</exception>
    public async Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: true, cancellationToken).ConfigureAwait(false);
        await using var db = store.CreateContext();
        var row = await db.Screenings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == screeningId, cancellationToken).ConfigureAwait(false)
            ?? throw new StationInputException("There is no such screening.");
        var result = await db.Results.AsNoTracking().SingleAsync(r => r.ScreeningId == screeningId, cancellationToken).ConfigureAwait(false);
        var pupil = await db.Pupils.AsNoTracking().SingleAsync(p => p.Id == row.PupilId, cancellationToken).ConfigureAwait(false);
        var sent = await db.Outbox.AnyAsync(o => o.ScreeningId == screeningId && o.State == OutboxState.Sent, cancellationToken).ConfigureAwait(false);
        var analysis = JsonSerializer.Deserialize(result.AnalysisJson, SpineScanJsonContext.Default.AnalysisResult)!;
        var map = result.DepthMapJson is null ? null : JsonSerializer.Deserialize(result.DepthMapJson, SpineScanJsonContext.Default.ReviewDepthMap);
        var report = new ScreeningReport(analysis, row.CapturedAt, language, null, map, pupil.Name, await ParentLinkAsync(row, cancellationToken).ConfigureAwait(false))
        {
            ParentLinkPending = !sent,
        };
        return await Task.Run(() => renderer.Render(report), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Uri?> ParentLinkAsync(ScreeningRow row, CancellationToken cancellationToken) =>
        row.ParentLinkToken is { } token && (await identity.ConnectionAsync(cancellationToken).ConfigureAwait(false))?.PublicBaseUrl is { } publicBase
            ? new Uri(publicBase.ToString().TrimEnd('/') + "/r/" + token)
            : null;
}
