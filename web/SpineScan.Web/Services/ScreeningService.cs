using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Web.Operations;

namespace SpineScan.Web.Services;

/// <summary>Who is asking: the signed-in clinician and their programme. Every query is scoped to it.</summary>
public sealed record ClinicianScope(string Actor, int ProgrammeId);

/// <summary>Filters, sort and page of the review queue.</summary>
public sealed record QueueQuery(
    int? SchoolId = null,
    DateOnly? From = null,
    DateOnly? To = null,
    ScreeningCategory? Category = null,
    bool? Reviewed = false,
    QueueSort Sort = QueueSort.Priority,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25);

public enum QueueSort
{
    Priority,
    CapturedAt,
    Cobb,
    Atr,
}

/// <summary>One row of the queue; <see cref="Flagged"/> when the device's category contradicted its own numbers.</summary>
public sealed record QueueRow(long Id, Guid ReportId, string School, DateTimeOffset CapturedAt, ScreeningCategory Category, ScreeningCategory DeviceCategory, double? CobbDeg, double? AtrDeg, bool Reviewed, int AgeMonths, string Grade, bool Flagged = false, CobbInterval? CobbInterval90 = null);

/// <summary>A page of the queue; <see cref="Total"/> stops counting at <see cref="ScreeningService.CountCap"/>.</summary>
public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, int Total, bool TotalCapped);

public sealed record ParentLinkRow(long Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record AuditRow(DateTimeOffset At, string Actor, string Action, string? Detail);

public sealed record ScreeningDetail(
    long Id,
    Guid ReportId,
    int SchoolId,
    string School,
    string DeviceId,
    string PupilPseudonym,
    int AgeMonths,
    Sex Sex,
    string Grade,
    DateTimeOffset CapturedAt,
    DateTimeOffset ReceivedAt,
    ScreeningCategory DeviceCategory,
    ScreeningCategory AssessedCategory,
    ScreeningCategory Category,
    bool Reviewed,
    DateTimeOffset? ReviewedAt,
    string? ReviewedBy,
    string? ReviewNote,
    double? XrayCobbDeg,
    DateOnly? XrayDate,
    AnalysisResult Analysis,
    ReviewDepthMap? DepthMap,
    CategoryThresholds Thresholds,
    IReadOnlyList<ParentLinkRow> ParentLinks,
    IReadOnlyList<AuditRow> Audit,
    ReviewDepthMap? ForwardBendDepthMap = null,
    TimelinePoint? Previous = null,
    long? SupersedesId = null,
    long? SupersededById = null)
{
    /// <summary>The device's category contradicts its own numbers under the programme's thresholds.</summary>
    public bool Flagged => DeviceCategory != AssessedCategory;

    /// <summary>A clinician changed the category the server gave.</summary>
    public bool Overridden => Reviewed && Category != AssessedCategory;
}

/// <summary>One screening of a child as the timeline and the "previous screening" panel show it.</summary>
public sealed record TimelinePoint(long Id, DateTimeOffset CapturedAt, int AgeMonths, ScreeningCategory Category, double? CobbDeg, double? AtrDeg, double? XrayCobbDeg, CobbInterval? CobbInterval90 = null);

public sealed record SchoolStatistics(int SchoolId, string School, int Screened, int Referred, double ReferralRate, int Outcomes, int ConfirmedCurves, double? PositivePredictiveValue);

public sealed record SchoolOption(int Id, string Code, string Name);

/// <summary>The clinician's reads and changes of screenings, scoped to their programme and audited.</summary>
public sealed class ScreeningService(SpineScanDbContext db, AuditLog audit, TimeProvider time, ServerTelemetry telemetry)
{
    /// <summary>The queue counts at most this many rows (a million-row count would dominate the latency).</summary>
    public const int CountCap = 10_000;

    /// <summary>An X-ray Cobb angle at or above this confirms a curve when computing the positive predictive value.</summary>
    public const double ConfirmedCurveDeg = 10;

    public Task<List<SchoolOption>> SchoolsAsync(ClinicianScope scope, CancellationToken ct) =>
        db.Schools.AsNoTracking().Where(s => s.ProgrammeId == scope.ProgrammeId).OrderBy(s => s.Name)
            .Select(s => new SchoolOption(s.Id, s.Code, s.Name)).ToListAsync(ct);

    public async Task<QueuePage> QueueAsync(ClinicianScope scope, QueueQuery query, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var page = await QueryQueueAsync(scope, query, ct).ConfigureAwait(false);
        telemetry.ReviewQueueAnswered(time.GetElapsedTime(started));
        return page;
    }

    private async Task<QueuePage> QueryQueueAsync(ClinicianScope scope, QueueQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        var total = await Filtered(scope, query).Take(CountCap + 1).CountAsync(ct).ConfigureAwait(false);

        // Two steps: the page's ids from a covering index (no table rows read while skipping), then those rows only.
        var ids = await PageIdsAsync(scope, query, ct).ConfigureAwait(false);
        var rows = await db.Screenings.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new
            {
                s.Id, s.ReportId, School = s.School!.Name, s.CapturedAtUtc, s.CapturedOffsetMinutes, s.ReviewedCategory, s.AssessedCategory, s.DeviceCategory,
                s.LargestCobbDeg, s.LargestCobbLower90Deg, s.LargestCobbUpper90Deg, s.AtrDeg, s.Reviewed, s.AgeMonths, s.Grade,
            })
            .ToListAsync(ct).ConfigureAwait(false);
        rows.Sort((x, y) => ids.IndexOf(x.Id).CompareTo(ids.IndexOf(y.Id)));
        return new QueuePage(
            [.. rows.Select(r => new QueueRow(r.Id, r.ReportId, r.School, ToOffset(r.CapturedAtUtc, r.CapturedOffsetMinutes),
                ScreeningCategories.InForce(r.ReviewedCategory, r.AssessedCategory), (ScreeningCategory)r.DeviceCategory, r.LargestCobbDeg, r.AtrDeg,
                r.Reviewed, r.AgeMonths, r.Grade, r.DeviceCategory != r.AssessedCategory, Interval(r.LargestCobbLower90Deg, r.LargestCobbUpper90Deg)))],
            Math.Min(total, CountCap),
            total > CountCap);
    }

    /// <summary>The ids of one page of the queue, in its order (the queue's first step; the detail page steps through them).</summary>
    public Task<List<long>> PageIdsAsync(ClinicianScope scope, QueueQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        var q = Filtered(scope, query);
        var ordered = (query.Sort, query.Descending) switch
        {
            (QueueSort.CapturedAt, false) => q.OrderBy(s => s.CapturedAtUtc).ThenBy(s => s.Id),
            (QueueSort.CapturedAt, true) => q.OrderByDescending(s => s.CapturedAtUtc).ThenByDescending(s => s.Id),
            (QueueSort.Cobb, false) => q.OrderBy(s => s.LargestCobbDeg).ThenBy(s => s.Id),
            (QueueSort.Cobb, true) => q.OrderByDescending(s => s.LargestCobbDeg).ThenByDescending(s => s.Id),
            (QueueSort.Atr, false) => q.OrderBy(s => s.AtrDeg).ThenBy(s => s.Id),
            (QueueSort.Atr, true) => q.OrderByDescending(s => s.AtrDeg).ThenByDescending(s => s.Id),
            (_, true) => q.OrderByDescending(s => s.Priority).ThenByDescending(s => s.CapturedAtUtc).ThenByDescending(s => s.Id),
            _ => q.OrderBy(s => s.Priority).ThenBy(s => s.CapturedAtUtc).ThenBy(s => s.Id),
        };
        var size = Math.Clamp(query.PageSize, 1, 100);
        return ordered.Skip(Math.Max(0, query.Page) * size).Take(size).Select(s => s.Id).ToListAsync(ct);
    }

    /// <summary>The queue's filters on the clinician's programme: current screenings only (a superseded one is reached from the one that replaced it).</summary>
    private IQueryable<Screening> Filtered(ClinicianScope scope, QueueQuery query)
    {
        var q = db.Screenings.AsNoTracking().Where(s => s.ProgrammeId == scope.ProgrammeId && !s.Superseded);
        if (query.SchoolId is { } school)
        {
            q = q.Where(s => s.SchoolId == school);
        }

        if (query.Reviewed is { } reviewed)
        {
            q = q.Where(s => s.Reviewed == reviewed);
        }

        if (query.Category is { } category)
        {
            // Priority is the database's function of the category in force and is in every queue index.
            var p = ScreeningCategories.PriorityOf(category);
            q = q.Where(s => s.Priority == p);
        }

        if (query.From is { } from)
        {
            var f = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(s => s.CapturedAtUtc >= f);
        }

        if (query.To is { } to)
        {
            var t = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(s => s.CapturedAtUtc < t);
        }

        return q;
    }

    /// <summary>One screening in full, or null when it is not in the clinician's programme. Audited as a view.</summary>
    public async Task<ScreeningDetail?> DetailAsync(ClinicianScope scope, long id, CancellationToken ct, string action = AuditLog.View)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var s = await db.Screenings.AsNoTracking().Include(x => x.School).Include(x => x.Payload)
            .FirstOrDefaultAsync(x => x.Id == id && x.ProgrammeId == scope.ProgrammeId, ct).ConfigureAwait(false);
        if (s is null)
        {
            return null;
        }

        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == scope.ProgrammeId, ct).ConfigureAwait(false);
        var links = await db.ParentLinks.AsNoTracking().Where(l => l.ScreeningId == id).OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.CreatedAtUtc, l.ExpiresAtUtc, l.RevokedAtUtc }).ToListAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(scope.Actor, action, scope.ProgrammeId, id, null, ct).ConfigureAwait(false);
        var auditRows = await db.AuditEntries.AsNoTracking().Where(a => a.ScreeningId == id).OrderByDescending(a => a.Id).Take(50)
            .Select(a => new { a.AtUtc, a.Actor, a.Action, a.Detail }).ToListAsync(ct).ConfigureAwait(false);

        // The same child's screening before this one (same pseudonym, same programme), to show the change.
        var previousRow = await OfChild(scope, s.PupilPseudonym)
            .Where(x => x.CapturedAtUtc < s.CapturedAtUtc || (x.CapturedAtUtc == s.CapturedAtUtc && x.Id < s.Id))
            .OrderByDescending(x => x.CapturedAtUtc).ThenByDescending(x => x.Id)
            .Select(AsTimelineRow).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var previous = previousRow is null ? null : ToPoint(previousRow);

        // Screen again: the screening this one replaced, and the one that replaced this (both stay reachable).
        var supersedesId = s.SupersedesReportId is { } earlierId
            ? await db.Screenings.AsNoTracking().Where(x => x.ReportId == earlierId && x.ProgrammeId == scope.ProgrammeId).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            : null;
        var supersededById = s.Superseded
            ? await db.Screenings.AsNoTracking().Where(x => x.SupersedesReportId == s.ReportId && x.ProgrammeId == scope.ProgrammeId && x.PupilPseudonym == s.PupilPseudonym)
                .OrderBy(x => x.Id).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            : null;
        var stored = StoredReport.Read(s.Payload!.Body);
        return new ScreeningDetail(
            s.Id, s.ReportId, s.SchoolId, s.School!.Name, s.DeviceId, s.PupilPseudonym, s.AgeMonths, (Sex)s.Sex, s.Grade,
            ToOffset(s.CapturedAtUtc, s.CapturedOffsetMinutes), new DateTimeOffset(s.ReceivedAtUtc),
            (ScreeningCategory)s.DeviceCategory, (ScreeningCategory)s.AssessedCategory, s.InForce(), s.Reviewed,
            s.ReviewedAtUtc is { } r ? new DateTimeOffset(r) : null, s.ReviewedBy, s.ReviewNote, s.XrayCobbDeg, s.XrayDate,
            stored.Analysis,
            stored.DepthMap,
            programme.Thresholds(),
            [.. links.Select(l => new ParentLinkRow(l.Id, new DateTimeOffset(l.CreatedAtUtc), new DateTimeOffset(l.ExpiresAtUtc), l.RevokedAtUtc is { } v ? new DateTimeOffset(v) : null))],
            [.. auditRows.Select(a => new AuditRow(new DateTimeOffset(a.AtUtc), a.Actor, a.Action, a.Detail))],
            stored.ForwardBendDepthMap,
            previous,
            supersedesId,
            supersededById);
    }

    /// <summary>The longest review note.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>Confirms or overrides the server's category; a changed category needs a note.</summary>
    public async Task<bool> ReviewAsync(ClinicianScope scope, long id, ScreeningCategory category, string? note, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!Enum.IsDefined(category))
        {
            throw new ArgumentException("Unknown category.", nameof(category));
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim().ReplaceLineEndings("\n");
        if (TextRules.Problem(note, MaxNoteLength, lineBreaks: true) is { } problem)
        {
            throw new ArgumentException("The note: " + problem, nameof(note));
        }

        var s = await db.Screenings.FirstOrDefaultAsync(x => x.Id == id && x.ProgrammeId == scope.ProgrammeId, ct).ConfigureAwait(false);
        if (s is null)
        {
            return false;
        }

        if ((int)category != s.AssessedCategory && note is null)
        {
            throw new ArgumentException("Changing the category needs a note saying why.", nameof(note));
        }

        var previous = s.InForce();
        s.ReviewedCategory = (int)category;
        s.ReviewedAtUtc = time.GetUtcNow().UtcDateTime;
        s.ReviewedBy = scope.Actor;
        s.ReviewNote = note;
        var verb = (int)category == s.AssessedCategory ? "confirmed" : "overrode";
        audit.Add(scope.Actor, AuditLog.Review, scope.ProgrammeId, id, $"{verb} {previous.ToWire()} -> {category.ToWire()}: {note}");
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records the X-ray outcome of a referred child.</summary>
    public async Task<bool> RecordOutcomeAsync(ClinicianScope scope, long id, double xrayCobbDeg, DateOnly xrayDate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!double.IsFinite(xrayCobbDeg) || xrayCobbDeg is < 0 or > 150)
        {
            throw new ArgumentOutOfRangeException(nameof(xrayCobbDeg), "The radiographic Cobb angle must be 0 to 150 degrees.");
        }

        var s = await db.Screenings.FirstOrDefaultAsync(x => x.Id == id && x.ProgrammeId == scope.ProgrammeId, ct).ConfigureAwait(false);
        if (s is null)
        {
            return false;
        }

        const int Refer = (int)ScreeningCategory.Refer;
        if (s.ReviewedCategory != Refer && s.AssessedCategory != Refer && s.DeviceCategory != Refer)
        {
            throw new InvalidOperationException("Outcomes are recorded for referred children.");
        }

        // Dates are the school's calendar days: the screening's own UTC offset, not the server's.
        var offset = TimeSpan.FromMinutes(s.CapturedOffsetMinutes);
        var today = LocalToday(offset);
        var screened = DateOnly.FromDateTime(new DateTimeOffset(s.CapturedAtUtc).ToOffset(offset).DateTime);
        if (xrayDate > today)
        {
            throw new ArgumentOutOfRangeException(nameof(xrayDate), FormattableString.Invariant($"The X-ray date {xrayDate:yyyy-MM-dd} is in the future: enter the day the X-ray was taken (today, {today:yyyy-MM-dd}, at the latest)."));
        }

        if (xrayDate < screened)
        {
            throw new ArgumentOutOfRangeException(nameof(xrayDate), FormattableString.Invariant($"The X-ray date {xrayDate:yyyy-MM-dd} is before the screening ({screened:yyyy-MM-dd}): enter the day the X-ray was taken."));
        }

        s.XrayCobbDeg = xrayCobbDeg;
        s.XrayDate = xrayDate;
        audit.Add(scope.Actor, AuditLog.Outcome, scope.ProgrammeId, id, FormattableString.Invariant($"X-ray Cobb {xrayCobbDeg:0.#} deg on {xrayDate:yyyy-MM-dd}"));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Today's date at a UTC offset (a school's): the latest date an X-ray outcome may carry.</summary>
    public DateOnly LocalToday(TimeSpan offset) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(offset).DateTime);

    /// <summary>Revokes a parent link of a screening in the clinician's programme.</summary>
    public async Task<bool> RevokeParentLinkAsync(ClinicianScope scope, long linkId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var link = await db.ParentLinks.Include(l => l.Screening)
            .FirstOrDefaultAsync(l => l.Id == linkId && l.Screening!.ProgrammeId == scope.ProgrammeId, ct).ConfigureAwait(false);
        if (link is null)
        {
            return false;
        }

        link.RevokedAtUtc ??= time.GetUtcNow().UtcDateTime;
        audit.Add(scope.Actor, AuditLog.RevokeLink, scope.ProgrammeId, link.ScreeningId, $"link {linkId}");
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Every current screening of the same pseudonym in the programme, oldest first. Audited.</summary>
    public async Task<List<TimelinePoint>> TimelineAsync(ClinicianScope scope, string pseudonym, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var rows = await OfChild(scope, pseudonym).OrderBy(s => s.CapturedAtUtc).ThenBy(s => s.Id).Select(AsTimelineRow).ToListAsync(ct).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            await audit.WriteAsync(scope.Actor, AuditLog.Timeline, scope.ProgrammeId, rows[^1].Id, $"{rows.Count} screenings", ct).ConfigureAwait(false);
        }

        return [.. rows.Select(ToPoint)];
    }

    /// <summary>Every current screening of one child in the programme (the pseudonym index serves it); screened-again ones are left out.</summary>
    private IQueryable<Screening> OfChild(ClinicianScope scope, string pseudonym) =>
        db.Screenings.AsNoTracking().Where(s => s.ProgrammeId == scope.ProgrammeId && s.PupilPseudonym == pseudonym && !s.Superseded);

    /// <summary>What the timeline reads of a screening.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Screening, TimelineRow>> AsTimelineRow = s =>
        new TimelineRow(s.Id, s.CapturedAtUtc, s.CapturedOffsetMinutes, s.AgeMonths, s.ReviewedCategory, s.AssessedCategory,
            s.LargestCobbDeg, s.LargestCobbLower90Deg, s.LargestCobbUpper90Deg, s.AtrDeg, s.XrayCobbDeg);

    private static TimelinePoint ToPoint(TimelineRow r) =>
        new(r.Id, ToOffset(r.CapturedAtUtc, r.CapturedOffsetMinutes), r.AgeMonths, ScreeningCategories.InForce(r.ReviewedCategory, r.AssessedCategory),
            r.LargestCobbDeg, r.AtrDeg, r.XrayCobbDeg, Interval(r.LargestCobbLower90Deg, r.LargestCobbUpper90Deg));

    private sealed record TimelineRow(long Id, DateTime CapturedAtUtc, int CapturedOffsetMinutes, int AgeMonths, int? ReviewedCategory, int AssessedCategory,
        double? LargestCobbDeg, double? LargestCobbLower90Deg, double? LargestCobbUpper90Deg, double? AtrDeg, double? XrayCobbDeg);

    private static CobbInterval? Interval(double? lower, double? upper) => lower is { } l && upper is { } u ? new CobbInterval(l, u) : null;

    /// <summary>Per school: screened, referred, referral rate, and the positive predictive value once outcomes exist.</summary>
    public async Task<List<SchoolStatistics>> StatisticsAsync(ClinicianScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var referPriority = ScreeningCategories.PriorityOf(ScreeningCategory.Refer);
        var groups = await db.Screenings.AsNoTracking()
            .Where(s => s.ProgrammeId == scope.ProgrammeId && !s.Superseded)
            .GroupBy(s => s.SchoolId)
            .Select(g => new
            {
                SchoolId = g.Key,
                Screened = g.Count(),
                Referred = g.Count(s => s.Priority == referPriority),
                // An outcome is recorded only for a child referred at some point (by the device, the server or a clinician),
                // so every outcome counts, an overridden screening's too.
                Outcomes = g.Count(s => s.XrayCobbDeg != null),
                Confirmed = g.Count(s => s.XrayCobbDeg >= ConfirmedCurveDeg),
            })
            .ToListAsync(ct).ConfigureAwait(false);
        var schools = await SchoolsAsync(scope, ct).ConfigureAwait(false);
        return [.. schools.Select(s =>
        {
            var g = groups.FirstOrDefault(x => x.SchoolId == s.Id);
            var screened = g?.Screened ?? 0;
            var referred = g?.Referred ?? 0;
            var outcomes = g?.Outcomes ?? 0;
            var confirmed = g?.Confirmed ?? 0;
            return new SchoolStatistics(s.Id, s.Name, screened, referred, screened == 0 ? 0 : (double)referred / screened, outcomes, confirmed,
                outcomes == 0 ? null : (double)confirmed / outcomes);
        })];
    }

    private static DateTimeOffset ToOffset(DateTime utc, int offsetMinutes) =>
        new DateTimeOffset(utc).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
}
