using System.Text;
using SpineScan.Contracts;
using SpineScan.Device.Roster;

namespace SpineScan.Device.Tests.Roster;

public class RosterCsvParserTests
{
    private const string Header = "pupil_number,name,sex,date_of_birth,class";
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static RosterParseResult Parse(string text, params string[] existing) =>
        RosterCsvParser.Parse(Encoding.UTF8.GetBytes(text), existing, Today);

    [Fact]
    public void Parse_BomQuotedFieldsAndCrlf_ReadsEveryPupil()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            Header + "\r\n" +
            "P001,\"Chan, Mei\",F,2014-03-27,P5A\r\n" +
            "P002,\"Wong \"\"Tony\"\" Ka-ho\",male,2013-12-01,P5A\r\n" +
            "p003,Li Wei,female,2014-06-30,P5B\n")).ToArray();

        var result = RosterCsvParser.Parse(bytes, [], Today);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(3, result.Pupils.Count);
        Assert.Equal("Chan, Mei", result.Pupils[0].Name);
        Assert.Equal("Wong \"Tony\" Ka-ho", result.Pupils[1].Name);
        Assert.Equal(Sex.Male, result.Pupils[1].Sex);
        Assert.Equal(Sex.Female, result.Pupils[2].Sex);
        Assert.Equal(new DateOnly(2014, 3, 27), result.Pupils[0].DateOfBirth);
        Assert.Equal("P5B", result.Pupils[2].ClassName);
        Assert.Equal(4, result.Pupils[2].Line);
    }

    [Theory]
    [InlineData("P001,Chan Mei,X,2014-03-27,P5A", "sex")]
    [InlineData("P001,Chan Mei,F,27/03/2014,P5A", "date_of_birth")]
    [InlineData("P001,Chan Mei,F,2030-01-01,P5A", "date_of_birth")]
    [InlineData("P001,Chan Mei,F,1950-01-01,P5A", "date_of_birth")]
    [InlineData(",Chan Mei,F,2014-03-27,P5A", "pupil_number")]
    [InlineData("P 001,Chan Mei,F,2014-03-27,P5A", "pupil_number")]
    [InlineData("P001,,F,2014-03-27,P5A", "name")]
    [InlineData("P001,Chan Mei,F,2014-03-27,", "class")]
    [InlineData("P001,Chan Mei,F,2014-03-27,Class-with-a-very-long-name", "class")]
    [InlineData("P001,Chan, Mei,F,2014-03-27,P5A", "row")]
    [InlineData("P001,Chan Mei,F,2014-03-27", "row")]
    [InlineData("P001,\"Chan Mei,F,2014-03-27,P5A", "row")]
    [InlineData("P001,\"Chan\" Mei,F,2014-03-27,P5A", "row")]
    public void Parse_BadRow_NamesLineAndColumnAndImportsNothing(string badRow, string column)
    {
        var result = Parse(Header + "\r\nP000,Good Pupil,M,2014-01-01,P5A\r\n" + badRow + "\r\n");

        Assert.False(result.Succeeded);
        Assert.Empty(result.Pupils);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal(column, error.Column);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_DuplicateInFile_ReportsTheRepeatWithTheFirstLine()
    {
        var result = Parse(Header + "\nP001,A One,F,2014-01-01,P5A\nP002,B Two,M,2014-01-01,P5A\np001,C Three,F,2014-01-01,P5A\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Equal("pupil_number", error.Column);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Pupils);
    }

    [Fact]
    public void Parse_DuplicateWithExistingRoster_IsAnError()
    {
        var result = Parse(Header + "\nP009,A One,F,2014-01-01,P5A\n", " p009 ");

        Assert.Equal("pupil_number", Assert.Single(result.Errors).Column);
    }

    [Fact]
    public void Parse_SeveralBadRows_ReportsEveryOne()
    {
        var result = Parse(Header + "\nP001,A One,Q,2014-01-01,P5A\nP002,B Two,M,bad,P5A\nP003,C Three,F,2014-01-01,P5A\n");

        Assert.Equal([(2, "sex"), (3, "date_of_birth")], result.Errors.Select(e => (e.Line, e.Column)));
        Assert.Empty(result.Pupils);
    }

    [Theory]
    [InlineData("")]
    [InlineData("number,name,sex,dob,class\nP001,A,F,2014-01-01,P5A\n")]
    [InlineData(Header + "\r\n")]
    public void Parse_MissingHeaderOrRows_IsAnError(string text)
    {
        var result = Parse(text);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Errors[0].Line);
    }

    [Fact]
    public void Parse_NotUtf8_SaysHowToSave()
    {
        var latin1 = Encoding.Latin1.GetBytes(Header + "\nP001,Zoë,F,2014-01-01,P5A\n");

        var result = RosterCsvParser.Parse(latin1, [], Today);

        Assert.Contains("UTF-8", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntheticRoster_ParsesAndIsClearlyFake()
    {
        var csv = SyntheticRoster.Csv(30, 1, "DEMO", Today);

        var result = Parse(csv);

        Assert.True(result.Succeeded);
        Assert.Equal(30, result.Pupils.Count);
        Assert.All(result.Pupils, p => Assert.StartsWith("Test ", p.Name, StringComparison.Ordinal));
        Assert.All(result.Pupils, p => Assert.StartsWith("DEMO-", p.PupilNumber, StringComparison.Ordinal));
        Assert.Equal(csv, SyntheticRoster.Csv(30, 1, "DEMO", Today));
    }
}
