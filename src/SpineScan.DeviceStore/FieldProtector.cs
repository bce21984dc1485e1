using System.Security.Cryptography;
using System.Text;

namespace SpineScan.DeviceStore;

/// <summary>
/// Encrypts the roster's identifiers (names, pupil numbers, dates of birth) and the parent-link tokens for the store:
/// AES-256-GCM with a fresh 96-bit nonce per value, the column's name as associated data (a value copied into another
/// column does not open), and the text <c>enc1:</c> + base64(nonce, ciphertext, tag). Pupil numbers also get a blind
/// index (HMAC-SHA256 under a second key) so that a roster's uniqueness and a scanned code can be checked without
/// decrypting every row. Both keys are derived (HKDF-SHA256) from the 256-bit store key the device keeps beside,
/// never inside, the database.
/// </summary>
public sealed class FieldProtector
{
    /// <summary>Bytes of the store key.</summary>
    public const int KeyBytes = 32;

    private const string Prefix = "enc1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _indexKey;

    /// <exception cref="ArgumentException">The key is not <see cref="KeyBytes"/> long.</exception>
    public FieldProtector(ReadOnlySpan<byte> storeKey)
    {
        if (storeKey.Length != KeyBytes)
        {
            throw new ArgumentException($"The store key must be {KeyBytes} bytes.", nameof(storeKey));
        }

        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, storeKey.ToArray(), KeyBytes, info: "spinescan.device-store.fields/1"u8.ToArray());
        _indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, storeKey.ToArray(), KeyBytes, info: "spinescan.device-store.index/1"u8.ToArray());
    }

    /// <summary>True when <paramref name="stored"/> is a value this class wrote (not a legacy plain one).</summary>
    public static bool IsProtected(string? stored) => stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The value encrypted for the column <paramref name="column"/>.</summary>
    public string Protect(string plain, string column)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var text = Encoding.UTF8.GetBytes(plain);
        var sealedValue = new byte[NonceBytes + text.Length + TagBytes];
        var nonce = sealedValue.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_encryptionKey, TagBytes))
        {
            aes.Encrypt(nonce, text, sealedValue.AsSpan(NonceBytes, text.Length), sealedValue.AsSpan(NonceBytes + text.Length), Encoding.UTF8.GetBytes(column));
        }

        return Prefix + Convert.ToBase64String(sealedValue);
    }

    /// <summary>The plain value; a value stored before encryption was introduced is returned as it is.</summary>
    /// <exception cref="DeviceStoreException">The value does not open under this key (another device's key, or damaged).</exception>
    public string Unprotect(string stored, string column)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsProtected(stored))
        {
            return stored;
        }

        try
        {
            var sealedValue = Convert.FromBase64String(stored[Prefix.Length..]);
            var length = sealedValue.Length - NonceBytes - TagBytes;
            if (length < 0)
            {
                throw new FormatException("too short");
            }

            var text = new byte[length];
            using (var aes = new AesGcm(_encryptionKey, TagBytes))
            {
                aes.Decrypt(sealedValue.AsSpan(0, NonceBytes), sealedValue.AsSpan(NonceBytes, length), sealedValue.AsSpan(NonceBytes + length), text, Encoding.UTF8.GetBytes(column));
            }

            return Encoding.UTF8.GetString(text);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new DeviceStoreException(
                $"A stored {column} does not open with this data folder's key (keys/store.key): the key file was replaced or the database comes from another device. Restore the data folder's own keys/ folder; nothing was changed.",
                ex);
        }
    }

    /// <summary>The blind index of a value (lowercase hex HMAC-SHA256): equal values, equal indexes; nothing else is learnt.</summary>
    public string Index(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(value)));
    }
}
