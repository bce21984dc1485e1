using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Device.Roster;
using SpineScan.Device.Screening;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;
using SpineScan.DeviceStore;

namespace SpineScan.Device.Sessions;

/// <summary>
/// Sessions and their rosters: opening a session, importing a class roster (all or nothing), finding pupils, and each
/// pupil's consent, recorded once and changed only by an explicit, audited act.
/// </summary>
public sealed class SessionRoster(LocalStore store, PendingStandings pending, TimeProvider time)
{
    private const int MaxRosterBytes = 5 * 1024 * 1024;

    public async Task<ScreeningSessionInfo> OpenSessionAsync(string schoolCode, string className, string operatorName, CancellationToken cancellationToken)
    {
        schoolCode = RequireText(schoolCode, "school code", 32).Trim();
        className = RequireText(className, "class", 16).Trim();
        operatorName = RequireText(operatorName, "operator", 100).Trim();
        if (!schoolCode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new StationInputException($"The school code '{schoolCode}' may hold only letters, digits, '-', '_' and '.'. Use the code the programme gave the school.");
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = new SessionRow { SchoolCode = schoolCode, ClassName = className, OperatorName = operatorName, OpenedAt = time.GetUtcNow() };
        await store.WriteAsync(
            async db =>
            {
                db.Sessions.Add(row);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Audit.Add(LocalStore.Audit(time, "session_opened", FormattableString.Invariant($"session {row.Id}, school {schoolCode}")));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return ToInfo(row);
    }

    public async Task<ScreeningSessionInfo?> GetCurrentSessionAsync(CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var db = store.CreateContext();
        var row = await db.Sessions.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToInfo(row);
    }

    /// <summary>A session by id.</summary>
    /// <exception cref="StationInputException">There is no such session.</exception>
    public async Task<SessionRow> SessionAsync(long sessionId, CancellationToken cancellationToken)
    {
        await using var db = store.CreateContext();
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken).ConfigureAwait(false)
            ?? throw new StationInputException("The pupil's session no longer exists. Open a session first.");
    }

    public async Task<RosterImportResult> ImportRosterAsync(long sessionId, Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxRosterBytes)
            {
                return new RosterImportResult(0, [new RosterRowError(1, "file", "The roster file is larger than 5 MB. Import one class at a time.")]);
            }

            buffer.Write(chunk, 0, read);
        }

        await using var db = store.CreateContext();
        if (!await db.Sessions.AnyAsync(s => s.Id == sessionId, cancellationToken).ConfigureAwait(false))
        {
            throw new StationInputException("There is no such session. Open a session before importing its roster.");
        }

        // The numbers are encrypted at rest: the session's roster is read (and decrypted) to find repeats.
        var existing = await db.Pupils.AsNoTracking().Where(p => p.SessionId == sessionId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var parsed = RosterCsvParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), [.. existing.Select(p => p.PupilNumber)], DateOnly.FromDateTime(time.GetLocalNow().DateTime));
        if (!parsed.Succeeded)
        {
            return new RosterImportResult(0, parsed.Errors);
        }

        var order = existing.Count == 0 ? 0 : existing.Max(p => p.RosterOrder);
        await store.WriteAsync(
            async write =>
            {
                await using var transaction = await write.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                foreach (var pupil in parsed.Pupils)
                {
                    write.Pupils.Add(new PupilRow
                    {
                        SessionId = sessionId,
                        RosterOrder = ++order,
                        PupilNumber = pupil.PupilNumber,
                        PupilNumberKey = store.Database.PupilNumberKey(pupil.PupilNumber),
                        Name = pupil.Name,
                        Sex = (int)pupil.Sex,
                        DateOfBirth = pupil.DateOfBirth,
                        ClassName = pupil.ClassName,
                    });
                }

                write.Audit.Add(LocalStore.Audit(time, "roster_imported", FormattableString.Invariant($"session {sessionId}, {parsed.Pupils.Count} pupils")));
                await write.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new RosterImportResult(parsed.Pupils.Count, []);
    }

    public async Task<IReadOnlyList<PupilEntry>> FindPupilsAsync(long sessionId, string? search, CancellationToken cancellationToken)
    {
        var pupils = await LoadAsync(sessionId, null, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(search))
        {
            return pupils;
        }

        var term = search.Trim();
        return [.. pupils.Where(p => p.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || p.PupilNumber.Contains(term, StringComparison.OrdinalIgnoreCase))];
    }

    public async Task<PupilEntry?> FindByCodeAsync(long sessionId, string code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var key = store.Database.PupilNumberKey(code);
        await using var db = store.CreateContext();
        var id = await db.Pupils.Where(p => p.SessionId == sessionId && p.PupilNumberKey == key).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return id is { } pupilId ? await PupilAsync(pupilId, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<PupilEntry?> NextPupilAsync(long sessionId, long? afterPupilId, CancellationToken cancellationToken)
    {
        var pupils = await LoadAsync(sessionId, null, cancellationToken).ConfigureAwait(false);
        var from = afterPupilId is { } after ? pupils.FindIndex(p => p.Id == after) + 1 : 0;
        bool Due(PupilEntry p) => p.Progress != PupilProgress.Screened && p.Consent != ConsentState.Refused;

        // After the current pupil first, then from the top for one passed over earlier.
        return pupils.Skip(from).FirstOrDefault(Due) ?? pupils.Take(from).FirstOrDefault(p => Due(p) && p.Id != afterPupilId);
    }

    /// <summary>One pupil as the kiosk lists them.</summary>
    /// <exception cref="StationInputException">There is no such pupil.</exception>
    public async Task<PupilEntry> PupilAsync(long pupilId, CancellationToken cancellationToken)
    {
        var row = await PupilRowAsync(pupilId, cancellationToken).ConfigureAwait(false);
        return (await LoadAsync(row.SessionId, pupilId, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>A pupil's roster row (with its identifiers decrypted).</summary>
    /// <exception cref="StationInputException">There is no such pupil.</exception>
    public async Task<PupilRow> PupilRowAsync(long pupilId, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var db = store.CreateContext();
        return await db.Pupils.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pupilId, cancellationToken).ConfigureAwait(false)
            ?? throw new StationInputException("There is no such pupil on the roster. Pick the pupil from the session's list.");
    }

    /// <summary>The consent decision in force for a pupil.</summary>
    public async Task<ConsentState> ConsentAsync(long pupilId, CancellationToken cancellationToken)
    {
        await using var db = store.CreateContext();
        var state = await db.Consents.Where(c => c.PupilId == pupilId).OrderByDescending(c => c.Id).Select(c => (int?)c.State)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return (ConsentState)(state ?? (int)ConsentState.NotRecorded);
    }

    public async Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken)
    {
        await PupilRowAsync(pupilId, cancellationToken).ConfigureAwait(false);
        var wanted = consentGiven ? ConsentState.Given : ConsentState.Refused;
        var current = await ConsentAsync(pupilId, cancellationToken).ConfigureAwait(false);
        if (current == wanted)
        {
            return await PupilAsync(pupilId, cancellationToken).ConfigureAwait(false);
        }

        if (current != ConsentState.NotRecorded)
        {
            throw new StationInputException(current == ConsentState.Refused
                ? "Consent for this pupil is already recorded as refused, and a refusal holds. If the parent has since given consent, use 'Change consent' (it is written to the audit log)."
                : "Consent for this pupil is already recorded as given. If the parent has withdrawn it, use 'Change consent' (it is written to the audit log).");
        }

        await WriteConsentAsync(pupilId, wanted, isChange: false, "consent_recorded", FormattableString.Invariant($"pupil {pupilId}: {Name(wanted)}"), cancellationToken).ConfigureAwait(false);
        return await PupilAsync(pupilId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PupilEntry> ChangeConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken)
    {
        await PupilRowAsync(pupilId, cancellationToken).ConfigureAwait(false);
        var wanted = consentGiven ? ConsentState.Given : ConsentState.Refused;
        var current = await ConsentAsync(pupilId, cancellationToken).ConfigureAwait(false);
        if (current == ConsentState.NotRecorded)
        {
            throw new StationInputException("No consent decision is recorded for this pupil yet: record it first.");
        }

        if (current == wanted)
        {
            throw new StationInputException($"Consent is already recorded as {Name(wanted)}: nothing to change.");
        }

        await WriteConsentAsync(pupilId, wanted, isChange: true, "consent_changed", FormattableString.Invariant($"pupil {pupilId}: {Name(current)} -> {Name(wanted)}"), cancellationToken).ConfigureAwait(false);
        return await PupilAsync(pupilId, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteConsentAsync(long pupilId, ConsentState state, bool isChange, string action, string detail, CancellationToken cancellationToken)
    {
        await store.WriteAsync(
            async db =>
            {
                db.Consents.Add(new ConsentRow { PupilId = pupilId, State = (int)state, RecordedAt = time.GetUtcNow(), IsChange = isChange });
                db.Audit.Add(LocalStore.Audit(time, action, detail));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (state != ConsentState.Given)
        {
            pending.Drop(pupilId);
        }
    }

    private async Task<List<PupilEntry>> LoadAsync(long sessionId, long? onlyPupil, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var db = store.CreateContext();
        var pupils = await db.Pupils.AsNoTracking().Where(p => p.SessionId == sessionId && (onlyPupil == null || p.Id == onlyPupil))
            .OrderBy(p => p.RosterOrder).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = pupils.Select(p => p.Id).ToList();
        var consents = (await db.Consents.AsNoTracking().Where(c => ids.Contains(c.PupilId)).OrderBy(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(c => c.PupilId).ToDictionary(g => g.Key, g => (ConsentState)g.Last().State);

        // The current screening of each pupil: a superseded one is still stored, but no longer the pupil's result.
        var screenings = (await db.Screenings.AsNoTracking().Where(s => ids.Contains(s.PupilId) && s.SupersededAt == null).OrderBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.PupilId).ToDictionary(g => g.Key, g => g.Last());
        return [.. pupils.Select(p =>
        {
            var screening = screenings.GetValueOrDefault(p.Id);
            var progress = pending.Holds(p.Id) ? PupilProgress.StandingCaptured : screening is not null ? PupilProgress.Screened : PupilProgress.Waiting;
            return new PupilEntry(p.Id, p.PupilNumber, p.Name, (Sex)p.Sex, p.DateOfBirth, p.ClassName, consents.GetValueOrDefault(p.Id), progress, screening?.Id, screening?.Category);
        })];
    }

    private Task OpenAsync(CancellationToken cancellationToken) => store.OpenAsync(sweepOrphans: true, cancellationToken);

    private static string Name(ConsentState state) => state switch
    {
        ConsentState.Given => "given",
        ConsentState.Refused => "refused",
        _ => "not recorded",
    };

    private static ScreeningSessionInfo ToInfo(SessionRow row) => new(row.Id, row.SchoolCode, row.ClassName, row.OperatorName, row.OpenedAt);

    private static string RequireText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            throw new StationInputException(FormattableString.Invariant($"The {field} is empty or longer than {maxLength} characters. Fill it in."));
        }

        return value;
    }
}
