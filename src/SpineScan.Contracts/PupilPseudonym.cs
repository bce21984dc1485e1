using System.Security.Cryptography;
using System.Text;

namespace SpineScan.Contracts;

/// <summary>
/// The pupil pseudonym: lowercase hex HMAC-SHA256 of the normalized pupil number under the programme key
/// held on the devices. Same child, same pseudonym, every year, every device of the programme.
/// </summary>
public static class PupilPseudonym
{
    /// <summary>Length of a pseudonym in hex characters.</summary>
    public const int Length = 64;

    /// <summary>The smallest programme key accepted, in bytes.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>Computes the pseudonym of a pupil number.</summary>
    /// <param name="programmeKey">The programme's secret key, at least <see cref="MinKeyBytes"/> bytes.</param>
    /// <param name="pupilNumber">The pupil number; surrounding white space is ignored and letters are upper-cased (invariant).</param>
    /// <returns>64 lowercase hex characters.</returns>
    public static string Compute(ReadOnlySpan<byte> programmeKey, string pupilNumber)
    {
        ArgumentNullException.ThrowIfNull(pupilNumber);
        if (programmeKey.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The programme key must have at least {MinKeyBytes} bytes.", nameof(programmeKey));
        }

        var normalized = Normalize(pupilNumber);
        if (normalized.Length == 0)
        {
            throw new ArgumentException("The pupil number is empty.", nameof(pupilNumber));
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(programmeKey, Encoding.UTF8.GetBytes(normalized), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>True when <paramref name="value"/> has the shape of a pseudonym (64 lowercase hex characters).</summary>
    /// <param name="value">The candidate.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsWellFormed(string? value) => value is { Length: Length } && IsLowerHex(value);

    /// <summary>The normalization applied before hashing: trimmed, upper-cased with the invariant culture.</summary>
    /// <param name="pupilNumber">The pupil number.</param>
    /// <returns>The normalized form.</returns>
    public static string Normalize(string pupilNumber) => pupilNumber.Trim().ToUpperInvariant();

    internal static bool IsLowerHex(string value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
