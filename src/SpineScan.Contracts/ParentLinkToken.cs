using System.Security.Cryptography;
using System.Text;

namespace SpineScan.Contracts;

/// <summary>
/// Parent-link tokens: 256 random bits, base64url without padding (43 characters), put in the slip's
/// URL <c>/r/{token}</c>. The server stores only <see cref="Hash"/>.
/// </summary>
public static class ParentLinkToken
{
    /// <summary>Random bytes in a token (at least 128 bits are required; 256 are used).</summary>
    public const int RandomBytes = 32;

    /// <summary>Characters in a token.</summary>
    public const int Length = 43;

    /// <summary>Makes a new token from a cryptographic random source.</summary>
    /// <returns>The token.</returns>
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Lowercase hex SHA-256 of the token's ASCII text.</summary>
    /// <param name="token">The token.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
    }

    /// <summary>True when <paramref name="token"/> has a token's shape (base64url, <see cref="Length"/> characters).</summary>
    /// <param name="token">The candidate.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsWellFormed(string? token)
    {
        if (token is not { Length: Length })
        {
            return false;
        }

        foreach (var c in token)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="hash"/> has the shape of a token hash (64 lowercase hex characters).</summary>
    /// <param name="hash">The candidate.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsWellFormedHash(string? hash) => hash is { Length: 64 } && PupilPseudonym.IsLowerHex(hash);
}
