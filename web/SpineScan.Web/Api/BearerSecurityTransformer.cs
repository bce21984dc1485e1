using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpineScan.Web.Api;

/// <summary>
/// Describes the bearer credential (<c>{id}.{secret}</c>, from <c>admin add-device</c> or <c>admin add-ehr-client</c>)
/// and requires it on every <c>/api/v1</c> operation. Numbers are read strictly: a number sent as a string is a 400.
/// </summary>
public sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeId = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "SpineScan server API";
        document.Info.Description = "Devices post anonymized reports; EHR clients export FHIR R4. Every number is a JSON number (a number in a string is refused), finite, and every string refuses control characters.";
        document.Info.License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-SpineScan" };
        document.Servers = [new OpenApiServer { Url = "/", Description = "This server" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "{id}.{secret}",
            Description = "A device's or an EHR client's credential, shown once by the admin verb that made it.",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [requirement];
            }
        }

        return Task.CompletedTask;
    }
}
