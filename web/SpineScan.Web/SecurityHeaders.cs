using System.Security.Cryptography;
using System.Text;

namespace SpineScan.Web;

/// <summary>
/// The headers every answer carries: a content security policy (strict on the parent pages, what Blazor Server and
/// MudBlazor need on the dashboard), <c>nosniff</c>, framing refused, no referrer from the parent pages (their path holds
/// the token), HSTS over TLS, and <c>no-store</c> on exports and the APIs.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The dashboard: scripts only from this server; MudBlazor sets inline styles; the heat map is a data: image; the circuit's WebSocket is same-origin.</summary>
    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The parent pages: nothing but this server's images and the page's own stylesheet (by hash).</summary>
    public static string ParentPolicy(string inlineStyle) =>
        $"default-src 'none'; img-src 'self'; style-src '{StyleHash(inlineStyle)}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The CSP source of an inline style block's text.</summary>
    public static string StyleHash(string style) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));

    /// <summary>True for a path whose answer must not be cached: exports, the APIs, the parent pages.</summary>
    public static bool IsPrivate(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/r", StringComparison.Ordinal)
        || (path.StartsWithSegments("/screenings", StringComparison.Ordinal) && (path.Value!.EndsWith(".pdf", StringComparison.Ordinal) || path.Value.EndsWith(".json", StringComparison.Ordinal) || path.Value.EndsWith(".png", StringComparison.Ordinal)));

    public static IApplicationBuilder UseSpineScanSecurityHeaders(this IApplicationBuilder app, string parentStyle) =>
        app.Use((context, next) =>
        {
            var request = context.Request;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var parent = request.Path.StartsWithSegments("/r", StringComparison.Ordinal);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = parent ? "no-referrer" : "same-origin";
                // Replaces Blazor's own frame-ancestors-only policy with the whole one.
                headers.ContentSecurityPolicy = parent ? ParentPolicy(parentStyle) : DashboardPolicy;

                if (request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }

                if (IsPrivate(request.Path))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
}
