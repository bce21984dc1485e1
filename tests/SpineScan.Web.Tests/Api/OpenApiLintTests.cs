using System.Diagnostics;

namespace SpineScan.Web.Tests.Api;

/// <summary>A fact that needs the test tools from npm (<c>tests/SpineScan.Web.Tests/node</c>, installed by <c>.ci/setup</c>).</summary>
public sealed class NodeToolFactAttribute : FactAttribute
{
    public static readonly string Modules = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../node/node_modules"));

    public NodeToolFactAttribute(string tool)
    {
        if (!Directory.Exists(Path.Combine(Modules, tool)))
        {
            Skip = $"Needs {tool} in {Modules}: run bash .ci/setup (npm install in tests/SpineScan.Web.Tests/node).";
        }
    }
}

/// <summary>A theory that needs the test tools from npm, as <see cref="NodeToolFactAttribute"/>.</summary>
public sealed class NodeToolTheoryAttribute : TheoryAttribute
{
    public NodeToolTheoryAttribute(string tool)
    {
        if (!Directory.Exists(Path.Combine(NodeToolFactAttribute.Modules, tool)))
        {
            Skip = $"Needs {tool} in {NodeToolFactAttribute.Modules}: run bash .ci/setup (npm install in tests/SpineScan.Web.Tests/node).";
        }
    }
}

/// <summary>Redocly's lint of the served OpenAPI document: no errors.</summary>
public sealed class OpenApiLintTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [NodeToolFact("@redocly/cli")]
    public async Task OpenApi_RedoclyLint_HasNoErrors()
    {
        var file = Path.Combine(fixture.Folder, "openapi.json");
        await File.WriteAllTextAsync(file, await fixture.Factory.CreateClient().GetStringAsync("/openapi/v1.json"));
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(NodeToolFactAttribute.Modules, "@redocly/cli/bin/cli.js"), "lint", file, "--format", "stylish" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var lint = Process.Start(start)!;
        var output = await lint.StandardOutput.ReadToEndAsync() + await lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();
        Assert.True(lint.ExitCode == 0, output);
    }
}
