using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SpineScan.Device.Storage;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Operators;

/// <summary>How a sign-in attempt went.</summary>
public enum SignInVerdict
{
    /// <summary>The passphrase is right.</summary>
    Accepted,

    /// <summary>The passphrase is wrong.</summary>
    Wrong,

    /// <summary>Too many wrong attempts: no attempt is checked until <see cref="SignInResult.RetryAfter"/>.</summary>
    LockedOut,

    /// <summary>No passphrase was set at install: nobody can sign in.</summary>
    NotSet,
}

/// <summary>A sign-in attempt's verdict, and how long to wait after a lockout.</summary>
public sealed record SignInResult(SignInVerdict Verdict, TimeSpan RetryAfter)
{
    public bool Accepted => Verdict == SignInVerdict.Accepted;
}

/// <summary>
/// The operator's passphrase (or PIN), set at install (<c>spinescan passphrase --data DIR</c>, read from standard input)
/// and kept only as a PBKDF2-SHA256 hash (600 000 iterations, 128-bit salt) in <c>keys/operator.passphrase</c> (0600).
/// Sign-in attempts are rate limited for the whole station: after <see cref="AttemptsBeforeLockout"/> wrong ones in a
/// row no attempt is checked for 30 s, doubling with each further lockout up to 15 minutes; a right one resets the count.
/// Every verdict is audited (without the passphrase).
/// </summary>
public sealed class OperatorPassphrase(DataFolder folder, LocalStore store, TimeProvider time) : IOperatorSignIn
{
    public const int MinLength = 6;
    public const int MaxLength = 256;
    public const int AttemptsBeforeLockout = 5;
    public const int DefaultIterations = 600_000;

    private static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestLockout = TimeSpan.FromMinutes(15);

    private readonly Lock _lock = new();
    private int _wrongInARow;
    private int _lockouts;
    private DateTimeOffset _lockedUntil = DateTimeOffset.MinValue;

    private string HashFile => folder.KeyFile(DataFolder.PassphraseFileName);

    /// <summary>True once a passphrase has been set for this data folder.</summary>
    public bool IsSet => File.Exists(HashFile);

    /// <summary>Sets (or replaces) the passphrase.</summary>
    /// <exception cref="StationInputException">Too short or too long.</exception>
    public async Task SetAsync(string passphrase, CancellationToken cancellationToken, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length < MinLength || passphrase.Length > MaxLength)
        {
            throw new StationInputException(FormattableString.Invariant($"The passphrase must have {MinLength} to {MaxLength} characters (a PIN of at least {MinLength} digits, or a phrase)."));
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);
        folder.Prepare();
        DataFolder.WriteOwnerOnly(HashFile, Encoding.ASCII.GetBytes(FormattableString.Invariant($"pbkdf2-sha256:{iterations}:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(hash)}\n")));
        await AuditAsync("operator_passphrase_set", "the operator passphrase was set", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a sign-in attempt (rate limited), and audits its verdict.</summary>
    public async Task<SignInResult> SignInAsync(string? passphrase, CancellationToken cancellationToken)
    {
        if (!IsSet)
        {
            return new SignInResult(SignInVerdict.NotSet, TimeSpan.Zero);
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (now < _lockedUntil)
            {
                return new SignInResult(SignInVerdict.LockedOut, _lockedUntil - now);
            }
        }

        var right = Matches(passphrase ?? string.Empty);
        SignInResult result;
        lock (_lock)
        {
            if (right)
            {
                _wrongInARow = 0;
                _lockouts = 0;
                result = new SignInResult(SignInVerdict.Accepted, TimeSpan.Zero);
            }
            else if (++_wrongInARow >= AttemptsBeforeLockout)
            {
                _wrongInARow = 0;
                var lockout = TimeSpan.FromTicks(Math.Min(LongestLockout.Ticks, FirstLockout.Ticks << Math.Min(_lockouts, 10)));
                _lockouts++;
                _lockedUntil = now + lockout;
                result = new SignInResult(SignInVerdict.LockedOut, lockout);
            }
            else
            {
                result = new SignInResult(SignInVerdict.Wrong, TimeSpan.Zero);
            }
        }

        await AuditAsync(
            result.Verdict switch { SignInVerdict.Accepted => "operator_signed_in", SignInVerdict.LockedOut => "operator_locked_out", _ => "operator_sign_in_refused" },
            result.Verdict == SignInVerdict.LockedOut ? FormattableString.Invariant($"locked for {result.RetryAfter.TotalSeconds:0} s") : "kiosk",
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Audits a sign-out or an idle lock.</summary>
    public Task SignedOutAsync(string why, CancellationToken cancellationToken) => AuditAsync("operator_signed_out", why, cancellationToken);

    private bool Matches(string passphrase)
    {
        var parts = File.ReadAllText(HashFile).Trim().Split(':');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            throw new StationStorageException($"The passphrase file '{HashFile}' is damaged. Set the passphrase again: spinescan passphrase --data {folder.Path}");
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private async Task AuditAsync(string action, string detail, CancellationToken cancellationToken)
    {
        await store.OpenAsync(sweepOrphans: false, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            async db =>
            {
                db.Audit.Add(LocalStore.Audit(time, action, detail));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
