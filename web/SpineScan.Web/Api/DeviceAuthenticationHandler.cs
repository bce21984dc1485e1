using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SpineScan.ServerStore;

namespace SpineScan.Web.Api;

/// <summary>A stored client credential: whose programme, the secret's hash, and whether it was revoked.</summary>
public sealed record StoredCredential(string Id, int ProgrammeId, string SecretSha256, DateTime? RevokedAtUtc);

/// <summary>Authenticates a device by <c>Authorization: Bearer {deviceId}.{secret}</c> on every request.</summary>
public sealed class DeviceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SpineScanDbContext db)
    : CredentialAuthenticationHandler(options, logger, encoder, DeviceIdClaim, "Device")
{
    public const string SchemeName = "DeviceCredential";
    public const string Policy = "Device";
    public const string DeviceIdClaim = "spinescan:device";
    public const string ProgrammeIdClaim = "spinescan:programme";

    protected override Task<StoredCredential?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Devices.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new StoredCredential(d.Id, d.ProgrammeId, d.SecretSha256, d.RevokedAtUtc)).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>Authenticates an EHR's export client by <c>Authorization: Bearer {clientId}.{secret}</c> (never a browser cookie).</summary>
public sealed class EhrClientAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SpineScanDbContext db)
    : CredentialAuthenticationHandler(options, logger, encoder, ClientIdClaim, "EHR client")
{
    public const string SchemeName = "EhrClientCredential";
    public const string Policy = "EhrClient";
    public const string ClientIdClaim = "spinescan:ehr-client";

    protected override Task<StoredCredential?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.EhrClients.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new StoredCredential(c.Id, c.ProgrammeId, c.SecretSha256, c.RevokedAtUtc)).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>
/// The shared shape of a client credential (<c>{id}.{secret}</c>, the secret kept as SHA-256, revocable): devices and
/// EHR clients differ only in the table and the claim.
/// </summary>
public abstract partial class CredentialAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    string idClaim,
    string kind)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected abstract Task<StoredCredential?> FindAsync(string id, CancellationToken cancellationToken);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!DeviceCredentials.TryParse(header["Bearer ".Length..].Trim(), out var id, out var secret))
        {
            return AuthenticateResult.Fail("Malformed credential.");
        }

        var stored = await FindAsync(id, Context.RequestAborted).ConfigureAwait(false);
        if (stored is null || !DeviceCredentials.Matches(secret, stored.SecretSha256))
        {
            LogRejected(Logger, kind, id);
            return AuthenticateResult.Fail("Unknown client or wrong credential.");
        }

        if (stored.RevokedAtUtc is not null)
        {
            LogRevoked(Logger, kind, id);
            return AuthenticateResult.Fail("The credential was revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(idClaim, stored.Id),
                new Claim(DeviceAuthenticationHandler.ProgrammeIdClaim, stored.ProgrammeId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: kind + " credential missing, wrong or revoked.",
            detail: "Send Authorization: Bearer {id}.{secret} with a credential from 'admin add-device' or 'admin add-ehr-client'.")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.").ExecuteAsync(Context).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {ClientId} presented a wrong credential")]
    private static partial void LogRejected(ILogger logger, string kind, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked {Kind} {ClientId} tried to authenticate")]
    private static partial void LogRevoked(ILogger logger, string kind, string clientId);
}
