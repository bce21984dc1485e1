using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SpineScan.Contracts;
using SpineScan.ServerStore;

namespace SpineScan.Web.Services;

/// <summary>The result of one ingestion attempt.</summary>
public abstract record IngestOutcome
{
    public sealed record Stored(ReportAccepted Answer) : IngestOutcome;

    public sealed record Invalid(IReadOnlyList<ContractError> Errors) : IngestOutcome;

    public sealed record Forbidden(string Field, string Message) : IngestOutcome;

    public sealed record Conflict(string Message) : IngestOutcome;

    public sealed record NotFound(string Message) : IngestOutcome;
}

/// <summary>
/// Stores device reports idempotently (the report id is the key): exactly the bytes that arrived, with the category the
/// server decides from the metrics and the programme's thresholds. Registers parent links, with a report or on their own,
/// through one set of rules.
/// </summary>
public sealed partial class ReportIngestor(SpineScanDbContext db, IMemoryCache cache, TimeProvider time, ILogger<ReportIngestor> logger)
{
    /// <summary>The longest a parent link may live.</summary>
    public static readonly TimeSpan MaxParentLinkLifetime = TimeSpan.FromDays(400);

    /// <summary>The category the server gives an analysis under a programme's thresholds: retake when the capture failed a gate.</summary>
    public static ScreeningCategory Assess(AnalysisResult analysis, CategoryThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(thresholds);
        return analysis.Quality.Accepted
            ? thresholds.Categorize(analysis.Metrics.CobbDeg.Count > 0 ? analysis.Metrics.CobbDeg[0] : null, analysis.Metrics.AtrDeg?.Value)
            : ScreeningCategory.Retake;
    }

    /// <param name="deviceId">The authenticated device.</param>
    /// <param name="programmeId">The device's programme.</param>
    /// <param name="report">The report as read from <paramref name="body"/>.</param>
    /// <param name="body">The request body, stored byte for byte.</param>
    /// <param name="bodySha256">Lowercase hex SHA-256 of <paramref name="body"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IngestOutcome> IngestAsync(string deviceId, int programmeId, SyncReport report, ReadOnlyMemory<byte> body, string bodySha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var errors = SyncReportValidator.Validate(report);
        if (errors.Count > 0)
        {
            return new IngestOutcome.Invalid(errors);
        }

        if (!string.Equals(report.DeviceId, deviceId, StringComparison.Ordinal))
        {
            return new IngestOutcome.Forbidden("deviceId", "The report's deviceId is not the authenticated device.");
        }

        var now = time.GetUtcNow();
        if (report.ParentLink is { } link && ParentLinkProblem("parentLink.expiresAt", link.ExpiresAt, now) is { } linkProblem)
        {
            return new IngestOutcome.Invalid([linkProblem]);
        }

        var existing = await FindExistingAsync(report.ReportId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return Repeat(existing, programmeId, bodySha256);
        }

        // Whole milliseconds, so the first answer equals every repeat's on any provider (PostgreSQL keeps microseconds).
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var schoolId = await FindSchoolAsync(programmeId, report.SchoolCode, cancellationToken).ConfigureAwait(false);
        if (schoolId is null)
        {
            return new IngestOutcome.Invalid([new ContractError("schoolCode", "No such school in the device's programme.")]);
        }

        var (replaced, supersedesProblem) = await SupersededAsync(programmeId, report, cancellationToken).ConfigureAwait(false);
        if (supersedesProblem is not null)
        {
            return supersedesProblem;
        }

        var analysis = report.Analysis;
        var thresholds = await ThresholdsAsync(programmeId, cancellationToken).ConfigureAwait(false);
        var assessed = Assess(analysis, thresholds);
        var screening = new Screening
        {
            ReportId = report.ReportId,
            ProgrammeId = programmeId,
            SchoolId = schoolId.Value,
            DeviceId = deviceId,
            PupilPseudonym = report.PupilPseudonym,
            AgeMonths = report.AgeMonths,
            Sex = (int)report.Sex,
            Grade = report.Grade,
            CapturedAtUtc = report.CapturedAt.UtcDateTime,
            CapturedOffsetMinutes = (int)report.CapturedAt.Offset.TotalMinutes,
            ReceivedAtUtc = now.UtcDateTime,
            DeviceCategory = (int)analysis.Category,
            AssessedCategory = (int)assessed,
            LargestCobbDeg = analysis.LargestCobbDeg,
            LargestCobbLower90Deg = analysis.Metrics.CobbDeg.Count > 0 ? analysis.Metrics.CobbDeg[0].Interval90?.Lower : null,
            LargestCobbUpper90Deg = analysis.Metrics.CobbDeg.Count > 0 ? analysis.Metrics.CobbDeg[0].Interval90?.Upper : null,
            AtrDeg = analysis.Metrics.AtrDeg?.Value,
            QualityAccepted = analysis.Quality.Accepted,
            SupersedesReportId = report.Supersedes,

            // The device may sync a screen-again before the screening it replaces (or that one after a retry).
            Superseded = await ReplacedByLaterAsync(programmeId, report, cancellationToken).ConfigureAwait(false),
            BodySha256 = bodySha256,
            Payload = new ScreeningPayload { Body = body.ToArray() },
        };
        db.Screenings.Add(screening);
        if (replaced is not null)
        {
            replaced.Superseded = true;
        }

        if (report.ParentLink is { } parentLink)
        {
            var added = NewParentLink(parentLink.TokenSha256, parentLink.ExpiresAt, now);
            added.Screening = screening;
            db.ParentLinks.Add(added);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A concurrent repeat of the same report (or a reused parent-link hash): answer from what is stored.
            db.ChangeTracker.Clear();
            existing = await FindExistingAsync(report.ReportId, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return Repeat(existing, programmeId, bodySha256);
            }

            return new IngestOutcome.Conflict("The parent-link token hash is already registered.");
        }

        if (assessed != analysis.Category)
        {
            LogCategoryDisagrees(logger, report.ReportId, analysis.Category.ToWire(), assessed.ToWire());
        }

        LogStored(logger, report.ReportId, deviceId);
        return new IngestOutcome.Stored(new ReportAccepted(report.ReportId, new DateTimeOffset(screening.ReceivedAtUtc), Duplicate: false));
    }

    /// <summary>
    /// The stored screening a report replaces (tracked, to be marked superseded), null when it names none or that one has
    /// not arrived yet, or the 400 when it names itself or another child's screening: a device must not take another
    /// child's screening out of the queue.
    /// </summary>
    private async Task<(Screening? Earlier, IngestOutcome? Problem)> SupersededAsync(int programmeId, SyncReport report, CancellationToken cancellationToken)
    {
        if (report.Supersedes is not { } earlierId)
        {
            return (null, null);
        }

        if (earlierId == report.ReportId)
        {
            return (null, new IngestOutcome.Invalid([new ContractError("supersedes", "A report cannot supersede itself: name the earlier screening's report id, or leave supersedes out.")]));
        }

        var earlier = await db.Screenings.FirstOrDefaultAsync(s => s.ReportId == earlierId && s.ProgrammeId == programmeId, cancellationToken).ConfigureAwait(false);
        if (earlier is not null && !string.Equals(earlier.PupilPseudonym, report.PupilPseudonym, StringComparison.Ordinal))
        {
            return (null, new IngestOutcome.Invalid([new ContractError("supersedes", "The superseded report is another pupil's screening (its pseudonym differs): name the same pupil's earlier report id, or leave supersedes out.")]));
        }

        return (earlier, null);
    }

    /// <summary>True when a stored later screening of the same child already names this report as the one it replaces.</summary>
    private Task<bool> ReplacedByLaterAsync(int programmeId, SyncReport report, CancellationToken cancellationToken) =>
        db.Screenings.AsNoTracking().AnyAsync(
            s => s.SupersedesReportId == report.ReportId && s.ProgrammeId == programmeId && s.PupilPseudonym == report.PupilPseudonym,
            cancellationToken);

    public async Task<IngestOutcome> RegisterParentLinkAsync(int programmeId, ParentLinkRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var errors = SyncReportValidator.Validate(registration);
        if (errors.Count > 0)
        {
            return new IngestOutcome.Invalid(errors);
        }

        var now = time.GetUtcNow();
        if (ParentLinkProblem("expiresAt", registration.ExpiresAt, now) is { } problem)
        {
            return new IngestOutcome.Invalid([problem]);
        }

        var screening = await db.Screenings.AsNoTracking()
            .Where(s => s.ReportId == registration.ReportId && s.ProgrammeId == programmeId)
            .Select(s => new { s.Id })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (screening is null)
        {
            return new IngestOutcome.NotFound("No such report from this programme; sync the report first.");
        }

        var known = await KnownLinkAsync(screening.Id, registration, cancellationToken).ConfigureAwait(false);
        if (known is not null)
        {
            return known;
        }

        var link = NewParentLink(registration.TokenSha256, registration.ExpiresAt, now);
        link.ScreeningId = screening.Id;
        db.ParentLinks.Add(link);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same registration sent twice at once: answer as a repeat.
            db.ChangeTracker.Clear();
            return await KnownLinkAsync(screening.Id, registration, cancellationToken).ConfigureAwait(false)
                ?? new IngestOutcome.Conflict("The token hash could not be registered.");
        }

        return new IngestOutcome.Stored(new ReportAccepted(registration.ReportId, now, Duplicate: false));
    }

    /// <summary>The rule every parent link meets: it expires in the future and within <see cref="MaxParentLinkLifetime"/>.</summary>
    private static ContractError? ParentLinkProblem(string field, DateTimeOffset expiresAt, DateTimeOffset now) =>
        expiresAt <= now || expiresAt - now > MaxParentLinkLifetime ? new ContractError(field, "Must be in the future and within 400 days.") : null;

    /// <summary>The one way a parent link is made, with a report or on its own.</summary>
    private static ParentLink NewParentLink(string tokenSha256, DateTimeOffset expiresAt, DateTimeOffset now) =>
        new() { TokenSha256 = tokenSha256, CreatedAtUtc = now.UtcDateTime, ExpiresAtUtc = expiresAt.UtcDateTime };

    private async Task<IngestOutcome?> KnownLinkAsync(long screeningId, ParentLinkRegistration registration, CancellationToken cancellationToken)
    {
        var known = await db.ParentLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenSha256 == registration.TokenSha256, cancellationToken).ConfigureAwait(false);
        return known is null
            ? null
            : known.ScreeningId == screeningId
                ? new IngestOutcome.Stored(new ReportAccepted(registration.ReportId, new DateTimeOffset(known.CreatedAtUtc), Duplicate: true))
                : new IngestOutcome.Conflict("The token hash is already registered for another report.");
    }

    private static IngestOutcome Repeat(ExistingReport existing, int programmeId, string bodySha256)
    {
        if (existing.ProgrammeId != programmeId || !string.Equals(existing.BodySha256, bodySha256, StringComparison.Ordinal))
        {
            return new IngestOutcome.Conflict("This report id is already stored with different content.");
        }

        return new IngestOutcome.Stored(new ReportAccepted(existing.ReportId, new DateTimeOffset(existing.ReceivedAtUtc), Duplicate: true));
    }

    private Task<ExistingReport?> FindExistingAsync(Guid reportId, CancellationToken cancellationToken) =>
        db.Screenings.AsNoTracking()
            .Where(s => s.ReportId == reportId)
            .Select(s => new ExistingReport(s.ReportId, s.ProgrammeId, s.BodySha256, s.ReceivedAtUtc))
            .FirstOrDefaultAsync(cancellationToken);

    private async Task<int?> FindSchoolAsync(int programmeId, string schoolCode, CancellationToken cancellationToken)
    {
        var key = (nameof(FindSchoolAsync), programmeId, schoolCode);
        if (cache.TryGetValue(key, out int cached))
        {
            return cached;
        }

        var id = await db.Schools.AsNoTracking()
            .Where(s => s.ProgrammeId == programmeId && s.Code == schoolCode)
            .Select(s => (int?)s.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (id is not null)
        {
            cache.Set(key, id.Value, TimeSpan.FromMinutes(5));
        }

        return id;
    }

    /// <summary>The programme's thresholds, cached for a minute (an admin's change applies to reports after it).</summary>
    private async Task<CategoryThresholds> ThresholdsAsync(int programmeId, CancellationToken cancellationToken)
    {
        var key = (nameof(ThresholdsAsync), programmeId);
        if (cache.TryGetValue(key, out CategoryThresholds? cached) && cached is not null)
        {
            return cached;
        }

        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == programmeId, cancellationToken).ConfigureAwait(false);
        var thresholds = programme.Thresholds();
        cache.Set(key, thresholds, TimeSpan.FromMinutes(1));
        return thresholds;
    }

    private sealed record ExistingReport(Guid ReportId, int ProgrammeId, string BodySha256, DateTime ReceivedAtUtc);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored report {ReportId} from device {DeviceId}")]
    private static partial void LogStored(ILogger logger, Guid reportId, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId}: the device said {DeviceCategory}, its numbers and the programme's thresholds give {AssessedCategory}; stored with the server's category and flagged")]
    private static partial void LogCategoryDisagrees(ILogger logger, Guid reportId, string deviceCategory, string assessedCategory);
}
