using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpineScan.Fhir;

/// <summary>Registers the FHIR R4 export.</summary>
public static class FhirServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IFhirScreeningExporter"/> with the <c>Fhir</c> options.</summary>
    public static IServiceCollection AddFhirExport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FhirExportOptions>()
            .Bind(configuration.GetSection(FhirExportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IFhirScreeningExporter, FhirScreeningExporter>();
        return services;
    }
}
