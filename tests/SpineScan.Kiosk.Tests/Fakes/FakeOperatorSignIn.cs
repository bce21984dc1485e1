using SpineScan.Device.Operators;

namespace SpineScan.Kiosk.Tests.Fakes;

/// <summary>A sign-in that accepts one passphrase; records the audited sign-outs. (The real one's rate limit is tested in the device's tests.)</summary>
internal sealed class FakeOperatorSignIn(string passphrase = FakeOperatorSignIn.Passphrase) : IOperatorSignIn
{
    public const string Passphrase = "correct horse 42";

    public bool IsSet => true;

    public List<string> SignOuts { get; } = [];

    public Task<SignInResult> SignInAsync(string? attempt, CancellationToken cancellationToken) =>
        Task.FromResult(new SignInResult(string.Equals(attempt, passphrase, StringComparison.Ordinal) ? SignInVerdict.Accepted : SignInVerdict.Wrong, TimeSpan.Zero));

    public Task SignedOutAsync(string why, CancellationToken cancellationToken)
    {
        SignOuts.Add(why);
        return Task.CompletedTask;
    }
}
