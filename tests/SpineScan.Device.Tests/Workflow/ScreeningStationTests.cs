using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.Core.Capture;
using SpineScan.Device.Screening;
using SpineScan.DeviceStore;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;
using SpineScan.Reports.Pdf;
using UglyToad.PdfPig;

namespace SpineScan.Device.Tests.Workflow;

public class ScreeningStationTests
{
    [Fact]
    public async Task Screen_PhantomChild_StoresOutcomeResultRawDepthAndOutbox()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));

        var outcome = await test.ScreenAsync(pupil.Id);

        Assert.NotEqual(ScreeningCategory.Retake, outcome.Analysis.Category);
        Assert.Equal(7, outcome.ReportId.Version);
        Assert.InRange(outcome.CaptureToResultMs, 1, 30_000);
        var stored = await test.Station.GetScreeningAsync(outcome.ScreeningId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(outcome.Analysis.Category, stored.Analysis.Category);
        Assert.Equal(outcome.Analysis.LargestCobbDeg, stored.Analysis.LargestCobbDeg);
        Assert.Equal(outcome.CaptureToResultMs, stored.CaptureToResultMs, 3);
        var listed = Assert.Single(await test.Station.FindPupilsAsync(session.Id, "ada", CancellationToken.None));
        Assert.Equal(PupilProgress.Screened, listed.Progress);
        Assert.Equal(outcome.ScreeningId, listed.LatestScreeningId);
        Assert.Equal((await test.Station.FindByCodeAsync(session.Id, " p001 ", CancellationToken.None))!.Id, pupil.Id);

        var outbox = await test.Station.GetOutboxStatusAsync(CancellationToken.None);
        Assert.Equal((1, 0, false), (outbox.Waiting, outbox.Sent, outbox.ServerConfigured));
        await using var db = test.Store.CreateContext();
        var row = await db.Outbox.SingleAsync();
        var report = JsonSerializer.Deserialize(row.PayloadJson, SpineScanJsonContext.Default.SyncReport)!;
        Assert.Empty(SyncReportValidator.Validate(report));
        Assert.Equal(outcome.ReportId, report.ReportId);
        Assert.Equal(PupilPseudonym.Compute(Convert.FromBase64String(TestStation.ProgrammeKey), "P001"), report.PupilPseudonym);
        Assert.Equal("P5A", report.Grade);
        Assert.Equal(Sex.Female, report.Sex);
        Assert.Equal("SCH1", report.SchoolCode);
        Assert.Equal(ScreeningCompletion.AgeMonths(new DateOnly(2014, 3, 27), DateOnly.FromDateTime(report.CapturedAt.DateTime)), report.AgeMonths);
        Assert.NotNull(report.DepthMap);
        Assert.Null(report.ParentLink); // no server: no parent link
        await StoreChecks.AssertWholeAsync(test.Store);
    }

    [Theory]
    [InlineData(2014, 3, 27, 2026, 3, 27, 144)]
    [InlineData(2014, 3, 27, 2026, 3, 26, 143)]
    [InlineData(2014, 1, 31, 2014, 2, 28, 0)]
    public void AgeMonths_CountsWholeMonths(int by, int bm, int bd, int y, int m, int d, int expected) =>
        Assert.Equal(expected, ScreeningCompletion.AgeMonths(new DateOnly(by, bm, bd), new DateOnly(y, m, d)));

    [Fact]
    public async Task Capture_ConsentRefusedOrMissing_ThrowsInputException()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A", "P002,Ben Example,M,2014-04-01,P5A");
        var pupils = await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None);
        var refused = await test.Station.RecordConsentAsync(pupils[0].Id, false, CancellationToken.None);

        var noConsent = await Assert.ThrowsAsync<StationInputException>(() => test.Station.CaptureNextAsync(pupils[0].Id, CancellationToken.None));
        var notAsked = await Assert.ThrowsAsync<StationInputException>(() => test.Station.CaptureNextAsync(pupils[1].Id, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<StationInputException>(() => test.Station.CaptureNextAsync(999_999, CancellationToken.None));

        Assert.Equal(ConsentState.Refused, refused.Consent);
        Assert.Contains("refused", noConsent.Message, StringComparison.Ordinal);
        Assert.Contains("No consent", notAsked.Message, StringComparison.Ordinal);
        Assert.Contains("no such pupil", unknown.Message, StringComparison.Ordinal);
        await using var db = test.Store.CreateContext();
        Assert.Equal(0, await db.Screenings.CountAsync());
    }

    [Fact]
    public async Task CaptureNext_StandingFirstThenTheForwardBendCompletes()
    {
        await using var test = TestStation.Create();
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        await test.Station.RecordConsentAsync(pupil.Id, true, CancellationToken.None);
        Assert.Equal(CapturePose.Standing, pupil.NextPose);

        var standing = await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None);

        Assert.True(standing.Accepted, string.Join(",", standing.Findings.Select(f => f.Code)));
        Assert.Equal(CapturePose.ForwardBend, standing.NextPose);
        Assert.Null(standing.Screening);
        var listed = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        Assert.Equal((PupilProgress.StandingCaptured, CapturePose.ForwardBend), (listed.Progress, listed.NextPose));
    }

    [Fact]
    public async Task OpenSession_BadSchoolCode_ThrowsInputException()
    {
        await using var test = TestStation.Create();

        var ex = await Assert.ThrowsAsync<StationInputException>(() => test.Station.OpenSessionAsync("School one", "P5A", "op", CancellationToken.None));

        Assert.Contains("school code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Screen_WithServer_NoRosterFieldReachesTheOutboxOrTheWire()
    {
        await using var server = await StubSyncServer.StartAsync();
        await using var test = TestStation.Create();
        await test.RegisterAsync(server);
        (string Number, string Name, DateOnly Birth)[] roster =
        [
            ("QX-7731", "Zhang Xiuying-Marguerite", new DateOnly(2014, 3, 27)),
            ("RB/0042", "O'Neill Bartholomew", new DateOnly(2013, 11, 5)),
        ];
        var session = await test.SessionWithRosterAsync([.. roster.Select(p => $"{p.Number},\"{p.Name}\",F,{p.Birth:yyyy-MM-dd},P5A")]);
        var pupils = await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None);
        foreach (var pupil in pupils)
        {
            var outcome = await test.ScreenAsync(pupil.Id);
            // The parent link opens the server's public address, which the server gave the device, not the sync address.
            Assert.NotNull(outcome.ParentLink);
            Assert.StartsWith(server.PublicBaseUrl + "/r/", outcome.ParentLink!.ToString(), StringComparison.Ordinal);
        }

        var status = await test.Station.SyncNowAsync(CancellationToken.None);

        Assert.Equal((2, 0), (status.Sent, status.Waiting));
        Assert.Equal(2, server.Stored.Count);
        await using var db = test.Store.CreateContext();
        var payloads = await db.Outbox.Select(o => o.PayloadJson).ToListAsync();
        var wire = server.Bodies.Select(b => Encoding.UTF8.GetString(b)).ToList();
        Assert.Equal(2, wire.Count);
        foreach (var (number, name, birth) in roster)
        {
            foreach (var forbidden in Variants(number, name, birth))
            {
                foreach (var text in payloads.Concat(wire))
                {
                    Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        // The parent link's token stays on the device: the server gets only its hash.
        var tokens = await db.Screenings.Select(s => s.ParentLinkToken!).ToListAsync();
        Assert.All(tokens, token => Assert.All(wire, text => Assert.DoesNotContain(token, text, StringComparison.Ordinal)));
        Assert.Equal(tokens.Select(ParentLinkToken.Hash).Order(StringComparer.Ordinal), server.Stored.Values.Select(r => r.ParentLink!.TokenSha256).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RenderSlip_ReadBack_HoldsNameNumbersCategoryAndQrCode()
    {
        await using var server = await StubSyncServer.StartAsync();
        await using var test = TestStation.Create();
        await test.RegisterAsync(server);
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        var outcome = await test.ScreenAsync(pupil.Id);
        var stored = (await test.Station.GetScreeningAsync(outcome.ScreeningId, CancellationToken.None))!.Analysis;

        var pdf = await test.Station.RenderSlipAsync(outcome.ScreeningId, ReportLanguage.English, CancellationToken.None);

        using var document = PdfDocument.Open(pdf);
        var page = Assert.Single(document.GetPages());
        var text = page.Text;
        Assert.Contains("Ada Sample", text, StringComparison.Ordinal);
        Assert.Contains(Degrees(stored.LargestCobbDeg!.Value), text, StringComparison.Ordinal);
        Assert.Contains(Degrees(stored.Metrics.AtrDeg!.Value), text, StringComparison.Ordinal);
        Assert.Contains(stored.Category switch
        {
            ScreeningCategory.Refer => "Referral to a doctor advised",
            ScreeningCategory.Rescreen => "Re-screening advised",
            _ => "No sign of scoliosis",
        }, text, StringComparison.Ordinal);
        Assert.True(page.GetImages().Any(), "The depth heat map is an image.");
        Assert.Contains("Scan to open", text, StringComparison.Ordinal); // the QR code's caption, drawn only with a parent link
        Assert.NotNull(outcome.ParentLink);
    }

    private static string Degrees(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "°";

    // Every way a roster field could leak: as typed, upper and lower case, without separators, each name part, dates in common formats.
    private static IEnumerable<string> Variants(string number, string name, DateOnly birth)
    {
        yield return number;
        yield return number.Replace("-", string.Empty, StringComparison.Ordinal).Replace("/", string.Empty, StringComparison.Ordinal);
        yield return PupilPseudonym.Normalize(number);
        yield return name;
        foreach (var part in name.Split(' ', '-', '\''))
        {
            if (part.Length >= 4)
            {
                yield return part;
            }
        }

        foreach (var format in (string[])["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "yyyyMMdd", "dd.MM.yyyy", "yyyy/MM/dd", "d MMM yyyy"])
        {
            yield return birth.ToString(format, CultureInfo.InvariantCulture);
        }

        yield return birth.ToDateTime(TimeOnly.MinValue).ToString("O", CultureInfo.InvariantCulture)[..10];
    }
}
