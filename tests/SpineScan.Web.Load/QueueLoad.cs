using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Web.Operations;
using SpineScan.Web.Services;

namespace SpineScan.Web.Load;

/// <summary>The million-screening figures: seeding straight through EF Core, then timing the review-queue query.</summary>
internal static class QueueLoad
{
    public const string ProgrammeCode = "LOAD";

    public static async Task<int> SeedAsync(Args options)
    {
        var (services, error) = Open(options);
        if (services is null)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        await using var _ = services;
        var count = int.Parse(options.Get("count", "1000000"), CultureInfo.InvariantCulture);
        var schoolCount = int.Parse(options.Get("schools", "50"), CultureInfo.InvariantCulture);
        var batch = int.Parse(options.Get("batch", "10000"), CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(int.Parse(options.Get("seconds", "1800"), CultureInfo.InvariantCulture)));
        await ServerStoreServiceCollectionExtensions.MigrateAsync(services);

        int programmeId;
        int[] schoolIds;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            var programme = await db.Programmes.FirstOrDefaultAsync(p => p.Code == ProgrammeCode);
            if (programme is null)
            {
                programme = new Programme { Code = ProgrammeCode, Name = "Load figures" };
                db.Programmes.Add(programme);
                await db.SaveChangesAsync();
                for (var s = 0; s < schoolCount; s++)
                {
                    db.Schools.Add(new School { ProgrammeId = programme.Id, Code = FormattableString.Invariant($"L{s:000}"), Name = FormattableString.Invariant($"Load school {s:000}") });
                }

                await db.SaveChangesAsync();
            }

            programmeId = programme.Id;
            schoolIds = await db.Schools.Where(s => s.ProgrammeId == programmeId).OrderBy(s => s.Id).Select(s => s.Id).ToArrayAsync();
            var existing = await db.Screenings.CountAsync(s => s.ProgrammeId == programmeId);
            count -= existing;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: programme {ProgrammeCode} has {existing} screenings, adding {Math.Max(0, count)}"));
        }

        var random = new Random(7);
        var start = new DateTime(2024, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < count && !deadline.IsCancellationRequested)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var n = Math.Min(batch, count - done);
            var rows = new List<Screening>(n);
            for (var i = 0; i < n; i++)
            {
                // Most children are normal (DESIGN.md: ~3 % suspected scoliosis); older screenings are mostly reviewed.
                var cobb = Math.Round(Math.Abs(random.NextDouble() * random.NextDouble() * random.NextDouble() * 60), 1);
                var atr = Math.Round(Math.Min(20, (cobb / 3) + (random.NextDouble() * 2)), 1);
                var category = random.NextDouble() < 0.02 ? ScreeningCategory.Retake : CategoryThresholds.Default.Categorize(cobb, atr);
                var captured = start.AddMinutes(random.Next(0, 2 * 365 * 24 * 60));
                var reviewed = random.NextDouble() < 0.7;
                rows.Add(new Screening
                {
                    ReportId = Guid.CreateVersion7(),
                    ProgrammeId = programmeId,
                    SchoolId = schoolIds[random.Next(schoolIds.Length)],
                    DeviceId = "load-device",
                    PupilPseudonym = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())).PadLeft(64, '0'),
                    AgeMonths = random.Next(72, 200),
                    Sex = random.Next(0, 3),
                    Grade = "P" + random.Next(1, 7).ToString(CultureInfo.InvariantCulture),
                    CapturedAtUtc = captured,
                    CapturedOffsetMinutes = 480,
                    ReceivedAtUtc = captured.AddHours(8),
                    DeviceCategory = (int)category,
                    AssessedCategory = (int)category,
                    ReviewedCategory = reviewed ? (int)category : null,
                    LargestCobbDeg = category == ScreeningCategory.Retake ? null : cobb,
                    AtrDeg = category == ScreeningCategory.Retake ? null : atr,
                    QualityAccepted = category != ScreeningCategory.Retake,
                    ReviewedAtUtc = reviewed ? captured.AddDays(3) : null,
                    ReviewedBy = reviewed ? "load@example.org" : null,
                    BodySha256 = new string('0', 64),
                });
            }

            db.Screenings.AddRange(rows);
            await db.SaveChangesAsync(deadline.Token);
            done += n;
            if (done % (batch * 10) == 0 || done == count)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {done} rows in {clock.Elapsed.TotalSeconds:0.0} s ({done / clock.Elapsed.TotalSeconds:0} rows/s)"));
            }
        }

        await using (var scope = services.CreateAsyncScope())
        {
            // Fresh planner statistics after a bulk load (and, on PostgreSQL, the visibility map for index-only scans).
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite() ? "ANALYZE;" : "VACUUM ANALYZE \"Screenings\";");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {done} screenings added in {clock.Elapsed.TotalSeconds:0.0} s"));
        return done == Math.Max(0, count) ? 0 : 1;
    }

    public static async Task<int> MeasureAsync(Args options)
    {
        var (services, error) = Open(options);
        if (services is null)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        await using var _ = services;
        var requests = int.Parse(options.Get("requests", "200"), CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(int.Parse(options.Get("seconds", "300"), CultureInfo.InvariantCulture)));
        int programmeId;
        int[] schools;
        int total;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
            programmeId = await db.Programmes.Where(p => p.Code == ProgrammeCode).Select(p => p.Id).SingleAsync();
            schools = await db.Schools.Where(s => s.ProgrammeId == programmeId).Select(s => s.Id).ToArrayAsync();
            total = await db.Screenings.CountAsync(s => s.ProgrammeId == programmeId);
        }

        var scopeOf = new ClinicianScope("load@example.org", programmeId);
        var random = new Random(11);
        var sorts = Enum.GetValues<QueueSort>();
        var categories = Enum.GetValues<ScreeningCategory>();
        QueueQuery Next()
        {
            var from = random.NextDouble() < 0.2 ? new DateOnly(2024, 9, 1).AddDays(random.Next(0, 700)) : (DateOnly?)null;
            return new QueueQuery(
                SchoolId: random.NextDouble() < 0.4 ? schools[random.Next(schools.Length)] : null,
                From: from,
                To: from?.AddDays(random.Next(7, 60)),
                Category: random.NextDouble() < 0.3 ? categories[random.Next(categories.Length)] : null,
                Reviewed: random.Next(3) switch { 0 => null, 1 => true, _ => false },
                Sort: sorts[random.Next(sorts.Length)],
                Descending: random.Next(2) == 0,
                Page: random.NextDouble() < 0.7 ? random.Next(0, 5) : random.Next(0, 200),
                PageSize: random.NextDouble() < 0.8 ? 25 : 100);
        }

        async Task<double> TimeAsync(QueueQuery query)
        {
            var started = Stopwatch.GetTimestamp();
            await using var scope = services.CreateAsyncScope();
            var page = await scope.ServiceProvider.GetRequiredService<ScreeningService>().QueueAsync(scopeOf, query, deadline.Token);
            GC.KeepAlive(page);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        for (var i = 0; i < 10; i++)
        {
            await TimeAsync(Next()); // warm-up: connections, EF's query cache
        }

        var timings = new List<(double Ms, QueueQuery Query)>();
        while (timings.Count < requests && !deadline.IsCancellationRequested)
        {
            var query = Next();
            timings.Add((await TimeAsync(query), query));
        }

        var sorted = timings.Select(t => t.Ms).Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queue: {sorted.Length} requests over {total} screenings: p50 {P(0.5):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms, max {sorted[^1]:0.0} ms"));
        foreach (var (ms, query) in timings.OrderByDescending(t => t.Ms).Take(int.Parse(options.Get("slowest", "5"), CultureInfo.InvariantCulture)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slow: {ms:0.0} ms {query}"));
        }

        return sorted.Length == requests ? 0 : 1;
    }

    /// <summary>The store the server would open, refusing anything but a loopback PostgreSQL or a local SQLite file.</summary>
    private static (ServiceProvider? Services, string? Error) Open(Args options)
    {
        var provider = options.Get("provider", "Sqlite");
        var connection = options.Get("connection", "Data Source=/tmp/spinescan-load/spinescan.db");
        if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            var host = new NpgsqlConnectionStringBuilder(connection).Host ?? "";
            if (!(string.Equals(host, "localhost", StringComparison.Ordinal) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip))))
            {
                return (null, "Refusing: the load harness only uses a PostgreSQL server on the loopback.");
            }
        }
        else
        {
            var file = new SqliteConnectionStringBuilder(connection).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Default"] = connection,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSpineScanServerStore(configuration);
        services.AddScoped<AuditLog>();
        services.AddScoped<ScreeningService>();
        services.AddServerTelemetry(configuration); // the queue's latency instrument (no exporter without the Telemetry section)
        return (services.BuildServiceProvider(), null);
    }
}
