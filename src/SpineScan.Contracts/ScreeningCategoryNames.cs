namespace SpineScan.Contracts;

/// <summary>
/// The one mapping of <see cref="ScreeningCategory"/> to its wire name (the JSON value, the FHIR code, the CSS and
/// data attributes): <c>normal</c>, <c>rescreen</c>, <c>refer</c>, <c>retake</c>. Text for people is elsewhere, per language.
/// </summary>
public static class ScreeningCategoryNames
{
    /// <summary>The wire name of a category, as its <c>JsonStringEnumMemberName</c> spells it.</summary>
    /// <param name="category">The category.</param>
    /// <returns>The wire name.</returns>
    public static string WireName(this ScreeningCategory category) => category switch
    {
        ScreeningCategory.Normal => "normal",
        ScreeningCategory.Rescreen => "rescreen",
        ScreeningCategory.Refer => "refer",
        ScreeningCategory.Retake => "retake",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown screening category."),
    };

    /// <summary>The category of a wire name (exact, lowercase).</summary>
    /// <param name="wireName">The wire name.</param>
    /// <param name="category">The category, when known.</param>
    /// <returns>Whether the name is a category's.</returns>
    public static bool TryParse(string? wireName, out ScreeningCategory category)
    {
        foreach (var candidate in Enum.GetValues<ScreeningCategory>())
        {
            if (string.Equals(candidate.WireName(), wireName, StringComparison.Ordinal))
            {
                category = candidate;
                return true;
            }
        }

        category = default;
        return false;
    }
}
