using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace SpineScan.Web.Tests.Operations;

/// <summary>
/// web/Dockerfile and web/compose.yaml without a container engine (none runs on the build machine): the compose file
/// parses and wires the server to PostgreSQL, the Dockerfile copies what exists, and its entry point runs and serves
/// /healthz and /readyz outside a container with the image's environment.
/// </summary>
public sealed partial class ContainerFilesTests
{
    private static readonly string Web = Path.Combine(RepositoryRoot(), "web");

    [Fact]
    public void Compose_Parses_AndWiresTheServerToAHealthyPostgres()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Web, "compose.yaml")))
        {
            yaml.Load(reader);
        }

        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var server = (YamlMappingNode)services["server"];
        var postgres = (YamlMappingNode)services["postgres"];
        var build = (YamlMappingNode)server["build"];
        var dockerfile = Path.GetFullPath(Path.Combine(Web, build["context"].ToString(), build["dockerfile"].ToString()));
        Assert.True(File.Exists(dockerfile), dockerfile);
        Assert.Equal("service_healthy", ((YamlMappingNode)((YamlMappingNode)server["depends_on"])["postgres"])["condition"].ToString());
        Assert.Contains("pg_isready", ((YamlMappingNode)postgres["healthcheck"])["test"].ToString(), StringComparison.Ordinal);

        var environment = ((YamlMappingNode)server["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        Assert.Equal("Postgres", environment["Database__Provider"]);
        var connection = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__Default"]);
        Assert.Equal("postgres", connection.Host);
        Assert.Equal(((YamlMappingNode)postgres["environment"])["POSTGRES_DB"].ToString(), connection.Database);
        Assert.NotNull(connection.Passfile);
        Assert.Null(connection.Password); // never a password in the file
        var volumes = ((YamlSequenceNode)server["volumes"]).Select(v => v.ToString()).ToList();
        Assert.Contains(volumes, v => environment["Database__KeyRingKeyFile"].StartsWith(v.Split(':')[1] + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_CopiesOnlyWhatExists_AndItsIgnoreFileKeepsThoseIn()
    {
        var lines = File.ReadAllLines(Path.Combine(Web, "Dockerfile"));
        var ignore = File.ReadAllLines(Path.Combine(Web, "Dockerfile.dockerignore"));
        var sources = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = Path.Combine(RepositoryRoot(), source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
            Assert.Contains(ignore, rule => rule == "!" + source.TrimEnd('/') || rule == "!" + source.TrimEnd('/') + "/**");
        }
    }

    [Fact]
    public async Task EntryPoint_OutsideAContainer_WithTheImagesEnvironment_ServesHealthAndReadiness()
    {
        var entry = EntryPoint().Match(File.ReadAllText(Path.Combine(Web, "Dockerfile")));
        Assert.True(entry.Success, "The Dockerfile has no exec-form ENTRYPOINT.");
        var command = Regex.Matches(entry.Groups[1].Value, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(["dotnet", "SpineScan.Web.dll"], command);

        var folder = Path.Combine(Path.GetTempPath(), "spinescan-entry-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = HealthTests.FreePort();
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(command[1]);
        foreach (var env in EnvLine().Matches(File.ReadAllText(Path.Combine(Web, "Dockerfile"))).Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
        {
            start.Environment[env.Item1] = env.Item2;
        }

        Assert.Equal("8080", start.Environment["ASPNETCORE_HTTP_PORTS"]);
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Path.Combine(folder, "data", "s.db")}";
        using var server = Process.Start(start)!;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            HttpStatusCode? live = null;
            for (var i = 0; i < 120 && live is null; i++)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                    live = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, live);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));

    [GeneratedRegex(@"^ENTRYPOINT\s+\[(.*)\]\s*$", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();

    // ENV lines and their continuations: NAME=value pairs.
    [GeneratedRegex(@"(?:ENV\s+|^\s+)([A-Za-z_][A-Za-z0-9_]*)=(\S+)", RegexOptions.Multiline)]
    private static partial Regex EnvLine();
}
