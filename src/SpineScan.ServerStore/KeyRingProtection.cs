using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace SpineScan.ServerStore;

/// <summary>
/// The key that encrypts the Data Protection key ring at rest (the ring sits in the database beside the data it
/// protects: sign-in cookies and antiforgery tokens). 32 random bytes in a file of mode 0600, made on first use.
/// </summary>
public sealed class KeyRingKey
{
    private KeyRingKey(byte[] key, string path)
    {
        Key = key;
        Path = path;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    internal byte[] Key { get; }

    /// <summary>Reads the key file, or creates it (mode 0600) when it does not exist.</summary>
    public static KeyRingKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && !OperatingSystem.IsWindows())
        {
            try
            {
                var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                using var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = ServerStoreServiceCollectionExtensions.PrivateFile,
                });
                using var writer = new StreamWriter(stream);
                writer.Write(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node or process made it first: read theirs.
            }
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            key = [];
        }

        if (key.Length != 32)
        {
            throw new InvalidOperationException($"The key-ring key file '{path}' must hold 32 bytes in base64.");
        }

        return new KeyRingKey(key, path);
    }
}

/// <summary>Encrypts each Data Protection key with AES-256-GCM under the <see cref="KeyRingKey"/>.</summary>
public sealed class KeyRingEncryptor(KeyRingKey key) : IXmlEncryptor
{
    internal const string Element = "spinescanEncryptedKey";

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[12 + 16 + plain.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Key, 16))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        }

        CryptographicOperations.ZeroMemory(plain);
        return new EncryptedXmlInfo(new XElement(Element, new XAttribute("alg", "A256GCM"), Convert.ToBase64String(sealedBytes)), typeof(KeyRingDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyRingEncryptor"/> wrote; Data Protection makes it with the service provider.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetRequiredService<KeyRingKey>();
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        if (sealedBytes.Length < 28)
        {
            throw new CryptographicException("The encrypted key is truncated.");
        }

        var plain = new byte[sealedBytes.Length - 28];
        using (var aes = new AesGcm(key.Key, 16))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        }

        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}
