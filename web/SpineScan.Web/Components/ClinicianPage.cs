using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SpineScan.Contracts;
using SpineScan.Reports.Pdf;
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

    /// <summary>The dashboard's words (English: the dashboard is in one language; the tables of the others are complete).</summary>
    protected static ReportText Text => ReportText.English;

    protected static string CategoryClass(ScreeningCategory c) => "cat-" + c.ToWire();

    protected static string Deg(double? v) => v is { } d ? ReportFormat.Degrees(d) : "–";

    /// <summary>A Cobb estimate with its 90 % interval, as every list shows it.</summary>
    protected static string Cobb(double? v, CobbInterval? interval) => v is { } d ? ReportFormat.Cobb(d, interval, Text) : "–";

    /// <summary>An age in whole months as years and months.</summary>
    protected static string Age(int months) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Text.AgeFormat, months / 12, months % 12);
}
