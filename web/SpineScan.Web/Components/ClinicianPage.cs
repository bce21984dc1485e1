using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SpineScan.Contracts;
using SpineScan.Web.Api;
using SpineScan.Web.Services;

namespace SpineScan.Web.Components;

/// <summary>A page for a signed-in clinician: gives the programme scope.</summary>
public abstract class ClinicianPage : ComponentBase
{
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    protected async Task<ClinicianScope> ScopeAsync()
    {
        var state = await (AuthenticationState ?? throw new InvalidOperationException("No authentication state.")).ConfigureAwait(true);
        return ClinicianEndpoints.Scope(state.User);
    }

    protected static string CategoryClass(ScreeningCategory c) => "cat-" + c.ToWire();

    protected static string Deg(double? v) => v is { } d ? d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "°" : "–";
}
