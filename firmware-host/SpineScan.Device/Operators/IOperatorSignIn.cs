namespace SpineScan.Device.Operators;

/// <summary>The operator's sign-in as the kiosk sees it: a passphrase checked (rate limited) and audited, sign-outs audited.</summary>
public interface IOperatorSignIn
{
    /// <summary>True once a passphrase has been set at install; until then nobody can sign in.</summary>
    bool IsSet { get; }

    /// <summary>Checks a sign-in attempt (rate limited for the whole station) and audits its verdict.</summary>
    Task<SignInResult> SignInAsync(string? passphrase, CancellationToken cancellationToken);

    /// <summary>Audits a sign-out or an idle lock.</summary>
    Task SignedOutAsync(string why, CancellationToken cancellationToken);
}
