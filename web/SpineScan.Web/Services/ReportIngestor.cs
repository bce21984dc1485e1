using System.Text.Json;
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

/// <summary>Stores device reports idempotently (the report id is the key) and registers parent links.</summary>
public sealed partial class ReportIngestor(SpineScanDbContext db, IMemoryCache cache, TimeProvider time, WriteGate writeGate, ILogger<ReportIngestor> logger)
{
    /// <summary>The longest a parent link may live.</summary>
    public static readonly TimeSpan MaxParentLinkLifetime = TimeSpan.FromDays(400);

    public async Task<IngestOutcome> IngestAsync(string deviceId, int programmeId, SyncReport report, string bodySha256, CancellationToken cancellationToken)
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
        if (report.ParentLink is { } link && (link.ExpiresAt <= now || link.ExpiresAt - now > MaxParentLinkLifetime))
        {
            return new IngestOutcome.Invalid([new ContractError("parentLink.expiresAt", "Must be in the future and within 400 days.")]);
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

        var analysis = report.Analysis;
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
            Category = (int)analysis.Category,
            Priority = ScreeningPriority.Of(analysis.Category),
            LargestCobbDeg = analysis.LargestCobbDeg,
            AtrDeg = analysis.Metrics.AtrDeg?.Value,
            QualityAccepted = analysis.Quality.Accepted,
            BodySha256 = bodySha256,
            Payload = new ScreeningPayload
            {
                AnalysisJson = JsonSerializer.Serialize(analysis, SpineScanJsonContext.Default.AnalysisResult),
                DepthMapJson = report.DepthMap is null ? null : JsonSerializer.Serialize(report.DepthMap, SpineScanJsonContext.Default.ReviewDepthMap),
            },
        };
        db.Screenings.Add(screening);
        if (report.ParentLink is { } parentLink)
        {
            db.ParentLinks.Add(new ParentLink
            {
                Screening = screening,
                TokenSha256 = parentLink.TokenSha256,
                CreatedAtUtc = now.UtcDateTime,
                ExpiresAtUtc = parentLink.ExpiresAt.UtcDateTime,
            });
        }

        try
        {
            using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
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

        LogStored(logger, report.ReportId, deviceId);
        return new IngestOutcome.Stored(new ReportAccepted(report.ReportId, new DateTimeOffset(screening.ReceivedAtUtc), Duplicate: false));
    }

    public async Task<IngestOutcome> RegisterParentLinkAsync(int programmeId, ParentLinkRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var errors = SyncReportValidator.Validate(registration);
        if (errors.Count > 0)
        {
            return new IngestOutcome.Invalid(errors);
        }

        var now = time.GetUtcNow();
        if (registration.ExpiresAt <= now || registration.ExpiresAt - now > MaxParentLinkLifetime)
        {
            return new IngestOutcome.Invalid([new ContractError("expiresAt", "Must be in the future and within 400 days.")]);
        }

        var screening = await db.Screenings.AsNoTracking()
            .Where(s => s.ReportId == registration.ReportId && s.ProgrammeId == programmeId)
            .Select(s => new { s.Id })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (screening is null)
        {
            return new IngestOutcome.NotFound("No such report from this programme; sync the report first.");
        }

        var known = await db.ParentLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenSha256 == registration.TokenSha256, cancellationToken).ConfigureAwait(false);
        if (known is not null)
        {
            return known.ScreeningId == screening.Id
                ? new IngestOutcome.Stored(new ReportAccepted(registration.ReportId, new DateTimeOffset(known.CreatedAtUtc), Duplicate: true))
                : new IngestOutcome.Conflict("The token hash is already registered for another report.");
        }

        db.ParentLinks.Add(new ParentLink
        {
            ScreeningId = screening.Id,
            TokenSha256 = registration.TokenSha256,
            CreatedAtUtc = now.UtcDateTime,
            ExpiresAtUtc = registration.ExpiresAt.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new IngestOutcome.Stored(new ReportAccepted(registration.ReportId, now, Duplicate: false));
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

    private sealed record ExistingReport(Guid ReportId, int ProgrammeId, string BodySha256, DateTime ReceivedAtUtc);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored report {ReportId} from device {DeviceId}")]
    private static partial void LogStored(ILogger logger, Guid reportId, string deviceId);
}

/// <summary>Queue order: refer first, then re-screen, retake, normal.</summary>
public static class ScreeningPriority
{
    public static int Of(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => 0,
        ScreeningCategory.Rescreen => 1,
        ScreeningCategory.Retake => 2,
        _ => 3,
    };
}
