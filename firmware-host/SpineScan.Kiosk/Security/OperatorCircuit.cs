using System.Globalization;
using Microsoft.AspNetCore.Components.Authorization;
using SpineScan.Reports.Pdf;

namespace SpineScan.Kiosk.Security;

/// <summary>The signed-in operator's session as one kiosk page (one Blazor circuit) sees it.</summary>
public sealed class OperatorCircuit(AuthenticationStateProvider authentication, OperatorSessions sessions)
{
    private string? _sessionId;
    private bool _resolved;

    /// <summary>True while the operator who opened this page is signed in.</summary>
    public async Task<bool> IsSignedInAsync() => sessions.IsActive(await SessionIdAsync().ConfigureAwait(true));

    /// <summary>Counts an operator's action (a tap that reached the station): the idle lock starts again.</summary>
    public void Touch() => sessions.Touch(_sessionId);

    /// <summary>Ends the session: the kiosk is locked until the passphrase is given again.</summary>
    public async Task LockAsync() => sessions.End(await SessionIdAsync().ConfigureAwait(true));

    /// <summary>The address of a screening's slip in a language, valid for this session only; null once it has ended.</summary>
    public async Task<string?> SlipPathAsync(long screeningId, ReportLanguage language) =>
        sessions.SlipToken(await SessionIdAsync().ConfigureAwait(true), screeningId) is { } token
            ? string.Create(CultureInfo.InvariantCulture, $"/slips/{token}.pdf?lang={language.Code()}")
            : null;

    private async Task<string?> SessionIdAsync()
    {
        if (!_resolved)
        {
            var state = await authentication.GetAuthenticationStateAsync().ConfigureAwait(true);
            _sessionId = state.User.FindFirst(KioskSecurity.SessionClaim)?.Value;
            _resolved = true;
        }

        return _sessionId;
    }
}
