using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Fhir;
using SpineScan.ServerStore;
using SpineScan.Web.Services;

namespace SpineScan.Web.Api;

/// <summary>One screening in the EHR export's list.</summary>
/// <param name="ReportId">The report id (the FHIR identifier).</param>
/// <param name="CapturedAt">When it was captured.</param>
/// <param name="ReceivedAt">When the server stored it (the <c>since</c> cursor).</param>
/// <param name="Category">The category in force (wire name).</param>
/// <param name="Reviewed">Whether a clinician reviewed it.</param>
/// <param name="Supersedes">The earlier report of the same child and session that this screening replaces (screen again), if any.</param>
/// <param name="Superseded">Whether a later screening of the same child and session replaced this one: an EHR that took it in should retire it.</param>
public sealed record EhrScreening(Guid ReportId, DateTimeOffset CapturedAt, DateTimeOffset ReceivedAt, string Category, bool Reviewed, Guid? Supersedes = null, bool Superseded = false);

/// <summary>
/// The EHR export API under <c>/api/v1/ehr</c>: a client credential (<c>admin add-ehr-client</c>) sees its programme's
/// screenings only, and every export is audited with the client as the actor. The programme's CodeSystems are served
/// at their canonical URLs.
/// </summary>
public static class EhrApi
{
    /// <summary>The most screenings one list answer holds.</summary>
    public const int PageSize = 500;

    public static IEndpointRouteBuilder MapEhrApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/ehr").RequireAuthorization(EhrClientAuthenticationHandler.Policy).WithTags("EHR export");
        api.MapGet("/screenings", ListAsync)
            .WithName("ListScreenings")
            .WithSummary("The programme's screenings received after 'since' (oldest first, at most 500); page on with the last receivedAt. A screen-again names the report it supersedes; the earlier one is listed with superseded = true.")
            .Produces<List<EhrScreening>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/screenings/{reportId:guid}/fhir", FhirAsync)
            .WithName("GetScreeningFhir")
            .WithSummary("One screening as an HL7 FHIR R4 Bundle (application/fhir+json).")
            .Produces(StatusCodes.Status200OK, contentType: "application/fhir+json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var fhir = endpoints.ServiceProvider.GetRequiredService<IFhirScreeningExporter>();
        endpoints.MapGet(fhir.CodeSystemPath + "/CodeSystem/{name}", (string name, IFhirScreeningExporter exporter) =>
            exporter.CodeSystems.TryGetValue(name, out var system)
                ? Results.Text(exporter.Serialize(system), "application/fhir+json", System.Text.Encoding.UTF8)
                : Results.NotFound()).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ListAsync(DateTimeOffset? since, ClaimsPrincipal user, SpineScanDbContext db, AuditLog audit, CancellationToken ct)
    {
        var (client, programmeId) = Client(user);
        var from = (since ?? DateTimeOffset.MinValue).UtcDateTime;
        var rows = await db.Screenings.AsNoTracking()
            .Where(s => s.ProgrammeId == programmeId && s.ReceivedAtUtc > from)
            .OrderBy(s => s.ReceivedAtUtc).ThenBy(s => s.Id).Take(PageSize)
            .Select(s => new { s.ReportId, s.CapturedAtUtc, s.CapturedOffsetMinutes, s.ReceivedAtUtc, s.ReviewedCategory, s.AssessedCategory, s.Reviewed, s.SupersedesReportId, s.Superseded })
            .ToListAsync(ct).ConfigureAwait(false);
        await audit.WriteAsync(client, AuditLog.EhrList, programmeId, null, FormattableString.Invariant($"{rows.Count} since {from:O}"), ct).ConfigureAwait(false);
        return Results.Ok(rows.Select(r => new EhrScreening(
            r.ReportId, new DateTimeOffset(r.CapturedAtUtc).ToOffset(TimeSpan.FromMinutes(r.CapturedOffsetMinutes)), new DateTimeOffset(r.ReceivedAtUtc),
            ScreeningCategories.InForce(r.ReviewedCategory, r.AssessedCategory).ToWire(), r.Reviewed, r.SupersedesReportId, r.Superseded)).ToList());
    }

    private static async Task<IResult> FhirAsync(Guid reportId, ClaimsPrincipal user, SpineScanDbContext db, ScreeningService screenings, IFhirScreeningExporter fhir, CancellationToken ct)
    {
        var (client, programmeId) = Client(user);
        var id = await db.Screenings.AsNoTracking().Where(s => s.ReportId == reportId && s.ProgrammeId == programmeId).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var detail = id is { } found ? await screenings.DetailAsync(new ClinicianScope(client, programmeId), found, ct, AuditLog.ExportFhir).ConfigureAwait(false) : null;
        return detail is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such report in this client's programme.")
            : Results.Text(fhir.ToJson(ClinicianEndpoints.FhirScreeningOf(detail)), "application/fhir+json", System.Text.Encoding.UTF8);
    }

    private static (string Client, int ProgrammeId) Client(ClaimsPrincipal user) =>
        ("ehr:" + user.FindFirstValue(EhrClientAuthenticationHandler.ClientIdClaim),
         int.Parse(user.FindFirstValue(DeviceAuthenticationHandler.ProgrammeIdClaim)!, System.Globalization.CultureInfo.InvariantCulture));
}
