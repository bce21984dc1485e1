using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Testing;
using SpineScan.Web.Services;

namespace SpineScan.Web.Tests.Api;

/// <summary>The review queue's query (the one the queue page and the load figures run).</summary>
internal static partial class ApiScenarios
{
    public static async Task Queue_FiltersSortsAndPages(ServerFixture f)
    {
        // Programme two is otherwise empty: five screenings of SCH2, one a day.
        var day = new DateTimeOffset(2025, 10, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var reports = new[]
        {
            SampleReports.Report("dev-2", "SCH2", cobb: 3, atr: 1, capturedAt: day),
            SampleReports.Report("dev-2", "SCH2", cobb: 25, atr: 8, capturedAt: day.AddDays(1)),
            SampleReports.Report("dev-2", "SCH2", cobb: 12, atr: 3, capturedAt: day.AddDays(2)),
            SampleReports.Report("dev-2", "SCH2", cobb: 31, atr: 9, capturedAt: day.AddDays(3)),
            SampleReports.Report("dev-2", "SCH2", cobb: 8, atr: 2, capturedAt: day.AddDays(4), accepted: false),
        };
        var device = Device(f, f.Device2Credential);
        foreach (var r in reports)
        {
            using var posted = await device.PostAsync("/api/v1/reports", Json(r));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        await using var scope = f.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        var programme = await db.Programmes.Where(p => p.Code == "P2").Select(p => p.Id).SingleAsync();
        var queue = scope.ServiceProvider.GetRequiredService<ScreeningService>();
        var who = new ClinicianScope("b@p2.test", programme);
        async Task<List<Guid>> IdsAsync(QueueQuery q) => [.. (await queue.QueueAsync(who, q, default)).Rows.Select(r => r.ReportId)];
        Guid Id(int i) => reports[i].ReportId;

        // Refer first (oldest first), then re-screen, retake, normal.
        Assert.Equal([Id(1), Id(3), Id(2), Id(4), Id(0)], await IdsAsync(new QueueQuery(Reviewed: null)));
        Assert.Equal([Id(0), Id(4), Id(2), Id(3), Id(1)], await IdsAsync(new QueueQuery(Reviewed: null, Descending: true)));
        Assert.Equal([Id(3), Id(1), Id(2), Id(4), Id(0)], await IdsAsync(new QueueQuery(Reviewed: null, Sort: QueueSort.Cobb, Descending: true)));
        Assert.Equal([Id(3), Id(1)], await IdsAsync(new QueueQuery(Reviewed: null, Category: ScreeningCategory.Refer, Sort: QueueSort.CapturedAt, Descending: true)));
        Assert.Equal([Id(2), Id(3)], await IdsAsync(new QueueQuery(Reviewed: false, From: new DateOnly(2025, 10, 3), To: new DateOnly(2025, 10, 4), Sort: QueueSort.Atr)));
        Assert.Equal([Id(2), Id(4)], await IdsAsync(new QueueQuery(Reviewed: null, Page: 1, PageSize: 2)));
        var page = await queue.QueueAsync(who, new QueueQuery(Reviewed: null, PageSize: 2), default);
        Assert.Equal(5, page.Total);
        Assert.False(page.TotalCapped);

        // A reviewed override leaves the pending queue and moves with its new category.
        Assert.True(await queue.ReviewAsync(who, page.Rows[0].Id, ScreeningCategory.Rescreen, "Curve over-estimated: re-screen.", default));
        Assert.DoesNotContain(Id(1), await IdsAsync(new QueueQuery()));
        Assert.Equal([Id(1), Id(2)], await IdsAsync(new QueueQuery(Reviewed: null, Category: ScreeningCategory.Rescreen, Sort: QueueSort.CapturedAt)));
    }
}
