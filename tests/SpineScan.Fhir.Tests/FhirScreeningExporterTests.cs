#nullable disable warnings
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
        Assert.Equal(4 + observations.Count, bundle.Entry.Count); // report, patient, observations, device, provenance
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
    public void ToBundle_Refer_ConcludesWithTheScreeningCategoryNeverADisorder()
    {
        var screening = Sample(cobb: 26);
        var report = RoundTrip(screening).Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();

        var code = Assert.Single(report.ConclusionCode);
        Assert.Equal((Exporter.CategorySystem, "refer"), (code.Coding[0].System, code.Coding[0].Code));
        Assert.StartsWith("Refer", report.Conclusion, StringComparison.Ordinal);
        Assert.DoesNotContain(FhirScreeningExporter.ScoliosisDisorderCode, Exporter.ToJson(screening), StringComparison.Ordinal);
    }

    [Fact]
    public void ToBundle_CobbAngle_IsCodedWithSnomedBesideTheProgrammesCodeAndCarriesItsInterval()
    {
        var observations = RoundTrip(Sample(cobb: 18)).Entry.Select(e => e.Resource).OfType<Observation>().Where(o => o.Code.Coding[0].Code == "cobb-angle").ToList();

        Assert.Equal(2, observations.Count);
        Assert.All(observations, o => Assert.Contains(o.Code.Coding, c => c.System == FhirScreeningExporter.Snomed && c.Code == FhirScreeningExporter.CobbAngleCode));
        var interval = SampleReports.Interval(18);
        Assert.Equal([(decimal)interval.Lower, (decimal)interval.Upper], observations[0].Component.Select(c => ((Quantity)c.Value!).Value!.Value));
        Assert.Contains("90 %", observations[0].Text.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBundle_DeviceAndProvenance_NameTheModelsAndTheAlgorithm()
    {
        var screening = Sample();
        var bundle = RoundTrip(screening);
        var device = bundle.Entry.Single(e => e.Resource is Device);
        var provenance = bundle.Entry.Select(e => e.Resource).OfType<Provenance>().Single();
        var model = screening.Analysis.Models[0];

        var versions = ((Device)device.Resource).Version;
        Assert.Contains(versions, v => v.Type.Text == "algorithm" && v.Value == screening.Analysis.AlgorithmVersion);
        Assert.Contains(versions, v => v.Type.Text == "model" && v.Value == model.Id && v.Component.Value == model.Sha256);
        Assert.Equal(device.FullUrl, provenance.Agent[0].Who.Reference);
        var report = bundle.Entry.Single(e => e.Resource is DiagnosticReport);
        Assert.Contains(provenance.Target, t => t.Reference == report.FullUrl);
        Assert.All(bundle.Entry.Select(e => e.Resource).OfType<Observation>(), o => Assert.Equal(device.FullUrl, o.Device.Reference));
    }

    [Fact]
    public void ToBundle_XrayOutcome_IsAFinalImagingObservation()
    {
        var screening = Sample(cobb: 26) with { XrayCobbDeg = 31.5, XrayDate = new DateOnly(2025, 10, 20) };
        var bundle = RoundTrip(screening);
        var outcome = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding[0].Code == "xray-cobb-angle");

        Assert.Equal(31.5m, ((Quantity)outcome.Value!).Value);
        Assert.Equal(ObservationStatus.Final, outcome.Status);
        Assert.Equal("imaging", outcome.Category[0].Coding[0].Code);
        Assert.Equal("2025-10-20", ((FhirDateTime)outcome.Effective!).Value);
        Assert.Contains(outcome.Code.Coding, c => c.Code == FhirScreeningExporter.CobbAngleCode);
        Assert.Null(RoundTrip(Sample()).Entry.Select(e => e.Resource).OfType<Observation>().FirstOrDefault(o => o.Code.Coding[0].Code == "xray-cobb-angle"));
    }

    [Fact]
    public void ToBundle_EveryResource_HasANarrative()
    {
        var bundle = RoundTrip(Sample() with { XrayCobbDeg = 22, XrayDate = new DateOnly(2025, 10, 1) });

        Assert.All(bundle.Entry.Select(e => e.Resource).Cast<DomainResource>(), r =>
        {
            Assert.Equal(Narrative.NarrativeStatus.Generated, r.Text?.Status);
            Assert.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">", r.Text!.Div, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void CodeSystems_HoldEveryCodeTheExportUses()
    {
        var bundle = RoundTrip(Sample() with { XrayCobbDeg = 22, XrayDate = new DateOnly(2025, 10, 1) });
        var systems = Exporter.CodeSystems.Values.ToDictionary(c => c.Url!, StringComparer.Ordinal);
        var used = bundle.Entry.Select(e => e.Resource).OfType<Observation>().SelectMany(o => o.Code.Coding)
            .Concat(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().SelectMany(r => r.ConclusionCode.SelectMany(c => c.Coding).Append(r.Code.Coding[0])))
            .Where(c => systems.ContainsKey(c.System)).ToList();

        Assert.NotEmpty(used);
        Assert.All(used, c => Assert.Contains(systems[c.System].Concept, k => k.Code == c.Code && k.Display == c.Display));
        Assert.Equal(new[] { "refer", "rescreen", "normal", "retake" }.Order(), systems[Exporter.CategorySystem].Concept.Select(c => c.Code).Order());
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
        var patient = Exporter.Serialize(RoundTrip(Sample()).Entry.Select(e => e.Resource).OfType<Patient>().Single());

        Assert.DoesNotContain("\"name\"", patient, StringComparison.Ordinal);
        Assert.DoesNotContain("\"birthDate\"", patient, StringComparison.Ordinal);
        Assert.Contains("\"resourceType\": \"Bundle\"", json, StringComparison.Ordinal);
    }
}
