using System.CommandLine;
using System.Net;
using SpineScan.Host.Commands;

namespace SpineScan.Host.Tests.Commands;

public sealed partial class RunCommandTests
{
    [Fact]
    public async Task Run_WithPrometheusEnabled_ServesTheDevicesInstruments_ElseNoMetrics()
    {
        foreach (var enabled in new[] { true, false })
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var output = new StringWriter();
            using var error = new StringWriter();
            var root = new RootCommand("test");
            root.Subcommands.Add(RunCommand.Create());
            var running = root.Parse(["run", "--port", "0", "--data", _data + (enabled ? "-on" : "-off"), "--source", "phantom", $"--Telemetry:PrometheusEnabled={enabled}"])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Synchronized(output), Error = TextWriter.Synchronized(error) }, stop.Token);
            var url = await WaitForUrlAsync(output, running);
            using (var client = new HttpClient { BaseAddress = url })
            {
                using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
                var text = await response.Content.ReadAsStringAsync();
                if (enabled)
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Matches("(?m)^spinescan_disk_free_bytes(\\{[^}]*\\})? [1-9]", text);
                    Assert.Matches("(?m)^spinescan_outbox_waiting(\\{[^}]*\\})? 0", text);
                }
                else
                {
                    Assert.DoesNotContain("spinescan_disk_free", text, StringComparison.Ordinal);
                }
            }

            await stop.CancelAsync();
            Assert.Equal(0, await running);
            foreach (var folder in new[] { _data + "-on", _data + "-off" }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
