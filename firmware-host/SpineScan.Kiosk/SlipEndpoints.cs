using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Security;
using SpineScan.Reports.Pdf;

namespace SpineScan.Kiosk;

/// <summary>
/// <c>GET /slips/{token}.pdf?lang=en|zh-Hant|zh-Hans</c>: the parent slip, inline, for the browser's print dialog. The
/// token is random and valid only in the operator session that was shown it (<see cref="OperatorSessions"/>): a slip
/// holds a child's name and the parent link, so it is never reachable by counting screening ids.
/// </summary>
public static class SlipEndpoints
{
    private const string PlainText = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapSlips(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/slips/{token}.pdf", RenderAsync);
        return endpoints;
    }

    // The slip opens in a tab of its own: a problem is one plain line in the slip's language, not a JSON document.
    private static async Task<IResult> RenderAsync(
        string token, string? lang, HttpContext http, OperatorSessions sessions, IScreeningStation station, CancellationToken cancellationToken)
    {
        var language = ReportLanguages.FromCode(lang);
        var text = KioskText.For(language);
        if (sessions.ResolveSlip(http.User.FindFirst(KioskSecurity.SessionClaim)?.Value, token) is not { } screeningId)
        {
            return Results.Text(text.SlipNotFound, PlainText, statusCode: StatusCodes.Status404NotFound);
        }

        try
        {
            if (await station.GetScreeningAsync(screeningId, cancellationToken).ConfigureAwait(false) is null)
            {
                return Results.Text(text.SlipNotFound, PlainText, statusCode: StatusCodes.Status404NotFound);
            }

            var pdf = await station.RenderSlipAsync(screeningId, language, cancellationToken).ConfigureAwait(false);
            // No file name: the browser shows the PDF inline, ready to print, instead of downloading it.
            return Results.Bytes(pdf, "application/pdf");
        }
        catch (StationInputException)
        {
            return Results.Text(text.SlipNotFound, PlainText, statusCode: StatusCodes.Status404NotFound);
        }
        catch (ReportFontMissingException e)
        {
            return Results.Text(text.SlipFontMissing + "\n" + e.Message, PlainText, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (StationStorageException e)
        {
            return Results.Text(KioskText.Format(text.StorageProblemFormat, e.Message), PlainText, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
