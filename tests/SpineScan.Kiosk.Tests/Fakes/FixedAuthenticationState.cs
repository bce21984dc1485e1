using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using SpineScan.Kiosk.Security;

namespace SpineScan.Kiosk.Tests.Fakes;

/// <summary>The circuit's user as the kiosk's cookie gives it: one operator session's id.</summary>
internal sealed class FixedAuthenticationState(string sessionId) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(KioskSecurity.SessionClaim, sessionId)], "test"))));
}
