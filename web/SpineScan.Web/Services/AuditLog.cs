using SpineScan.ServerStore;

namespace SpineScan.Web.Services;

/// <summary>Writes one audit entry per view or change of a screening.</summary>
public sealed class AuditLog(SpineScanDbContext db, TimeProvider time)
{
    public const string View = "view";
    public const string Review = "review";
    public const string Outcome = "outcome";
    public const string ExportPdf = "export-pdf";
    public const string ExportFhir = "export-fhir";
    public const string RevokeLink = "revoke-parent-link";
    public const string ParentOpen = "parent-open";
    public const string Timeline = "view-timeline";
    public const string EhrList = "ehr-list";
    public const string PseudonymKeyIssued = "pseudonym-key-issued";

    /// <summary>Adds an entry to the context; it is saved with the caller's next save.</summary>
    public void Add(string actor, string action, int programmeId, long? screeningId, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            ProgrammeId = programmeId,
            ScreeningId = screeningId,
            Detail = detail is { Length: > 2000 } ? detail[..2000] : detail,
        });

    /// <summary>Adds and saves an entry.</summary>
    public async Task WriteAsync(string actor, string action, int programmeId, long? screeningId, string? detail, CancellationToken cancellationToken)
    {
        Add(actor, action, programmeId, screeningId, detail);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
