using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SpineScan.Contracts;
using SpineScan.Fhir;
using SpineScan.ServerStore;
using SpineScan.Reports.Pdf;
using SpineScan.Web.Services;

namespace SpineScan.Web.Api;

/// <summary>Sign-in and sign-out (cookies are set outside the interactive circuit) and the clinician's file downloads.</summary>
public static class ClinicianEndpoints
{
    public static IEndpointRouteBuilder MapClinicianEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/signin", SignInAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost("/account/logout", async (ClaimsPrincipal user, SignInManager<Clinician> signIn, UserManager<Clinician> users) =>
        {
            // A new security stamp ends every copy of this session's cookie (the stamp is checked on every request).
            if (await users.GetUserAsync(user).ConfigureAwait(false) is { } clinician)
            {
                await users.UpdateSecurityStampAsync(clinician).ConfigureAwait(false);
            }

            await signIn.SignOutAsync().ConfigureAwait(false);
            return Results.LocalRedirect("/account/login");
        }).RequireAuthorization(ServerComposition.ClinicianPolicy).ExcludeFromDescription();

        var clinician = endpoints.MapGroup("/screenings").RequireAuthorization(ServerComposition.ClinicianPolicy).ExcludeFromDescription();
        clinician.MapGet("/{id:long}/heatmap.png", async (long id, ClaimsPrincipal user, ScreeningService screenings, CancellationToken ct) =>
        {
            var detail = await screenings.DetailAsync(Scope(user), id, ct).ConfigureAwait(false);
            return detail?.DepthMap is { } map ? Results.File(HeatMapRenderer.RenderPng(map), "image/png") : Results.NotFound();
        });
        clinician.MapGet("/{id:long}/summary", async (long id, ClaimsPrincipal user, ScreeningService screenings, CancellationToken ct) =>
        {
            var detail = await screenings.DetailAsync(Scope(user), id, ct).ConfigureAwait(false);
            return detail is null
                ? Results.NotFound()
                : Results.Ok(new { detail.Id, detail.ReportId, detail.School, Category = detail.Category.ToWire(), detail.Reviewed });
        });
        clinician.MapGet("/{id:long}/report.pdf", async (long id, string? lang, ClaimsPrincipal user, ScreeningService screenings, IScreeningReportRenderer pdf, TimeProvider time, CancellationToken ct) =>
        {
            var detail = await screenings.DetailAsync(Scope(user), id, ct, AuditLog.ExportPdf).ConfigureAwait(false);
            if (detail is null)
            {
                return Results.NotFound();
            }

            // The clinic report: the category in force, the X-ray outcome, and the change from the slip when there is one.
            var report = new ScreeningReport(detail.Analysis, detail.CapturedAt, ReportLanguages.FromCode(lang), detail.Thresholds, detail.DepthMap,
                Category: detail.Category, Xray: ResultChanges.Xray(detail.XrayCobbDeg, detail.XrayDate), Change: ResultChanges.Of(detail), RenderedAt: time.GetUtcNow());
            return Pdf(pdf, report, FormattableString.Invariant($"spinescan-{detail.ReportId}.pdf"));
        });
        clinician.MapGet("/{id:long}/fhir.json", async (long id, ClaimsPrincipal user, ScreeningService screenings, IFhirScreeningExporter fhir, CancellationToken ct) =>
        {
            var d = await screenings.DetailAsync(Scope(user), id, ct, AuditLog.ExportFhir).ConfigureAwait(false);
            if (d is null)
            {
                return Results.NotFound();
            }

            return Results.Text(fhir.ToJson(FhirScreeningOf(d)), "application/fhir+json", System.Text.Encoding.UTF8);
        });
        return endpoints;
    }

    /// <summary>What the FHIR export is made of: the screening, the category in force, the X-ray outcome.</summary>
    public static FhirScreening FhirScreeningOf(ScreeningDetail d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new FhirScreening(d.ReportId, d.PupilPseudonym, d.Sex, d.AgeMonths, d.CapturedAt, d.ReceivedAt, d.Analysis, d.Category, d.Reviewed, d.Thresholds, d.XrayCobbDeg, d.XrayDate);
    }

    /// <summary>Renders a report as an attachment, or 503 naming the missing font.</summary>
    public static IResult Pdf(IScreeningReportRenderer renderer, ScreeningReport report, string fileName)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        try
        {
            return Results.File(renderer.Render(report), "application/pdf", fileName);
        }
        catch (ReportFontMissingException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The PDF report cannot be made on this server.", detail: ex.Message);
        }
    }

    public static ClinicianScope Scope(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ClinicianScope(
            user.Identity?.Name ?? "unknown",
            int.Parse(user.FindFirstValue(ServerComposition.ProgrammeClaim) ?? "-1", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A hash to verify against when the account does not exist, so that both cost one password hash.</summary>
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<Clinician>().HashPassword(new Clinician(), Guid.NewGuid().ToString("N")));

    private static async Task<IResult> SignInAsync(
        [FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl, HttpContext context,
        SignInManager<Clinician> signIn, UserManager<Clinician> users, IPasswordHasher<Clinician> hasher, SignInThrottle throttle)
    {
        var target = string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl;
        if (!IsLocalPath(target))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The return address must be a path on this server.");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        email = email.Trim();
        if (email.Length > 256 || password.Length > 1024 || !throttle.IsAllowed(email, address))
        {
            return Results.LocalRedirect("/account/login?error=wait");
        }

        var user = await users.FindByEmailAsync(email).ConfigureAwait(false);
        if (user is null)
        {
            // The same work and the same answer as a wrong password for a real account.
            hasher.VerifyHashedPassword(new Clinician(), DummyHash.Value, password);
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return Results.LocalRedirect(target);
            }
        }

        throttle.RecordFailure(email, address);
        return Results.LocalRedirect("/account/login?error=failed");
    }

    /// <summary>A path on this server: one leading slash, no scheme, no backslash, no control characters.</summary>
    public static bool IsLocalPath(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Contains('\\', StringComparison.Ordinal) && !url.Any(char.IsControl) && url.Length <= 2048;
}
