using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Web.Parent;
using SpineScan.Web.Services;

namespace SpineScan.Web.Api;

/// <summary>The device endpoints under <c>/api/v1</c>.</summary>
public static class DeviceApi
{
    /// <summary>The largest parent-link registration body, in bytes.</summary>
    public const int MaxParentLinkBodyBytes = 4096;

    public static IEndpointRouteBuilder MapDeviceApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(DeviceAuthenticationHandler.Policy).WithTags("Devices").DisableAntiforgery();

        api.MapPost("/reports", PostReportAsync)
            .WithName("PostReport")
            .WithSummary("Stores an anonymized screening report; the report id makes it idempotent.")
            .Accepts<SyncReport>("application/json")
            .Produces<ReportAccepted>(StatusCodes.Status201Created)
            .Produces<ReportAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("/devices/me", GetRegistrationAsync)
            .WithName("GetDeviceRegistration")
            .WithSummary("What the calling device needs from its programme: the pupil-pseudonym key and the parents' public address.")
            .WithDescription("Only a device credential is accepted (no cookie, no EHR credential). The key is the programme's: every device of a programme gets the same one, so one child has one pseudonym; pseudonymKey is null while the programme has none (admin issue-pseudonym-key).")
            .Produces<DeviceRegistrationInfo>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/parent-links", PostParentLinkAsync)
            .WithName("PostParentLink")
            .WithSummary("Registers a parent link (the token's SHA-256 and expiry) for a synced report.")
            .Accepts<ParentLinkRegistration>("application/json")
            .Produces<ParentLinkRegistered>(StatusCodes.Status201Created)
            .Produces<ParentLinkRegistered>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> PostReportAsync(HttpContext context, ReportIngestor ingestor, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync(context, SyncReport.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (report, readProblem) = Read(body, UntrustedJson.Strict.SyncReport);
        if (readProblem is not null)
        {
            return readProblem;
        }

        var (deviceId, programmeId) = Device(context.User);
        var sha = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        var outcome = await ingestor.IngestAsync(deviceId, programmeId, report!, body, sha, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            IngestOutcome.Stored { Answer.Duplicate: true } s => TypedResults.Ok(s.Answer),
            IngestOutcome.Stored s => TypedResults.Created($"/api/v1/reports/{s.Answer.ReportId}", s.Answer),
            _ => ToProblem(outcome),
        };
    }

    private static async Task<IResult> GetRegistrationAsync(
        HttpContext context, SpineScanDbContext db, ProgrammeKeys keys, IOptions<ParentLinkOptions> parentLinks, AuditLog audit, CancellationToken cancellationToken)
    {
        var (deviceId, programmeId) = Device(context.User);
        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == programmeId, cancellationToken).ConfigureAwait(false);

        // The answer carries the programme's pseudonym key: who was given it, and when, belongs in the audit trail.
        await audit.WriteAsync("device:" + deviceId, AuditLog.PseudonymKeyIssued, programmeId, null, "GET /api/v1/devices/me", cancellationToken).ConfigureAwait(false);
        var publicBase = parentLinks.Value.PublicBaseUrl is { Length: > 0 } url ? url.TrimEnd('/') : null;
        return TypedResults.Ok(new DeviceRegistrationInfo(deviceId, programme.Code, keys.Reveal(programme), publicBase));
    }

    private static async Task<IResult> PostParentLinkAsync(HttpContext context, ReportIngestor ingestor, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync(context, MaxParentLinkBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (registration, readProblem) = Read(body, UntrustedJson.Strict.ParentLinkRegistration);
        if (readProblem is not null)
        {
            return readProblem;
        }

        var (_, programmeId) = Device(context.User);
        var outcome = await ingestor.RegisterParentLinkAsync(programmeId, registration!, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            IngestOutcome.Stored { Answer.Duplicate: true } => TypedResults.Ok(new ParentLinkRegistered(registration!.ReportId, registration.ExpiresAt)),
            IngestOutcome.Stored => TypedResults.Created((string?)null, new ParentLinkRegistered(registration!.ReportId, registration.ExpiresAt)),
            _ => ToProblem(outcome),
        };
    }

    /// <summary>Reads a body strictly (<see cref="UntrustedJson"/>): a value, or the 400 that names what is wrong.</summary>
    private static (T? Value, IResult? Problem) Read<T>(ReadOnlyMemory<byte> body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        var scanned = UntrustedJson.Scan(body.Span);
        if (scanned.Count > 0)
        {
            return (null, ToProblem(new IngestOutcome.Invalid(scanned)));
        }

        try
        {
            return JsonSerializer.Deserialize(body.Span, type) is { } value ? (value, null) : (null, Validation("$", "The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, JsonProblem(ex));
        }
    }

    private static IResult ToProblem(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Invalid i => TypedResults.ValidationProblem(
            i.Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            title: "The report breaks the contract."),
        IngestOutcome.Forbidden f => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: f.Message, extensions: new Dictionary<string, object?> { ["field"] = f.Field }),
        IngestOutcome.Conflict c => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: c.Message),
        IngestOutcome.NotFound n => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: n.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
    };

    private static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadBodyAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send Content-Type: application/json."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (default, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The body is too large.",
            detail: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"At most {maxBytes} bytes."));

    private static ValidationProblem JsonProblem(JsonException ex)
    {
        var field = ex.Path is null or "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
        const string Marker = "missing required properties including: '";
        var at = ex.Message.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            var start = at + Marker.Length;
            var end = ex.Message.IndexOf('\'', start);
            if (end > start)
            {
                var missing = ex.Message[start..end];
                field = field == "$" ? missing : $"{field}.{missing}";
                return Validation(field, "Required.");
            }
        }

        return Validation(field, "Malformed JSON or a value of the wrong type.");
    }

    private static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] }, title: "The report breaks the contract.");

    private static (string DeviceId, int ProgrammeId) Device(ClaimsPrincipal user) =>
        (user.FindFirstValue(DeviceAuthenticationHandler.DeviceIdClaim)!,
         int.Parse(user.FindFirstValue(DeviceAuthenticationHandler.ProgrammeIdClaim)!, System.Globalization.CultureInfo.InvariantCulture));
}
