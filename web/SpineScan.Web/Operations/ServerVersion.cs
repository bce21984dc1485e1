using System.Globalization;
using System.Reflection;
using SpineScan.Contracts;
using SpineScan.ServerStore;

namespace SpineScan.Web.Operations;

/// <summary>What runs: the commit it was built from and the schema versions it speaks and stores.</summary>
/// <param name="Version">The product version.</param>
/// <param name="Commit">The git commit of the build (the SDK's SourceRevisionId), or <c>unknown</c> outside a checkout.</param>
/// <param name="ReportSchema">The device report schema the API accepts.</param>
/// <param name="AnalysisSchema">The analysis schema inside a report.</param>
/// <param name="DatabaseSchema">The newest migration of this build, by provider (the database's own state is on <c>/readyz</c>).</param>
public sealed record ServerVersion(string Version, string Commit, string ReportSchema, string AnalysisSchema, IReadOnlyDictionary<string, string> DatabaseSchema)
{
    /// <summary>The commit when the build could not read one (no <c>.git</c>, e.g. a source tarball).</summary>
    public const string UnknownCommit = "unknown";

    private static readonly Lazy<ServerVersion> CurrentVersion = new(() => Of(typeof(ServerVersion).Assembly));

    /// <summary>This server's version.</summary>
    public static ServerVersion Current => CurrentVersion.Value;

    /// <summary>The version of an assembly built by the .NET SDK (its informational version is <c>1.0.0+commit</c> in a checkout).</summary>
    public static ServerVersion Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var (version, commit) = Split(informational);
        return new ServerVersion(version, commit, SyncReport.SchemaV1, AnalysisResult.SchemaV2, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sqlite"] = StoreSchema.Migrations(DatabaseProvider.Sqlite)[^1],
            ["postgres"] = StoreSchema.Migrations(DatabaseProvider.Postgres)[^1],
        });
    }

    /// <summary><c>1.0.0+abc</c> -> (<c>1.0.0</c>, <c>abc</c>); without a <c>+</c> the commit is <see cref="UnknownCommit"/>.</summary>
    public static (string Version, string Commit) Split(string informationalVersion)
    {
        ArgumentNullException.ThrowIfNull(informationalVersion);
        var plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0)
        {
            return (informationalVersion.Length > 0 ? informationalVersion : "0.0.0", UnknownCommit);
        }

        var commit = informationalVersion[(plus + 1)..];
        return (informationalVersion[..plus], commit.Length > 0 ? commit : UnknownCommit);
    }

    /// <summary>The lines <c>SpineScan.Web --version</c> prints.</summary>
    public string ToText() => string.Create(CultureInfo.InvariantCulture, $"""
        SpineScan.Web {Version}
        commit {Commit}
        report schema {ReportSchema}, analysis schema {AnalysisSchema}
        database schema sqlite {DatabaseSchema["sqlite"]}, postgres {DatabaseSchema["postgres"]}
        """);
}
