using System.Globalization;
using System.Text;
using SpineScan.Contracts;
using SpineScan.Device.Workflow;

namespace SpineScan.Device.Roster;

/// <summary>One pupil of a class roster as read from CSV.</summary>
public sealed record RosterPupil(int Line, string PupilNumber, string Name, Sex Sex, DateOnly DateOfBirth, string ClassName);

/// <summary>What a roster file held: its pupils, or every row error (and then no pupils).</summary>
public sealed record RosterParseResult(IReadOnlyList<RosterPupil> Pupils, IReadOnlyList<RosterRowError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Reads a class roster: <c>pupil_number,name,sex,date_of_birth,class</c> (RFC 4180 CSV: UTF-8 with or without BOM,
/// quoted fields with doubled quotes, CRLF or LF). Sex is F, M, female or male; the date is yyyy-MM-dd. All or
/// nothing: every wrong row is reported (line, column, what to do) and no pupil is returned when there is one.
/// </summary>
public static class RosterCsvParser
{
    public const string Header = "pupil_number,name,sex,date_of_birth,class";

    /// <summary>The most pupils one roster may hold.</summary>
    public const int MaxPupils = 2000;

    private static readonly string[] Columns = ["pupil_number", "name", "sex", "date_of_birth", "class"];

    /// <param name="csv">The file's bytes.</param>
    /// <param name="existingPupilNumbers">Pupil numbers already on the session's roster (normalized or not); a repeat is an error.</param>
    /// <param name="today">The date the roster is imported on (dates of birth after it are errors).</param>
    public static RosterParseResult Parse(ReadOnlySpan<byte> csv, IReadOnlyCollection<string> existingPupilNumbers, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(existingPupilNumbers);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(csv);
        }
        catch (DecoderFallbackException)
        {
            return Fail(new RosterRowError(1, "file", "The file is not UTF-8 text. Save the roster as 'CSV UTF-8' and import it again."));
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var errors = new List<RosterRowError>();
        var records = ReadRecords(text, errors);
        if (errors.Count > 0)
        {
            return Fail([.. errors]);
        }

        if (records.Count == 0)
        {
            return Fail(new RosterRowError(1, "header", $"The file is empty. The first line must be the header '{Header}'."));
        }

        var (headerLine, header) = records[0];
        if (header.Count != Columns.Length || !Columns.Select((c, i) => string.Equals(header[i].Trim(), c, StringComparison.OrdinalIgnoreCase)).All(ok => ok))
        {
            return Fail(new RosterRowError(headerLine, "header", $"The first line must be exactly '{Header}'."));
        }

        var existing = new HashSet<string>(existingPupilNumbers.Select(PupilPseudonym.Normalize), StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var pupils = new List<RosterPupil>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            if (fields.Count != Columns.Length)
            {
                errors.Add(new RosterRowError(line, "row", FormattableString.Invariant($"The row has {fields.Count} fields, not 5. Quote any field that holds a comma (\"Chan, Mei\").")));
                continue;
            }

            var number = fields[0].Trim();
            var name = fields[1].Trim();
            var rowOk = true;
            if (number.Length is 0 or > 32 || !IsCode(number))
            {
                errors.Add(new RosterRowError(line, "pupil_number", "The pupil number is missing or not 1 to 32 letters, digits, '-' or '/'. Fill it in from the school's records."));
                rowOk = false;
            }
            else
            {
                var normalized = PupilPseudonym.Normalize(number);
                if (existing.Contains(normalized))
                {
                    errors.Add(new RosterRowError(line, "pupil_number", $"Pupil number {number} is already on this session's roster. Remove the row or correct the number."));
                    rowOk = false;
                }
                else if (seen.TryGetValue(normalized, out var first))
                {
                    errors.Add(new RosterRowError(line, "pupil_number", FormattableString.Invariant($"Pupil number {number} appears twice (first on line {first}). Remove the repeated row or correct the number.")));
                    rowOk = false;
                }
                else
                {
                    seen[normalized] = line;
                }
            }

            if (name.Length is 0 or > 100)
            {
                errors.Add(new RosterRowError(line, "name", "The name is missing or longer than 100 characters. Fill in the child's name as it should appear on the parent slip."));
                rowOk = false;
            }

            if (!TryParseSex(fields[2].Trim(), out var sex))
            {
                errors.Add(new RosterRowError(line, "sex", $"'{fields[2].Trim()}' is not a sex. Write F, M, female or male."));
                rowOk = false;
            }

            var dobText = fields[3].Trim();
            if (!DateOnly.TryParseExact(dobText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
            {
                errors.Add(new RosterRowError(line, "date_of_birth", $"'{dobText}' is not a date. Write it as yyyy-MM-dd (e.g. 2014-03-27)."));
                rowOk = false;
            }
            else if (dob > today || dob < today.AddYears(-25))
            {
                errors.Add(new RosterRowError(line, "date_of_birth", $"{dobText} is not the birth date of a school child. Check the year."));
                rowOk = false;
            }

            var className = fields[4].Trim();
            if (className.Length is 0 or > 16)
            {
                errors.Add(new RosterRowError(line, "class", "The class is missing or longer than 16 characters. Write the class or grade (e.g. P5A)."));
                rowOk = false;
            }

            if (rowOk)
            {
                pupils.Add(new RosterPupil(line, number, name, sex, dob, className));
            }
        }

        if (errors.Count == 0 && pupils.Count == 0)
        {
            errors.Add(new RosterRowError(headerLine, "file", "The roster has a header but no pupils. Add one row per pupil."));
        }

        if (errors.Count == 0 && pupils.Count > MaxPupils)
        {
            errors.Add(new RosterRowError(pupils[MaxPupils].Line, "file", FormattableString.Invariant($"A roster holds at most {MaxPupils} pupils. Split it by class.")));
        }

        return errors.Count > 0 ? Fail([.. errors]) : new RosterParseResult(pupils, []);
    }

    private static RosterParseResult Fail(params RosterRowError[] errors) => new([], errors);

    private static bool TryParseSex(string value, out Sex sex)
    {
        if (string.Equals(value, "F", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "female", StringComparison.OrdinalIgnoreCase))
        {
            sex = Sex.Female;
            return true;
        }

        if (string.Equals(value, "M", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "male", StringComparison.OrdinalIgnoreCase))
        {
            sex = Sex.Male;
            return true;
        }

        sex = Sex.Unknown;
        return false;
    }

    private static bool IsCode(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '/' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 4180 records with their starting line numbers; a quoted field may span lines.
    private static List<(int Line, List<string> Fields)> ReadRecords(string text, List<RosterRowError> errors)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var quoted = false;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        errors.Add(new RosterRowError(line, "row", "Text follows a closing quote. Double a quote inside a quoted field (\"\")."));
                        return records;
                    }

                    continue;
                }

                if (c == '\n')
                {
                    line++;
                }

                field.Append(c);
                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    i++;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    i++;
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    records.Add((recordLine, fields));
                    fields = [];
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    i++;
                    break;
            }
        }

        if (quoted)
        {
            errors.Add(new RosterRowError(recordLine, "row", "A quoted field is never closed. Add the closing quote."));
            return records;
        }

        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }

        return records;
    }
}
