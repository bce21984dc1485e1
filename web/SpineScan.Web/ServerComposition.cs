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
using SpineScan.Web.Operations;
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
        UseSettingsBesideTheExecutable(builder.Configuration);
        UseSafeLogging(builder.Logging, builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SpineScanJsonContext.Default));
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());

        services.AddSpineScanServerStore(builder.Configuration);
        services.AddServerHealth();
        services.AddServerTelemetry(builder.Configuration);
        services.AddIdentityCore<Clinician>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireDigit = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireLowercase = true;
                // Wrong passwords are throttled by account and address (SignInThrottle), never by locking the account:
                // a lockout lets anyone keep a clinician out.
                o.Lockout.AllowedForNewUsers = false;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddSignInManager()
            .AddSpineScanIdentityStores()
            .AddClaimsPrincipalFactory<ClinicianClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(DeviceAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, EhrClientAuthenticationHandler>(EhrClientAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies(c => c.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.Cookie.Name = "spinescan.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure behind TLS (the proxy's scheme, when known)
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
            }));
        services.AddAuthorizationBuilder()
            .AddPolicy(DeviceAuthenticationHandler.Policy, p => p
                .AddAuthenticationSchemes(DeviceAuthenticationHandler.SchemeName)
                .RequireClaim(DeviceAuthenticationHandler.DeviceIdClaim))
            .AddPolicy(EhrClientAuthenticationHandler.Policy, p => p
                .AddAuthenticationSchemes(EhrClientAuthenticationHandler.SchemeName)
                .RequireClaim(EhrClientAuthenticationHandler.ClientIdClaim))
            .AddPolicy(ClinicianPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ProgrammeClaim));
        services.AddCascadingAuthenticationState();
        // The cookie's security stamp is checked on every request, so signing out (a new stamp) ends every copy of it.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<ReportIngestor>();
        services.AddScoped<ScreeningService>();
        services.AddScoped<QueueCursor>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<ProgrammeKeys>();
        services.AddParentPages(builder.Configuration);
        services.AddPdfReports(builder.Configuration);
        services.AddFhirExport(builder.Configuration);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddAntiforgery();
        return builder;
    }

    /// <summary>
    /// The <c>appsettings.json</c> beside the executable as the lowest layer, so a server started from another folder has
    /// the same settings (the content root is the working folder).
    /// </summary>
    private static void UseSettingsBesideTheExecutable(ConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = (IList<IConfigurationSource>)((IConfigurationBuilder)configuration).Sources;
        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(0, source);
    }

    /// <summary>
    /// One console log, through <see cref="SafeConsoleFormatter"/> (tokens redacted, control characters escaped). SQL
    /// commands and request lines (which hold parent tokens in their paths) stay out whatever the configuration says.
    /// <c>Logging:ConsoleFormat=json</c> writes the same, redacted, as one JSON object a line.
    /// </summary>
    private static void UseSafeLogging(ILoggingBuilder logging, ConfigurationManager configuration)
    {
        logging.ClearProviders();
        var json = string.Equals(configuration[JsonConsoleFormatter.FormatKey], "json", StringComparison.OrdinalIgnoreCase);
        logging.AddConsole(o => o.FormatterName = json ? JsonConsoleFormatter.Name : SafeConsoleFormatter.Name);
        logging.AddConsoleFormatter<SafeConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        logging.AddConsoleFormatter<JsonConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
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
        if (ReverseProxyOptions.ForwardedHeaders(app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value) is { } forwarded)
        {
            app.UseForwardedHeaders(forwarded);
        }

        app.UseSpineScanSecurityHeaders(ParentPages.Style);
        app.UseReportCounting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapServerHealth();
        app.MapServerTelemetry(app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value);
        app.MapOpenApi();
        app.MapDeviceApi();
        app.MapEhrApi();
        app.MapParentPages();
        app.MapClinicianEndpoints();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}

/// <summary>The <c>ReverseProxy</c> section: the proxies whose forwarded headers are believed (none by default).</summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>The addresses of the reverse proxies in front of the server (e.g. <c>10.0.0.5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR form (e.g. <c>10.0.0.0/24</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// Forwarded-header handling for the configured proxies only (X-Forwarded-For and -Proto, the last hop), or null
    /// when none is configured: then the connection's own address and scheme are the truth.
    /// </summary>
    public static ForwardedHeadersOptions? ForwardedHeaders(ReverseProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.KnownProxies.Length == 0 && options.KnownNetworks.Length == 0)
        {
            return null;
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in options.KnownProxies)
        {
            forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        foreach (var network in options.KnownNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return forwarded;
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
