using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using SpineScan.Contracts;
using SpineScan.Fhir;
using SpineScan.ServerStore;
using SpineScan.Reports.Pdf;
using SpineScan.Web.Api;
using SpineScan.Web.Components;
using SpineScan.Web.Parent;
using SpineScan.Web.Services;

namespace SpineScan.Web;

/// <summary>Composes the server: persistence, identity, the device API, the dashboard and the parent pages.</summary>
public static class ServerComposition
{
    public const string ClinicianPolicy = "Clinician";
    public const string ProgrammeClaim = "spinescan:programme";

    public static WebApplicationBuilder AddSpineScanServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Serve package assets (_content/MudBlazor) from the build output in any environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SpineScanJsonContext.Default));
        services.AddOpenApi();

        services.AddSpineScanServerStore(builder.Configuration);
        services.AddIdentityCore<Clinician>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireDigit = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireLowercase = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddSignInManager()
            .AddSpineScanIdentityStores()
            .AddClaimsPrincipalFactory<ClinicianClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(DeviceAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies(c => c.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.Cookie.Name = "spinescan.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
            }));
        services.AddAuthorizationBuilder()
            .AddPolicy(DeviceAuthenticationHandler.Policy, p => p
                .AddAuthenticationSchemes(DeviceAuthenticationHandler.SchemeName)
                .RequireClaim(DeviceAuthenticationHandler.DeviceIdClaim))
            .AddPolicy(ClinicianPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ProgrammeClaim));
        services.AddCascadingAuthenticationState();

        services.AddScoped<ReportIngestor>();
        services.AddScoped<ScreeningService>();
        services.AddScoped<AuditLog>();
        services.AddParentPages(builder.Configuration);
        services.AddPdfReports(builder.Configuration);
        services.AddFhirExport(builder.Configuration);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddAntiforgery();
        return builder;
    }

    public static async Task UseSpineScanServerAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            await ServerStoreServiceCollectionExtensions.MigrateAsync(app.Services).ConfigureAwait(false);
        }

        // Load the report fonts now, so a missing one is logged at start rather than at the first PDF.
        _ = app.Services.GetRequiredService<IScreeningReportRenderer>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapDeviceApi();
        app.MapParentPages();
        app.MapClinicianEndpoints();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}

/// <summary>Adds the clinician's programme to their sign-in.</summary>
public sealed class ClinicianClaimsFactory(UserManager<Clinician> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Clinician>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Clinician user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user).ConfigureAwait(false);
        identity.AddClaim(new Claim(ServerComposition.ProgrammeClaim, user.ProgrammeId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return identity;
    }
}
