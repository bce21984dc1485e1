using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Reports.Pdf;
using SpineScan.Web.Api;
using SpineScan.Web.Operations;
using SpineScan.Web.Services;

namespace SpineScan.Web.Parent;

/// <summary>The <c>ParentLinks</c> section.</summary>
public sealed class ParentLinkOptions
{
    public const string Section = "ParentLinks";

    /// <summary>Failed look-ups allowed per client address per window before 429.</summary>
    [Range(1, 10_000)]
    public int FailedLookupsPerWindow { get; set; } = 10;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>The public address parents reach the server at (for the QR code in the PDF); empty: the request's own.</summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>Counts failed parent-link look-ups per client address (the real client's behind a known proxy).</summary>
public sealed class ParentLinkLimiter(IOptions<ParentLinkOptions> options) : IDisposable
{
    private readonly FailureLimiter _limiter = new(options.Value.FailedLookupsPerWindow, TimeSpan.FromSeconds(options.Value.WindowSeconds));

    /// <summary>True while the address still has failed look-ups left.</summary>
    public bool IsAllowed(string client) => _limiter.IsAllowed(client);

    /// <summary>Counts one failed look-up.</summary>
    public void RecordFailure(string client) => _limiter.RecordFailure(client);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Parent pages: <c>/r/{token}</c>, plain language in en, zh-Hant, zh-Hans; no account.</summary>
public static class ParentPages
{
    public static IServiceCollection AddParentPages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ParentLinkOptions>().BindConfiguration(ParentLinkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ParentLinkLimiter>();
        return services;
    }

    public static IEndpointRouteBuilder MapParentPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/r/{token}", PageAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/r/{token}/heatmap.png", HeatMapAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/r/{token}/report.pdf", PdfAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Finds the screening behind a token, or the status code and message to answer.</summary>
    internal static async Task<(Screening? Screening, int Status)> ResolveAsync(HttpContext context, string token, SpineScanDbContext db, ParentLinkLimiter limiter, TimeProvider time)
    {
        var resolved = await FindAsync(context, token, db, limiter, time).ConfigureAwait(false);
        context.RequestServices.GetRequiredService<ServerTelemetry>().ParentLinkLookedUp(resolved.Status switch
        {
            StatusCodes.Status200OK => "found",
            StatusCodes.Status410Gone => "gone",
            StatusCodes.Status429TooManyRequests => "rate_limited",
            _ => "not_found",
        });
        return resolved;
    }

    private static async Task<(Screening? Screening, int Status)> FindAsync(HttpContext context, string token, SpineScanDbContext db, ParentLinkLimiter limiter, TimeProvider time)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!limiter.IsAllowed(client))
        {
            return (null, StatusCodes.Status429TooManyRequests);
        }

        if (!ParentLinkToken.IsWellFormed(token))
        {
            limiter.RecordFailure(client);
            return (null, StatusCodes.Status404NotFound);
        }

        var hash = ParentLinkToken.Hash(token);
        var link = await db.ParentLinks.AsNoTracking().Include(l => l.Screening!).ThenInclude(s => s.Payload)
            .FirstOrDefaultAsync(l => l.TokenSha256 == hash, context.RequestAborted).ConfigureAwait(false);
        if (link is null)
        {
            limiter.RecordFailure(client);
            return (null, StatusCodes.Status404NotFound);
        }

        if (link.RevokedAtUtc is not null || link.ExpiresAtUtc <= time.GetUtcNow().UtcDateTime)
        {
            limiter.RecordFailure(client);
            return (null, StatusCodes.Status410Gone);
        }

        return (link.Screening, StatusCodes.Status200OK);
    }

    private static async Task<IResult> PageAsync(string token, string? lang, HttpContext context, SpineScanDbContext db, ParentLinkLimiter limiter, TimeProvider time, AuditLog audit)
    {
        var language = ReportText.For(ReportLanguages.Pick(lang, context.Request.Cookies["spinescan.lang"], context.Request.Headers.AcceptLanguage.ToString()));
        if (lang is not null)
        {
            context.Response.Cookies.Append("spinescan.lang", language.Language.Code(), new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers["X-Robots-Tag"] = "noindex";
        var (screening, status) = await ResolveAsync(context, token, db, limiter, time).ConfigureAwait(false);
        if (screening is null)
        {
            var message = status switch
            {
                StatusCodes.Status429TooManyRequests => language.LinkTooMany,
                StatusCodes.Status410Gone => language.LinkExpired,
                _ => language.LinkNotFound,
            };
            return Results.Content(Shell(language, token, language.Title, $"<p class=\"notice\">{Enc(message)}</p>"), "text/html; charset=utf-8", Encoding.UTF8, status);
        }

        await audit.WriteAsync("parent-link", AuditLog.ParentOpen, screening.ProgrammeId, screening.Id, null, context.RequestAborted).ConfigureAwait(false);
        var stored = StoredReport.Read(screening.Payload!.Body);
        return Results.Content(Shell(language, token, language.Title, Body(language, token, screening, stored)), "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<IResult> HeatMapAsync(string token, HttpContext context, SpineScanDbContext db, ParentLinkLimiter limiter, TimeProvider time)
    {
        var (screening, status) = await ResolveAsync(context, token, db, limiter, time).ConfigureAwait(false);
        if (screening?.Payload is not { } payload || StoredReport.Read(payload.Body).DepthMap is not { } map)
        {
            return Results.StatusCode(screening is null ? status : StatusCodes.Status404NotFound);
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.File(HeatMapRenderer.RenderPng(map), "image/png");
    }

    private static async Task<IResult> PdfAsync(string token, string? lang, HttpContext context, SpineScanDbContext db, ParentLinkLimiter limiter, TimeProvider time, AuditLog audit, IScreeningReportRenderer pdf, IOptions<ParentLinkOptions> options)
    {
        var language = ReportText.For(ReportLanguages.Pick(lang, context.Request.Cookies["spinescan.lang"], context.Request.Headers.AcceptLanguage.ToString()));
        var (screening, status) = await ResolveAsync(context, token, db, limiter, time).ConfigureAwait(false);
        if (screening is null)
        {
            return Results.StatusCode(status);
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == screening.ProgrammeId, context.RequestAborted).ConfigureAwait(false);
        await audit.WriteAsync("parent-link", AuditLog.ExportPdf, screening.ProgrammeId, screening.Id, language.Language.Code(), context.RequestAborted).ConfigureAwait(false);
        var stored = StoredReport.Read(screening.Payload!.Body);
        var capturedAt = new DateTimeOffset(screening.CapturedAtUtc).ToOffset(TimeSpan.FromMinutes(screening.CapturedOffsetMinutes));
        var origin = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? $"{context.Request.Scheme}://{context.Request.Host}" : options.Value.PublicBaseUrl.TrimEnd('/');
        var link = new Uri($"{origin}/r/{token}");
        var report = new ScreeningReport(
            stored.Analysis,
            capturedAt,
            language.Language,
            programme.Thresholds(),
            stored.DepthMap,
            ParentLink: link,
            Category: screening.InForce(),
            Change: ChangeOf(screening, stored),
            RenderedAt: time.GetUtcNow());
        return ClinicianEndpoints.Pdf(pdf, report, "spinescan-report.pdf");
    }

    private static string Body(ReportText t, string token, Screening s, StoredReport stored)
    {
        var analysis = stored.Analysis;
        var category = s.InForce();
        var sb = new StringBuilder();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        sb.Append(inv, $"<section class=\"result result-{category.ToWire()}\"><h2>{Enc(t.ResultHeading)}</h2><p class=\"category\" data-category=\"{category.ToWire()}\">{Enc(t.Category(category))}</p>");
        sb.Append(inv, $"<h3>{Enc(t.NextHeading)}</h3><p class=\"next\">{Enc(t.Next(category))}</p>");
        if (ChangeOf(s, stored) is { } change)
        {
            // The slip printed at school shows the device's result: say when and why this one differs.
            sb.Append(inv, $"<p class=\"changed\" role=\"note\">{Enc(change.Note(t, analysis.Category, category))}</p>");
        }

        sb.Append(inv, $"</section><section><h2>{Enc(t.MeasuredHeading)}</h2><p>{Enc(t.Measured)}</p><ul>");
        var curves = ReportFormat.ShownCurves(analysis.Metrics);
        var cobb = curves.Count > 0 ? ReportFormat.Cobb(curves[0], t) : analysis.Metrics.CobbDeg.Count > 0 ? t.NoCurve : t.NotMeasured;
        sb.Append(inv, $"<li>{Enc(t.CobbLabel)}: <b class=\"cobb\">{Enc(cobb)}</b></li>");
        sb.Append(inv, $"<li>{Enc(t.AtrLabel)}: <b>{Enc(analysis.Metrics.AtrDeg is { } atr ? ReportFormat.Degrees(atr.Value) : t.NotMeasured)}</b></li>");

        sb.Append(inv, $"</ul><p class=\"small\">{Enc(t.Disclaimer)}</p></section>");
        if (stored.DepthMap is not null)
        {
            sb.Append(inv, $"<section><h2>{Enc(t.HeatMapHeading)}</h2><img class=\"heatmap\" alt=\"{Enc(t.HeatMapAlt)}\" src=\"/r/{Enc(token)}/heatmap.png\"><p class=\"small\">{Enc(t.HeatMapHelp)}</p></section>");
        }

        sb.Append(inv, $"<p><a class=\"pdf\" href=\"/r/{Enc(token)}/report.pdf?lang={t.Language.Code()}\">{Enc(t.PdfDownload)}</a></p>");
        return sb.ToString();
    }

    private static ResultChange? ChangeOf(Screening s, StoredReport stored) =>
        ResultChanges.Since(stored.Analysis.Category, s.InForce(), s.ReviewedAtUtc, s.ReceivedAtUtc, TimeSpan.FromMinutes(s.CapturedOffsetMinutes));

    private static string Shell(ReportText t, string token, string title, string body)
    {
        var sb = new StringBuilder();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        sb.Append(inv, $"<!DOCTYPE html><html lang=\"{t.Language.Code()}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{Enc(title)}</title>");
        sb.Append("<style>").Append(Style).Append("</style></head><body>");
        sb.Append(inv, $"<nav aria-label=\"language\"><a href=\"/r/{Enc(token)}?lang=en\" lang=\"en\">English</a><a href=\"/r/{Enc(token)}?lang=zh-Hant\" lang=\"zh-Hant\">繁體中文</a><a href=\"/r/{Enc(token)}?lang=zh-Hans\" lang=\"zh-Hans\">简体中文</a></nav>");
        sb.Append(inv, $"<main><h1>{Enc(title)}</h1>{body}</main></body></html>");
        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>The pages' only stylesheet, allowed by its hash in their content security policy.</summary>
    internal const string Style =
        "body{font-family:system-ui,'Noto Sans CJK SC','Noto Sans CJK TC',sans-serif;margin:0;padding:1rem;max-width:40rem;line-height:1.5;color:#1a1a1a}nav a{margin-right:.8rem}.result{border-radius:8px;padding:.8rem;background:#f1f5f9}.result-refer{background:#fdecea}.result-rescreen{background:#fff4e5}.result-normal{background:#edf7ed}.category{font-size:1.3rem;font-weight:600}.changed{border-left:4px solid #1565c0;padding:.4rem .6rem;background:#fff}.small{font-size:.85rem;color:#555}img.heatmap{width:100%;max-width:20rem;image-rendering:pixelated;background:#222}a.pdf{display:inline-block;padding:.6rem 1rem;background:#1565c0;color:#fff;border-radius:6px;text-decoration:none}";
}
