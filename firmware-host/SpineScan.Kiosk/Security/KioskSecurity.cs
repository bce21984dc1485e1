using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Operators;
using SpineScan.Kiosk.Localization;
using SpineScan.Reports.Pdf;

namespace SpineScan.Kiosk.Security;

/// <summary>
/// Who may use the kiosk: only a browser on this device (the <c>Host</c> header must be <c>localhost</c> or
/// <c>127.0.0.1</c>, which defeats DNS rebinding), and only after the operator's passphrase (<c>/signin</c>, a form with
/// an antiforgery token). Everything but the sign-in page and the static assets needs a live operator session: the
/// page, its circuit (<c>/_blazor</c>) and the slips.
/// </summary>
public static class KioskSecurity
{
    /// <summary>The claim that carries the operator session's id in the kiosk's cookie.</summary>
    public const string SessionClaim = "spinescan:operator-session";

    public const string SignInPath = "/signin";

    private const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string Html = "text/html; charset=utf-8";

    /// <summary>The Host header values the kiosk answers.</summary>
    public static readonly IReadOnlyList<string> AllowedHosts = ["localhost", "127.0.0.1"];

    public static IServiceCollection AddKioskSecurity(this IServiceCollection services)
    {
        services.AddOptions<KioskOptions>().BindConfiguration(KioskOptions.Section);
        services.AddSingleton<OperatorSessions>();
        services.AddScoped<OperatorCircuit>();
        // Runs after the web host's own defaults, so a configured AllowedHosts cannot widen the list.
        services.PostConfigure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = [.. AllowedHosts];
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "spinescan-operator";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // The kiosk is plain HTTP on the loopback; the cookie never leaves this machine.
            o.Cookie.SecurePolicy = CookieSecurePolicy.None;
            o.LoginPath = SignInPath;
            o.SlidingExpiration = false;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.Events.OnValidatePrincipal = context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<OperatorSessions>();
                if (!sessions.Touch(context.Principal?.FindFirst(SessionClaim)?.Value))
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
        return services;
    }

    /// <summary>Host filtering, authentication and the gate that sends anyone not signed in to the sign-in page.</summary>
    public static WebApplication UseKioskSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHostFiltering();
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (IsOpen(context.Request.Path) || context.User.FindFirst(SessionClaim) is not null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/")
            {
                context.Response.Redirect(SignInPath);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(KioskText.English.SignInHeading + ": " + SignInPath).ConfigureAwait(false);
        });
        return app;
    }

    /// <summary><c>GET /signin</c> (the form) and <c>POST /signin</c> (the passphrase, antiforgery checked).</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInPath, (HttpContext http, string? lang, string? why, IOperatorSignIn signIn, IAntiforgery antiforgery) =>
        {
            var text = KioskText.For(ReportLanguages.FromCode(lang));
            var message = !signIn.IsSet ? text.SignInNotSet : why == "idle" ? text.SignedOutIdle : null;
            return Page(http, antiforgery, text, message, StatusCodes.Status200OK);
        });
        endpoints.MapPost(SignInPath, SignInAsync);
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, [FromForm] string? passphrase, [FromForm] string? lang, IOperatorSignIn signIn, OperatorSessions sessions,
        IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var text = KioskText.For(ReportLanguages.FromCode(lang));
        var result = await signIn.SignInAsync(passphrase, cancellationToken).ConfigureAwait(false);
        switch (result.Verdict)
        {
            case SignInVerdict.Accepted:
                var identity = new ClaimsIdentity([new Claim(SessionClaim, sessions.Start())], Scheme);
                await http.SignInAsync(Scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
                return Results.Redirect("/");
            case SignInVerdict.LockedOut:
                http.Response.Headers.RetryAfter = Math.Ceiling(result.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Page(http, antiforgery, text, KioskText.Format(text.SignInLockedFormat, Math.Ceiling(result.RetryAfter.TotalSeconds)), StatusCodes.Status429TooManyRequests);
            case SignInVerdict.NotSet:
                return Page(http, antiforgery, text, text.SignInNotSet, StatusCodes.Status503ServiceUnavailable);
            default:
                return Page(http, antiforgery, text, text.SignInWrong, StatusCodes.Status401Unauthorized);
        }
    }

    // /metrics (when Prometheus is switched on) carries counts and timings, no child's data, and a scraper cannot sign in;
    // the Host allow-list still keeps it to this machine.
    private static bool IsOpen(PathString path) =>
        path == SignInPath || path == "/metrics" || path.StartsWithSegments("/_content", StringComparison.Ordinal) || path.StartsWithSegments("/_framework", StringComparison.Ordinal) || path == "/favicon.ico";

    // A plain form, no script: it works before the circuit exists and whatever the Blazor page's state.
    private static IResult Page(HttpContext http, IAntiforgery antiforgery, KioskText text, string? message, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var e = HtmlEncoder.Default;
        var languages = string.Concat(new[] { ReportLanguage.English, ReportLanguage.TraditionalChinese, ReportLanguage.SimplifiedChinese }
            .Select(l => $"<a class=\"signin-lang\" href=\"{SignInPath}?lang={l.Code()}\" lang=\"{l.Code()}\">{e.Encode(KioskText.NativeName(l))}</a>"));
        var html = $$"""
            <!DOCTYPE html>
            <html lang="{{text.LanguageTag}}">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>{{e.Encode(text.AppTitle)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 0; display: flex; justify-content: center; padding-top: 80px; }
            form { width: 420px; display: flex; flex-direction: column; gap: 16px; }
            input, button { min-height: 48px; font-size: 1.2rem; }
            button { background: #1565c0; color: #fff; border: 0; border-radius: 4px; }
            .signin-lang { display: inline-block; min-height: 48px; line-height: 48px; margin-right: 16px; }
            #signin-message { color: #b71c1c; }
            </style></head>
            <body><form method="post" action="{{SignInPath}}">
            <h1>{{e.Encode(text.SignInHeading)}}</h1>
            <div>{{languages}}</div>
            {{(message is null ? "" : $"<p id=\"signin-message\" role=\"alert\">{e.Encode(message)}</p>")}}
            <label for="signin-passphrase">{{e.Encode(text.PassphraseLabel)}}</label>
            <input id="signin-passphrase" name="passphrase" type="password" autocomplete="current-password" autofocus required />
            <input type="hidden" name="lang" value="{{text.LanguageTag}}" />
            <input type="hidden" name="{{tokens.FormFieldName}}" value="{{e.Encode(tokens.RequestToken ?? "")}}" />
            <button id="signin-submit" type="submit">{{e.Encode(text.SignIn)}}</button>
            </form></body></html>
            """;
        return Results.Content(html, Html, statusCode: status);
    }
}
