using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpineScan.Reports.Pdf;

/// <summary>Registers the PDF report renderer.</summary>
public static class PdfReportServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IScreeningReportRenderer"/> (PDFsharp) with the <c>PdfReports</c> options.</summary>
    public static IServiceCollection AddPdfReports(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PdfReportOptions>()
            .Bind(configuration.GetSection(PdfReportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IScreeningReportRenderer, PdfReportRenderer>();
        return services;
    }
}
