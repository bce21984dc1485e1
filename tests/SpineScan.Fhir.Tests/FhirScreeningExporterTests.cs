using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;
using SpineScan.Testing;

namespace SpineScan.Fhir.Tests;

public sealed class FhirScreeningExporterTests
{
    private static readonly FhirScreeningExporter Exporter = new(Options.Create(new FhirExportOptions()));

    private static FhirScreening Sample(double cobb = 23.4, double atr = 6.2, bool reviewed = false, ScreeningCategory? category = null)
    {
        var analysis = SampleReports.Analysis(cobb, atr);
        return new FhirScreening(Guid.CreateVersion7(), SampleReports.Pseudonym(7), Sex.Female, 130,
            new DateTimeOffset(2025, 9, 15, 9, 30, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2025, 9, 15, 18, 0, 0, TimeSpan.Zero),
            analysis, category ?? analysis.Category, reviewed, CategoryThresholds.Default);
    }

    private static Bundle RoundTrip(FhirScreening screening) =>
        JsonSerializer.Deserialize<Bundle>(Exporter.ToJson(screening), FhirScreeningExporter.Json)!;

    [Fact]
    public void ToJson_Refer_ParsesBackAsCollectionWithReportPatientAndOneObservationPerMetric()
    {
        var screening = Sample();
        var bundle = RoundTrip(screening);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var report = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>());
        var patient = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Patient>());
        var observations = bundle.Entry.Select(e => e.Resource).OfType<Observation>().ToList();
        // 2 Cobb curves, pattern, ATR, 9 posture metrics, capture quality.
        Assert.Equal(14, observations.Count);
        Assert.Equal(2 + observations.Count, bundle.Entry.Count);
        Assert.Equal(observations.Count, report.Result.Count);
        var urls = bundle.Entry.Select(e => e.FullUrl).ToHashSet(StringComparer.Ordinal);
        Assert.All(report.Result, r => Assert.Contains(r.Reference, urls));
        Assert.All(observations, o => Assert.Equal(report.Subject!.Reference, o.Subject!.Reference));
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
        Assert.Equal(screening.ReportId.ToString(), report.Identifier[0].Value);
        _ = patient;
    }

    [Fact]
    public void ToBundle_Patient_IsPseudonymOnly()
    {
        var screening = Sample();
        var patient = RoundTrip(screening).Entry.Select(e => e.Resource).OfType<Patient>().Single();

        var identifier = Assert.Single(patient.Identifier);
        Assert.Equal(screening.PupilPseudonym, identifier.Value);
        Assert.Equal(Exporter.PseudonymSystem, identifier.System);
        Assert.Empty(patient.Name);
        Assert.Null(patient.BirthDate);
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
    }

    [Fact]
    public void ToBundle_Metrics_CarryValuesAndUcumUnits()
    {
        var bundle = RoundTrip(Sample(cobb: 23.4, atr: 6.2));
        var observations = bundle.Entry.Select(e => e.Resource).OfType<Observation>().ToList();

        var cobb = observations.Where(o => o.Code.Coding[0].Code == "cobb-angle").Select(o => (Quantity)o.Value!).ToList();
        Assert.Equal([23.4m, 11.7m], cobb.Select(q => q.Value!.Value));
        Assert.All(cobb, q => Assert.Equal(("deg", FhirScreeningExporter.Ucum), (q.Code, q.System)));
        var atr = (Quantity)observations.Single(o => o.Code.Coding[0].Code == "atr").Value!;
        Assert.Equal(6.2m, atr.Value);
        Assert.Equal("mm", ((Quantity)observations.Single(o => o.Code.Coding[0].Code == "shoulder-height-difference").Value!).Code);
        Assert.Equal("%", ((Quantity)observations.Single(o => o.Code.Coding[0].Code == "waist-triangle-asymmetry").Value!).Code);
        Assert.All(observations, o => Assert.Equal(Exporter.MetricSystem, o.Code.Coding[0].System));
        Assert.All(observations, o => Assert.Equal("exam", o.Category[0].Coding[0].Code));
        var atrObservation = observations.Single(o => o.Code.Coding[0].Code == "atr");
        Assert.Equal(5m, atrObservation.ReferenceRange[0].High!.Value);
        Assert.Equal("H", atrObservation.Interpretation[0].Coding[0].Code);
    }

    [Fact]
    public void ToBundle_Refer_ConcludesWithCategoryAndSnomedScoliosis()
    {
        var report = RoundTrip(Sample(cobb: 26)).Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();

        Assert.Contains(report.ConclusionCode, c => c.Coding[0].System == Exporter.CategorySystem && c.Coding[0].Code == "refer");
        Assert.Contains(report.ConclusionCode, c => c.Coding[0].System == FhirScreeningExporter.Snomed && c.Coding[0].Code == "298382003");
        Assert.StartsWith("Refer", report.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBundle_ReviewedNormalOverride_IsFinalWithoutSnomed()
    {
        var report = RoundTrip(Sample(cobb: 26, reviewed: true, category: ScreeningCategory.Normal)).Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();

        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Final, report.Status);
        var code = Assert.Single(report.ConclusionCode);
        Assert.Equal("normal", code.Coding[0].Code);
    }

    [Fact]
    public void ToJson_NeverHoldsAName()
    {
        var json = Exporter.ToJson(Sample());

        Assert.DoesNotContain("\"name\"", json, StringComparison.Ordinal);
        Assert.Contains("\"resourceType\": \"Bundle\"", json, StringComparison.Ordinal);
    }
}
