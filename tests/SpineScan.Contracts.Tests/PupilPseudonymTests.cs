using System.Security.Cryptography;
using System.Text;
using SpineScan.Contracts;

namespace SpineScan.Contracts.Tests;

public sealed class PupilPseudonymTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");

    [Fact]
    public void Compute_KnownKey_EqualsHmacSha256Hex()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("S1234567")));
        Assert.Equal(expected, PupilPseudonym.Compute(Key, " s1234567 "));
        Assert.True(PupilPseudonym.IsWellFormed(expected));
    }

    [Fact]
    public void Compute_DifferentPupils_Differ() =>
        Assert.NotEqual(PupilPseudonym.Compute(Key, "1"), PupilPseudonym.Compute(Key, "2"));

    [Fact]
    public void Compute_ShortKey_Throws() =>
        Assert.Throws<ArgumentException>(() => PupilPseudonym.Compute(new byte[16], "1"));

    [Fact]
    public void ParentLinkToken_Create_Has256BitsAndHashesToHex()
    {
        var a = ParentLinkToken.Create();
        var b = ParentLinkToken.Create();

        Assert.NotEqual(a, b);
        Assert.True(ParentLinkToken.IsWellFormed(a));
        Assert.Equal(ParentLinkToken.Length, a.Length);
        Assert.True(ParentLinkToken.IsWellFormedHash(ParentLinkToken.Hash(a)));
        Assert.False(ParentLinkToken.IsWellFormed("short"));
    }
}
