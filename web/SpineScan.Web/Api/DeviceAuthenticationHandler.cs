using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SpineScan.ServerStore;

namespace SpineScan.Web.Api;

/// <summary>Authenticates a device by <c>Authorization: Bearer {deviceId}.{secret}</c> on every request.</summary>
public sealed partial class DeviceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SpineScanDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DeviceCredential";
    public const string Policy = "Device";
    public const string DeviceIdClaim = "spinescan:device";
    public const string ProgrammeIdClaim = "spinescan:programme";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!DeviceCredentials.TryParse(header["Bearer ".Length..].Trim(), out var deviceId, out var secret))
        {
            return AuthenticateResult.Fail("Malformed device credential.");
        }

        var device = await db.Devices.AsNoTracking()
            .Where(d => d.Id == deviceId)
            .Select(d => new { d.Id, d.ProgrammeId, d.SecretSha256, d.RevokedAtUtc })
            .FirstOrDefaultAsync(Context.RequestAborted).ConfigureAwait(false);
        if (device is null || !DeviceCredentials.Matches(secret, device.SecretSha256))
        {
            LogRejected(Logger, deviceId);
            return AuthenticateResult.Fail("Unknown device or wrong credential.");
        }

        if (device.RevokedAtUtc is not null)
        {
            LogRevoked(Logger, deviceId);
            return AuthenticateResult.Fail("The device credential was revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(DeviceIdClaim, device.Id),
                new Claim(ProgrammeIdClaim, device.ProgrammeId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Device credential missing, wrong or revoked.",
            detail: "Send Authorization: Bearer {deviceId}.{secret} with a credential from 'admin add-device'.")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.").ExecuteAsync(Context).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} presented a wrong credential")]
    private static partial void LogRejected(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked device {DeviceId} tried to authenticate")]
    private static partial void LogRevoked(ILogger logger, string deviceId);
}
