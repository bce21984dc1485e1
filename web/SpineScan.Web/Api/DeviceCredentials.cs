using System.Security.Cryptography;
using System.Text;

namespace SpineScan.Web.Api;

/// <summary>
/// Device credentials: <c>{deviceId}.{secret}</c>, the secret 256 random bits in base64url. The server keeps
/// only SHA-256 of the secret (a fast hash is enough for a secret of that entropy).
/// </summary>
public static class DeviceCredentials
{
    /// <summary>Makes a credential for a device and the hash to store.</summary>
    public static (string Credential, string SecretSha256) Create(string deviceId)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{deviceId}.{secret}", HashSecret(secret));
    }

    /// <summary>Splits a credential at its last dot; false when it has no such shape.</summary>
    public static bool TryParse(string? credential, out string deviceId, out string secret)
    {
        deviceId = "";
        secret = "";
        if (string.IsNullOrEmpty(credential) || credential.Length > 256)
        {
            return false;
        }

        var dot = credential.LastIndexOf('.');
        if (dot <= 0 || dot == credential.Length - 1)
        {
            return false;
        }

        deviceId = credential[..dot];
        secret = credential[(dot + 1)..];
        return true;
    }

    /// <summary>Lowercase hex SHA-256 of the secret.</summary>
    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a secret with a stored hash in constant time.</summary>
    public static bool Matches(string secret, string storedSha256)
    {
        var actual = Encoding.ASCII.GetBytes(HashSecret(secret));
        var expected = Encoding.ASCII.GetBytes(storedSha256);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
