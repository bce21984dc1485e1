using SpineScan.Contracts;
using SpineScan.Reports.Pdf;

namespace SpineScan.Web.Services;

/// <summary>
/// When the result in force is not what the device printed on the slip: a clinician's review, or the server's re-check
/// of the numbers at ingest. The parent page and the PDFs say so, with the day (the school's calendar day).
/// </summary>
public static class ResultChanges
{
    /// <param name="slip">The device's category, printed on the slip.</param>
    /// <param name="inForce">The category in force.</param>
    /// <param name="reviewedAtUtc">When a clinician reviewed it, or null.</param>
    /// <param name="receivedAtUtc">When the server received (and re-checked) it.</param>
    /// <param name="offset">The school's UTC offset (the capture's).</param>
    public static ResultChange? Since(ScreeningCategory slip, ScreeningCategory inForce, DateTime? reviewedAtUtc, DateTime receivedAtUtc, TimeSpan offset)
    {
        if (slip == inForce)
        {
            return null;
        }

        var at = reviewedAtUtc ?? receivedAtUtc;
        return new ResultChange(DateOnly.FromDateTime(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToOffset(offset).DateTime), reviewedAtUtc is not null);
    }

    /// <summary>The change of a screening as the dashboard holds it.</summary>
    public static ResultChange? Of(ScreeningDetail d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return Since(d.DeviceCategory, d.Category, d.ReviewedAt?.UtcDateTime, d.ReceivedAt.UtcDateTime, d.CapturedAt.Offset);
    }

    /// <summary>The X-ray outcome of a screening, when recorded.</summary>
    public static XrayOutcome? Xray(double? cobbDeg, DateOnly? date) => cobbDeg is { } c && date is { } d ? new XrayOutcome(c, d) : null;
}
