using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SpineScan.Contracts;
using SpineScan.Testing;
using SpineScan.Web.Load;

// Modes (loopback only, every loop bounded by a count and --seconds):
//   ingest --url http://127.0.0.1:5080 --credential dev-1.xxx --school SCH1 [--count 5000] [--concurrency 16] [--seconds 60] [--parent-links 0]
//       posts sample reports, prints throughput and latency.
//   seed  --provider Sqlite|Postgres --connection "..." [--count 1000000] [--schools 50] [--batch 10000] [--seconds 1800]
//       inserts screenings straight into the database through EF Core (programme LOAD), for the queue figures.
//   queue --provider Sqlite|Postgres --connection "..." [--requests 200] [--seconds 300]
//       times the review-queue query (ScreeningService.QueueAsync, the one the queue page runs) over random pages, filters and sorts.
var mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "ingest";
var options = Args.Parse(mode == "ingest" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..]);
return mode switch
{
    "seed" => await QueueLoad.SeedAsync(options),
    "queue" => await QueueLoad.MeasureAsync(options),
    "ingest" => await IngestAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: ingest|seed|queue [--option value]...; see the top of Program.cs.");
    return 2;
}

static async Task<int> IngestAsync(Args options)
{
    var url = new Uri(options.Get("url", "http://127.0.0.1:5080"));
    if (!IPAddress.TryParse(url.Host, out var address) ? !string.Equals(url.Host, "localhost", StringComparison.Ordinal) : !IPAddress.IsLoopback(address))
    {
        Console.Error.WriteLine("Refusing: the load harness only targets the loopback (127.0.0.0/8, ::1, localhost).");
        return 2;
    }

    var credential = options.Get("credential", "");
    var school = options.Get("school", "SCH1");
    var count = int.Parse(options.Get("count", "5000"), CultureInfo.InvariantCulture);
    var concurrency = int.Parse(options.Get("concurrency", "16"), CultureInfo.InvariantCulture);
    var seconds = int.Parse(options.Get("seconds", "60"), CultureInfo.InvariantCulture);
    var parentLinks = int.Parse(options.Get("parent-links", "0"), CultureInfo.InvariantCulture);
    var deviceId = credential[..credential.LastIndexOf('.')];

    // Bodies are made before the clock starts, so the figure is the server's.
    var random = new Random(42);
    var bodies = new byte[count][];
    var tokens = new List<string>();
    for (var i = 0; i < count; i++)
    {
        var cobb = Math.Round(Math.Abs(random.NextDouble() * random.NextDouble() * 40), 1);
        var atr = Math.Round(Math.Min(20, cobb / 3 + random.NextDouble() * 2), 1);
        ParentLinkRequest? link = null;
        if (i < parentLinks)
        {
            var token = ParentLinkToken.Create();
            tokens.Add(token);
            link = new ParentLinkRequest(ParentLinkToken.Hash(token), DateTimeOffset.UtcNow.AddDays(60));
        }

        var report = SampleReports.Report(deviceId, school, pupil: i % Math.Max(1, count / 3), cobb: cobb, atr: atr,
            capturedAt: new DateTimeOffset(2024, 9, 1, 9, 0, 0, TimeSpan.FromHours(8)).AddDays(i % 600).AddMinutes(i % 300), parentLink: link);
        bodies[i] = JsonSerializer.SerializeToUtf8Bytes(report, SpineScanJsonContext.Default.SyncReport);
    }

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
    var latencies = new double[count];
    var statuses = new int[count];
    var next = -1;
    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count && !deadline.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(bodies[i]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            try
            {
                using var response = await http.PostAsync(new Uri("/api/v1/reports", UriKind.Relative), content, deadline.Token);
                statuses[i] = (int)response.StatusCode;
            }
            catch (OperationCanceledException)
            {
                statuses[i] = -1;
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }).ToArray();
    await Task.WhenAll(workers);
    clock.Stop();

    var done = statuses.Where(s => s != 0).ToArray();
    var ok = done.Count(s => s is 200 or 201);
    var sorted = latencies.Where((_, i) => statuses[i] is 200 or 201).Order().ToArray();
    double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ingest: {ok} stored of {done.Length} sent in {clock.Elapsed.TotalSeconds:0.00} s = {ok / clock.Elapsed.TotalSeconds:0} reports/s; latency p50 {P(0.5):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms; concurrency {concurrency}"));
    foreach (var group in done.Where(s => s is not (200 or 201)).GroupBy(s => s))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  status {group.Key}: {group.Count()}"));
    }

    foreach (var token in tokens)
    {
        Console.WriteLine($"parent-link: /r/{token}");
    }

    return ok == done.Length ? 0 : 1;
}

internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Args(values);
    }

    public string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
}
