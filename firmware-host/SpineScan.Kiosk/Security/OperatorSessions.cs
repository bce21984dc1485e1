using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace SpineScan.Kiosk.Security;

/// <summary>The kiosk's settings (section <c>Kiosk</c>).</summary>
public sealed class KioskOptions
{
    public const string Section = "Kiosk";

    /// <summary>Minutes without a tap after which the kiosk locks itself and asks for the passphrase again.</summary>
    public double IdleLockMinutes { get; set; } = 10;
}

/// <summary>
/// The signed-in operators' sessions, in memory only (a restarted kiosk asks for the passphrase again). A session is
/// named by 256 random bits held in the operator's cookie; it ends when the operator locks the kiosk or after
/// <see cref="KioskOptions.IdleLockMinutes"/> without activity. Each slip a session opens gets an address of its own
/// (128 random bits), valid for that session only: a slip cannot be fetched by counting, nor from another browser.
/// </summary>
public sealed class OperatorSessions(TimeProvider time, IOptions<KioskOptions> options)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>How long a session lasts without activity.</summary>
    public TimeSpan IdleLock => TimeSpan.FromMinutes(Math.Max(0.05, options.Value.IdleLockMinutes));

    /// <summary>Starts a session after a right passphrase; returns its id.</summary>
    public string Start()
    {
        var id = RandomId(32);
        _sessions[id] = new Session(time.GetUtcNow());
        return id;
    }

    /// <summary>True while the session is open (not locked, not idle too long).</summary>
    public bool IsActive(string? sessionId) => Find(sessionId) is not null;

    /// <summary>Counts an operator's action: the idle time starts again. False when the session has already ended.</summary>
    public bool Touch(string? sessionId)
    {
        if (Find(sessionId) is not { } session)
        {
            return false;
        }

        session.LastActivity = time.GetUtcNow();
        return true;
    }

    /// <summary>Ends a session (the operator locked the kiosk); its slip addresses stop working.</summary>
    public void End(string? sessionId)
    {
        if (sessionId is not null)
        {
            _sessions.TryRemove(sessionId, out _);
        }
    }

    /// <summary>The slip token of a screening for this session (the same one each time it is asked for); null when the session has ended.</summary>
    public string? SlipToken(string? sessionId, long screeningId) =>
        Find(sessionId) is { } session ? session.SlipTokens.GetOrAdd(screeningId, static _ => RandomId(16)) : null;

    /// <summary>The screening a slip token of this session names; null for any other token or session.</summary>
    public long? ResolveSlip(string? sessionId, string token)
    {
        if (Find(sessionId) is not { } session)
        {
            return null;
        }

        foreach (var (screeningId, known) in session.SlipTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(known), System.Text.Encoding.ASCII.GetBytes(token)))
            {
                return screeningId;
            }
        }

        return null;
    }

    private Session? Find(string? sessionId)
    {
        if (sessionId is null || !_sessions.TryGetValue(sessionId, out var session))
        {
            return null;
        }

        if (time.GetUtcNow() - session.LastActivity >= IdleLock)
        {
            _sessions.TryRemove(sessionId, out _);
            return null;
        }

        return session;
    }

    private static string RandomId(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class Session(DateTimeOffset started)
    {
        public DateTimeOffset LastActivity { get; set; } = started;

        public ConcurrentDictionary<long, string> SlipTokens { get; } = new();
    }
}
