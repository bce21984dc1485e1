using SpineScan.Contracts;

namespace SpineScan.ServerStore;

/// <summary>
/// What derives from a screening's stored categories: the category in force and its queue priority. The database
/// computes <see cref="Screening.Priority"/> with <see cref="PrioritySql"/>; <see cref="PriorityOf"/> is its twin for
/// queries (a test compares the two for every category).
/// </summary>
public static class ScreeningCategories
{
    /// <summary>The SQL of <see cref="Screening.Priority"/> (the same text on SQLite and PostgreSQL).</summary>
    public const string PrioritySql =
        "CASE COALESCE(\"ReviewedCategory\", \"AssessedCategory\") WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 ELSE 3 END";

    /// <summary>The SQL of <see cref="Screening.Reviewed"/>.</summary>
    public const string ReviewedSql = "\"ReviewedCategory\" IS NOT NULL";

    /// <summary>Queue order: refer first, then re-screen, retake, normal.</summary>
    public static int PriorityOf(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => 0,
        ScreeningCategory.Rescreen => 1,
        ScreeningCategory.Retake => 2,
        _ => 3,
    };

    /// <summary>The category in force: the clinician's once reviewed, else the server's.</summary>
    public static ScreeningCategory InForce(int? reviewedCategory, int assessedCategory) =>
        (ScreeningCategory)(reviewedCategory ?? assessedCategory);

    /// <summary>The category in force of a screening.</summary>
    public static ScreeningCategory InForce(this Screening screening)
    {
        ArgumentNullException.ThrowIfNull(screening);
        return InForce(screening.ReviewedCategory, screening.AssessedCategory);
    }
}
