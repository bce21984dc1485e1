using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpineScan.ServerStore;

namespace SpineScan.Web.Operations;

/// <summary>Ready when the database answers and has every migration of this build.</summary>
public sealed class DatabaseReadyCheck(SpineScanDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = await StoreSchema.CheckAsync(db, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["reachable"] = state.Reachable,
            ["applied"] = state.Applied ?? "",
            ["pending"] = string.Join(',', state.Pending),
        };
        return state switch
        {
            { Reachable: false } => HealthCheckResult.Unhealthy("The database cannot be reached: " + state.Error, data: data),
            { Pending.Count: > 0 } => HealthCheckResult.Unhealthy(
                $"The database lacks {state.Pending.Count} migration(s) of this build: start one node with Database:MigrateOnStart=true.", data: data),
            _ => HealthCheckResult.Healthy("The database answers and its schema is this build's.", data),
        };
    }
}

/// <summary><c>/healthz</c> (the process answers), <c>/readyz</c> (the database too) and <c>/version</c>; anonymous, never cached.</summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddServerHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapServerHealth(this IEndpointRouteBuilder endpoints)
    {
        // Liveness runs no check: a slow database must not get a live process restarted.
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
        endpoints.MapGet("/version", () => TypedResults.Json(ServerVersion.Current, OperationsJsonContext.Default.ServerVersion))
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary><c>{"status":"Healthy","checks":{"database":{"status":..,"description":..,"data":{..}}}}</c>.</summary>
    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    if (value is bool flag)
                    {
                        json.WriteBoolean(key, flag);
                    }
                    else
                    {
                        json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServerVersion))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
