using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Fhir.Tests;

/// <summary>The export against base R4 with the Firely validator (Firely.Fhir.Validation.R4 and the R4 specification.zip).</summary>
public sealed class FirelyValidationTests
{
    private static readonly FhirScreeningExporter Exporter = new(Options.Create(new FhirExportOptions()));

    private static readonly Lazy<Validator> Validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource(Path.Combine(AppContext.BaseDirectory, "specification.zip")));
        return new Validator(resolver.AsAsync(), LocalTerminologyService.CreateDefaultForCore(resolver.AsAsync()));
    });

    public static TheoryData<double, double, bool, bool> Cases => new()
    {
        { 26, 8, false, true },
        { 4, 1, true, false },
        { 12, 5.5, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bundle_IsValidR4_WithoutErrorsOrWarnings(double cobb, double atr, bool reviewed, bool outcome)
    {
        var analysis = SampleReports.Analysis(cobb, atr);
        var screening = new FhirScreening(Guid.CreateVersion7(), SampleReports.Pseudonym(3), Sex.Male, 150,
            new DateTimeOffset(2025, 9, 15, 9, 30, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2025, 9, 15, 18, 0, 0, TimeSpan.Zero),
            analysis, analysis.Category, reviewed, CategoryThresholds.Default,
            outcome ? 28 : null, outcome ? new DateOnly(2025, 10, 2) : null);

        var result = Validator.Value.Validate(Exporter.ToBundle(screening));
        var problems = result.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Warning)
            .Where(i => !UnknownCodeSystem(i))
            .Select(i => $"{i.Severity} {i.Code} at {string.Join(",", i.Expression)}: {i.Details?.Text}").ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CodeSystems_AreValidR4()
    {
        foreach (var system in Exporter.CodeSystems.Values)
        {
            var result = Validator.Value.Validate(system);
            var problems = result.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).Select(i => i.Details?.Text).ToList();
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }

    // The programme's own and SNOMED CT codes cannot be looked up offline: the validator says so as a warning about
    // the code system, which is all it can say. Anything else counts.
    private static bool UnknownCodeSystem(OperationOutcome.IssueComponent issue) =>
        issue.Severity == OperationOutcome.IssueSeverity.Warning && issue.Details?.Text is { } text
        && (text.Contains("spinescan.example", StringComparison.Ordinal) || text.Contains("snomed.info", StringComparison.Ordinal))
        && (text.Contains("unknown", StringComparison.OrdinalIgnoreCase) || text.Contains("not found", StringComparison.OrdinalIgnoreCase) || text.Contains("could not", StringComparison.OrdinalIgnoreCase));
}
