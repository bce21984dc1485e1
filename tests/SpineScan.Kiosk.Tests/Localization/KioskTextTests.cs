using System.Text.RegularExpressions;
using SpineScan.Core.Analysis;
using SpineScan.Device.Findings;
using SpineScan.Kiosk.Localization;

namespace SpineScan.Kiosk.Tests.Localization;

public sealed partial class KioskTextTests
{
    public static TheoryData<string> Chinese => ["zh-Hant", "zh-Hans"];

    [Theory]
    [InlineData("en")]
    [InlineData("zh-Hant")]
    [InlineData("zh-Hans")]
    public void Findings_EveryLanguage_HasTextForEveryCodeGatesAndLiveGuidanceUse(string tag)
    {
        var text = Text(tag);
        Assert.Equal(CaptureFindingCodes.All.Order(StringComparer.Ordinal), CaptureFindingText.Codes.Order(StringComparer.Ordinal));
        foreach (var code in CaptureFindingCodes.All)
        {
            var words = text.Finding(new CaptureFinding(code, [1234, 1300, 8, 8]));
            Assert.False(string.IsNullOrWhiteSpace(words), code);
            Assert.NotEqual(code, words);
            Assert.DoesNotContain("NaN", words, StringComparison.Ordinal);
            Assert.Equal(tag != "en", HasHan(words));
        }

        Assert.Equal("some_new_code", text.Finding(new CaptureFinding("some_new_code", [])));
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
