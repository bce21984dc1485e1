using System.Globalization;
using SpineScan.Contracts;

namespace SpineScan.Reports.Pdf;

/// <summary>
/// How numbers read wherever people see them (the PDF, the dashboard, the parent page): one decimal, invariant culture,
/// every Cobb estimate with its 90 % interval, and the one rule for which curves are shown.
/// </summary>
public static class ReportFormat
{
    /// <summary>A curve that reads under this is no curve: it is not listed (a "0.0°" row says nothing).</summary>
    public const double SmallestShownCurveDeg = 0.5;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A number as reports print it: one decimal.</summary>
    public static string Number(double value) => value.ToString("0.0", Inv);

    /// <summary>Degrees with one decimal (<c>23.0°</c>).</summary>
    public static string Degrees(double value) => Number(value) + "°";

    /// <summary>A signed change in degrees (<c>+6.0°</c>, <c>−1.5°</c>, <c>0.0°</c>).</summary>
    public static string DegreesChange(double change) =>
        (Math.Round(change, 1) switch { > 0 => "+", < 0 => "−", _ => "" }) + Degrees(Math.Abs(change));

    /// <summary>A value with its unit (<c>23.0°</c>, <c>6.0 mm</c>, <c>8.0 %</c>).</summary>
    public static string Format(double value, string unit) => unit switch
    {
        Metric.Degrees => Degrees(value),
        Metric.Millimetres => Number(value) + " mm",
        Metric.Percent => Number(value) + " %",
        _ => Number(value) + " " + unit,
    };

    /// <summary>A Cobb estimate with its 90 % interval when it has one: <c>18.0° (90 %: 13–24°)</c>.</summary>
    public static string Cobb(double value, CobbInterval? interval90, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return interval90 is { } i
            ? string.Format(Inv, text.CobbWithInterval, Degrees(value), i.Lower.ToString("0", Inv), i.Upper.ToString("0", Inv) + "°")
            : Degrees(value);
    }

    /// <summary>A curve's estimate with its interval.</summary>
    public static string Cobb(CobbCurve curve, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return Cobb(curve.Value, curve.Interval90, text);
    }

    /// <summary>A probability as a whole percentage (<c>73 %</c>).</summary>
    public static string Percent(double probability) => (probability * 100).ToString("0", Inv) + " %";

    /// <summary>The curves worth a row, largest first: those that read at least <see cref="SmallestShownCurveDeg"/>.</summary>
    public static IReadOnlyList<CobbCurve> ShownCurves(AnalysisMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return [.. metrics.CobbDeg.Where(c => c.Value >= SmallestShownCurveDeg)];
    }
}
