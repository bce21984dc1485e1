using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using SpineScan.Contracts;
using SpineScan.ServerStore;

namespace SpineScan.Web.Services;

/// <summary>
/// The programmes' pupil-pseudonym keys: made (or imported) once per programme, kept encrypted with the server's Data
/// Protection key ring (itself encrypted at rest, shared by every node), and read back only to hand to the programme's
/// own devices. One key per programme is what gives one child one pseudonym on every device.
/// </summary>
public sealed class ProgrammeKeys(IDataProtectionProvider protection)
{
    /// <summary>The size of a key the server makes.</summary>
    public const int KeyBytes = 32;

    private readonly IDataProtector _protector = protection.CreateProtector("SpineScan.ProgrammePseudonymKey.v1");

    /// <summary>A new random key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    /// <summary>The key's bytes from its base64 text, or null when it is not base64 of at least <see cref="PupilPseudonym.MinKeyBytes"/> bytes.</summary>
    public static byte[]? Parse(string? base64)
    {
        var text = base64?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var length) && length >= PupilPseudonym.MinKeyBytes ? buffer[..length] : null;
    }

    /// <summary>Gives the programme its key (encrypted); refuses to replace one, which would split every child's screenings.</summary>
    /// <exception cref="InvalidOperationException">The programme already has a key.</exception>
    public void Issue(Programme programme, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(programme);
        ArgumentNullException.ThrowIfNull(key);
        if (programme.PseudonymKeyProtected is not null)
        {
            throw new InvalidOperationException($"Programme {programme.Code} already has a pseudonym key; replacing it would give every child a second pseudonym. Nothing was changed.");
        }

        programme.PseudonymKeyProtected = _protector.Protect(Convert.ToBase64String(key));
    }

    /// <summary>The programme's key as base64 (what a device stores), or null when it has none yet.</summary>
    public string? Reveal(Programme programme)
    {
        ArgumentNullException.ThrowIfNull(programme);
        return programme.PseudonymKeyProtected is { } stored ? _protector.Unprotect(stored) : null;
    }
}
