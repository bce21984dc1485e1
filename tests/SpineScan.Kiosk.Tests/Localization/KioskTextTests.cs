using System.Text.RegularExpressions;
using SpineScan.Kiosk.Localization;

namespace SpineScan.Kiosk.Tests.Localization;

public sealed partial class KioskTextTests
{
    public static TheoryData<string> Chinese => ["zh-Hant", "zh-Hans"];

    [Theory]
    [InlineData("en")]
    [InlineData("zh-Hant")]
    [InlineData("zh-Hans")]
    public void Hints_EveryLanguage_TranslatesEveryKnownCode(string tag)
    {
        var text = Text(tag);
        foreach (var code in KioskText.KnownHintCodes)
        {
            Assert.True(text.Hints.ContainsKey(code), $"{tag} has no text for hint '{code}'.");
        }

        Assert.Equal("Keep still", text.Hint("some_new_code", "Keep still"));
    }

    [Theory]
    [MemberData(nameof(Chinese))]
    public void Texts_Chinese_AreTranslationsNotEnglishCopies(string tag)
    {
        var text = Text(tag);
        var untranslated = TextProperties()
            .Where(p => p.Name != nameof(KioskText.SexUnknown))
            .Where(p => !HasHan((string)p.GetValue(text)!))
            .Select(p => p.Name)
            .ToList();

        Assert.Empty(untranslated);
        Assert.All(text.Hints.Values, hint => Assert.True(HasHan(hint), hint));
    }

    [Theory]
    [MemberData(nameof(Chinese))]
    public void Formats_Chinese_UseTheSamePlaceholdersAsEnglish(string tag)
    {
        var text = Text(tag);
        foreach (var property in TextProperties())
        {
            var english = Placeholders((string)property.GetValue(KioskText.English)!);
            var translated = Placeholders((string)property.GetValue(text)!);
            Assert.True(english.SetEquals(translated), $"{tag}.{property.Name}: {string.Join(",", translated)} vs English {string.Join(",", english)}");
        }
    }

    [Fact]
    public void Texts_TraditionalAndSimplified_AreWrittenInTheirOwnScript()
    {
        // Characters that differ between the scripts: a copy of one as the other would fail here.
        Assert.Contains("篩查", KioskText.TraditionalChinese.AppTitle, StringComparison.Ordinal);
        Assert.Contains("筛查", KioskText.SimplifiedChinese.AppTitle, StringComparison.Ordinal);
        Assert.Contains("轉介", KioskText.TraditionalChinese.CategoryRefer, StringComparison.Ordinal);
        Assert.Contains("转诊", KioskText.SimplifiedChinese.CategoryRefer, StringComparison.Ordinal);
    }

    private static KioskText Text(string tag) => KioskText.For(SpineScan.Reports.Pdf.ReportLanguages.FromCode(tag));

    private static IEnumerable<System.Reflection.PropertyInfo> TextProperties() =>
        typeof(KioskText).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite);

    private static bool HasHan(string value) => value.Any(c => c is >= '\u4e00' and <= '\u9fff');

    private static HashSet<string> Placeholders(string value) =>
        PlaceholderPattern().Matches(value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex PlaceholderPattern();
}
