using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests;

public class CoreDependencyTests
{
    private static readonly string[] ForbiddenPrefixes =
    [
        "Microsoft.EntityFrameworkCore",
        "Microsoft.ML.OnnxRuntime",
        "Microsoft.AspNetCore",
        "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Hosting",
        "OpenCvSharp",
        "PdfSharp",
        "MudBlazor",
        "System.Net.Http",
        "Npgsql",
        "SpineScan.Phantom", // Core holds only the runtime analysis: no phantom,
        "SpineScan.Models", // no model files (hosts load them and hand Core the numbers),
        "spinescan-lab", // no fitting or benches.
    ];

    [Fact]
    public void CoreAssembly_References_NoFrameworkOrAdapter()
    {
        var references = typeof(DepthFrame).Assembly.GetReferencedAssemblies();

        var forbidden = references
            .Where(r => ForbiddenPrefixes.Any(p => r.Name!.StartsWith(p, StringComparison.Ordinal)))
            .Select(r => r.Name)
            .ToList();

        Assert.Empty(forbidden);
        Assert.Contains(references, r => r.Name == "System.Runtime");
    }
}
