using System.Globalization;
using System.Reflection;
using System.Text;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Models;

namespace SpineScan.Host.Operations;

/// <summary><c>spinescan --version</c>: the commit it was built from, the algorithm, the wire schemas and each shipped model's id and SHA-256.</summary>
public static class DeviceVersion
{
    /// <summary>The commit when the build could not read one (no <c>.git</c>).</summary>
    public const string UnknownCommit = "unknown";

    /// <summary>The commit in this build's informational version (<c>1.0.0+commit</c>, the SDK's SourceRevisionId), or <see cref="UnknownCommit"/>.</summary>
    public static string Commit(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || plus == informational.Length - 1 ? UnknownCommit : informational[(plus + 1)..];
    }

    /// <summary>The lines printed; a models folder that does not load is named with the loader's message, not a stack trace.</summary>
    public static string Text(Func<ModelCatalog> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"spinescan {typeof(DeviceVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"commit {Commit(typeof(DeviceVersion).Assembly)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"algorithm {ScreeningResult.AlgorithmVersion}; analysis schema {AnalysisResult.SchemaV2}; report schema {SyncReport.SchemaV1}");
        try
        {
            var catalog = models();
            foreach (var model in catalog.Models)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"model {model.Card.Id} sha256 {model.Card.Sha256}");
            }
        }
        catch (ModelLoadException ex)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"models: {ex.Message}");
        }

        return text.ToString().TrimEnd();
    }
}
