using System.Globalization;
using System.Text;

namespace SpineScan.Device.Roster;

/// <summary>
/// A made-up class roster for demos and the headless <c>screen</c> verb when no roster is given: every name starts with
/// "Test" and every pupil number with "DEMO-", so a synthetic pupil can never be mistaken for a real one.
/// </summary>
public static class SyntheticRoster
{
    private static readonly string[] GivenNames = ["Ada", "Ben", "Chloe", "Dev", "Elin", "Finn", "Gita", "Hugo", "Iris", "Jun", "Kai", "Lena", "Milo", "Nia", "Omar", "Pia"];
    private static readonly string[] FamilyNames = ["Sample", "Example", "Placeholder", "Fictional", "Dummy", "Mock"];

    /// <summary>The roster as CSV text (the import format) for <paramref name="count"/> pupils of class <paramref name="className"/>.</summary>
    /// <param name="count">Pupils.</param>
    /// <param name="seed">Same seed, same roster.</param>
    /// <param name="className">The class column.</param>
    /// <param name="today">Ages are drawn 9 to 13 years before this date.</param>
    public static string Csv(int count, int seed, string className, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new Random(seed);
        var csv = new StringBuilder(RosterCsvParser.Header).Append("\r\n");
        for (var i = 1; i <= count; i++)
        {
            var given = GivenNames[random.Next(GivenNames.Length)];
            var family = FamilyNames[random.Next(FamilyNames.Length)];
            var sex = random.Next(2) == 0 ? "F" : "M";
            var dob = today.AddDays(-random.Next(9 * 365, 13 * 365));
            csv.Append(CultureInfo.InvariantCulture, $"DEMO-{seed}-{i:000},\"Test {given} {family}\",{sex},{dob:yyyy-MM-dd},{className}\r\n");
        }

        return csv.ToString();
    }
}
