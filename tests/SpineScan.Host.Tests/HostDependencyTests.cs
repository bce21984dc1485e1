using SpineScan.Host.Commands;

namespace SpineScan.Host.Tests;

public class HostDependencyTests
{
    [Fact]
    public void DeviceExecutable_CarriesNoResearchCode()
    {
        var host = typeof(AnalyzeCommand).Assembly;
        var folder = Path.GetDirectoryName(host.Location)!;

        Assert.DoesNotContain(host.GetReferencedAssemblies(), r => r.Name == "spinescan-lab");
        Assert.False(File.Exists(Path.Combine(folder, "spinescan-lab.dll")), "The lab's assembly is in the device's build output.");
        Assert.DoesNotContain(host.GetTypes(), t => t.Namespace?.StartsWith("SpineScan.Lab", StringComparison.Ordinal) == true);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "models"), "*" + SpineScan.Models.ModelCatalog.CardSuffix));
    }
}
