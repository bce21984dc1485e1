using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SpineScan.Web.Services;

namespace SpineScan.Web.Api;

/// <summary>The <c>SignIn</c> section: how many wrong passwords, from where, before sign-in is refused for a while.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary>Wrong passwords for one account from one address per window.</summary>
    [Range(1, 1000)]
    public int FailuresPerAccountAndAddress { get; set; } = 5;

    /// <summary>Wrong passwords from one address per window, over all accounts.</summary>
    [Range(1, 10_000)]
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>Wrong passwords for one account per window, over all addresses (a wide net: a botnet's guesses).</summary>
    [Range(1, 100_000)]
    public int FailuresPerAccount { get; set; } = 100;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 900;
}

/// <summary>
/// Throttles wrong passwords by account and address, by address and by account, instead of Identity's account lockout:
/// someone guessing from one address cannot lock the clinician out elsewhere. Unknown and known accounts are counted
/// alike, so the answer tells nobody which exist.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInThrottleOptions> options) : IDisposable
{
    private readonly FailureLimiter _pair = new(options.Value.FailuresPerAccountAndAddress, TimeSpan.FromSeconds(options.Value.WindowSeconds));
    private readonly FailureLimiter _address = new(options.Value.FailuresPerAddress, TimeSpan.FromSeconds(options.Value.WindowSeconds));
    private readonly FailureLimiter _account = new(options.Value.FailuresPerAccount, TimeSpan.FromSeconds(options.Value.WindowSeconds));

    /// <summary>True while this account may still be tried from this address.</summary>
    public bool IsAllowed(string account, string address) =>
        _pair.IsAllowed(Pair(account, address)) && _address.IsAllowed(address) && _account.IsAllowed(Normalize(account));

    /// <summary>Counts one wrong password.</summary>
    public void RecordFailure(string account, string address)
    {
        _pair.RecordFailure(Pair(account, address));
        _address.RecordFailure(address);
        _account.RecordFailure(Normalize(account));
    }

    public void Dispose()
    {
        _pair.Dispose();
        _address.Dispose();
        _account.Dispose();
    }

    private static string Normalize(string account) => account.Trim().ToUpperInvariant();

    private static string Pair(string account, string address) => Normalize(account) + "\n" + address;
}
