using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Components;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Fakes;

namespace SpineScan.Kiosk.Tests.Components;

public sealed class RosterImportTests
{
    private const string Csv = "pupil_number,name,sex,date_of_birth,class\n1001,Chan Tai Man,male,2015-02-01,5A\n1002,Lee Siu Ling,female,2015-13-40,5A\n";

    [Fact]
    public async Task Import_RowErrors_ShowsEveryErrorInATableAndSaysNothingWasImported()
    {
        var station = new FakeScreeningStation
        {
            RosterAnswer = new RosterImportResult(0,
            [
                new RosterRowError(3, "date_of_birth", "2015-13-40 is not a date (YYYY-MM-DD)."),
                new RosterRowError(4, "pupil_number", "1001 appears twice: line 2 and line 4."),
            ]),
        };
        await using var context = KioskTestContext.Create(station);
        var imported = 0;
        var cut = context.Render<RosterImport>(p => p
            .Add(c => c.SessionId, 1)
            .Add(c => c.Imported, () => imported++));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "roster.csv"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#roster-errors tbody tr").Count));
        var rows = cut.FindAll("#roster-errors tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())
            .ToList();
        Assert.Equal(["3", "date_of_birth", "2015-13-40 is not a date (YYYY-MM-DD)."], rows[0]);
        Assert.Equal(["4", "pupil_number", "1001 appears twice: line 2 and line 4."], rows[1]);
        Assert.Equal(KioskText.English.RosterNothingImported, cut.Find("#roster-nothing-imported").TextContent.Trim());
        Assert.Empty(cut.FindAll("#roster-imported"));
        Assert.Equal(0, imported);
        Assert.Equal(Csv, station.LastRosterCsv);
    }

    [Fact]
    public async Task Import_ValidFile_ShowsTheCountAndTellsThePicker()
    {
        var station = new FakeScreeningStation();
        await using var context = KioskTestContext.Create(station);
        var imported = 0;
        var cut = context.Render<RosterImport>(p => p
            .Add(c => c.SessionId, 1)
            .Add(c => c.Imported, () => imported++));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "roster.csv"));

        cut.WaitForAssertion(() => Assert.Equal("2 pupils imported.", cut.Find("#roster-imported").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#roster-errors"));
        Assert.Equal(1, imported);
        Assert.Equal(2, station.Pupils.Count);
    }
}
