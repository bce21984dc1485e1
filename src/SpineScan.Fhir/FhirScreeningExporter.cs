using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Options;
using SpineScan.Contracts;

namespace SpineScan.Fhir;

/// <summary>The <c>Fhir</c> section.</summary>
public sealed class FhirExportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Fhir";

    /// <summary>The base of this programme's own code systems and naming systems (no trailing slash).</summary>
    [Required]
    [Url]
    public string SystemBase { get; set; } = "https://spinescan.example/fhir";
}

/// <summary>One screening as the FHIR export sees it: pseudonymous, never a name.</summary>
/// <param name="ReportId">The report id (UUIDv7): the Bundle's and the DiagnosticReport's identifier.</param>
/// <param name="PupilPseudonym">The pupil pseudonym: the Patient's only identifier.</param>
/// <param name="Sex">Sex as recorded.</param>
/// <param name="AgeMonths">Age at capture in months.</param>
/// <param name="CapturedAt">When the screening took place.</param>
/// <param name="IssuedAt">When the server received it.</param>
/// <param name="Analysis">The device's analysis.</param>
/// <param name="Category">The category in force (the clinician's after a review).</param>
/// <param name="Reviewed">True when a clinician confirmed or overrode the category (status final, else preliminary).</param>
/// <param name="Thresholds">The programme thresholds.</param>
public sealed record FhirScreening(
    Guid ReportId,
    string PupilPseudonym,
    Sex Sex,
    int AgeMonths,
    DateTimeOffset CapturedAt,
    DateTimeOffset IssuedAt,
    AnalysisResult Analysis,
    ScreeningCategory Category,
    bool Reviewed,
    CategoryThresholds Thresholds);

/// <summary>Exports a screening as an HL7 FHIR R4 Bundle.</summary>
public interface IFhirScreeningExporter
{
    /// <summary>The Bundle (type collection): a Patient, a DiagnosticReport and one Observation per metric.</summary>
    Bundle ToBundle(FhirScreening screening);

    /// <summary>The Bundle as FHIR JSON (<c>application/fhir+json</c>).</summary>
    string ToJson(FhirScreening screening);
}

/// <summary>
/// Builds the Bundle with the Firely SDK. Codes: SNOMED CT 298382003 "Scoliosis deformity of spine" on a referral;
/// no LOINC code is known for a surface-topography Cobb estimate or ATR, so every metric uses this programme's
/// code system (<c>{SystemBase}/CodeSystem/metrics</c>). Units are UCUM (<c>deg</c>, <c>mm</c>, <c>%</c>).
/// </summary>
public sealed class FhirScreeningExporter(IOptions<FhirExportOptions> options) : IFhirScreeningExporter
{
    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>UCUM.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>SNOMED CT 298382003: Scoliosis deformity of spine (disorder).</summary>
    public const string ScoliosisCode = "298382003";

    private const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    private const string Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions().ForFhir(Hl7.Fhir.Model.ModelInfo.ModelInspector).Pretty();

    private readonly string _base = options.Value.SystemBase.TrimEnd('/');

    /// <summary>This programme's metric codes.</summary>
    public string MetricSystem => _base + "/CodeSystem/metrics";

    /// <summary>This programme's screening categories (normal, rescreen, refer, retake).</summary>
    public string CategorySystem => _base + "/CodeSystem/screening-category";

    /// <summary>The naming system of pupil pseudonyms.</summary>
    public string PseudonymSystem => _base + "/NamingSystem/pupil-pseudonym";

    /// <summary>The naming system of report ids.</summary>
    public string ReportSystem => _base + "/NamingSystem/report-id";

    /// <summary>FHIR JSON options for reading the export back.</summary>
    public static JsonSerializerOptions Json => JsonOptions;

    /// <inheritdoc />
    public string ToJson(FhirScreening screening) => JsonSerializer.Serialize(ToBundle(screening), JsonOptions);

    /// <inheritdoc />
    public Bundle ToBundle(FhirScreening screening)
    {
        ArgumentNullException.ThrowIfNull(screening);
        var status = screening.Reviewed ? ObservationStatus.Final : ObservationStatus.Preliminary;
        var effective = new FhirDateTime(screening.CapturedAt);
        var patientUrl = Urn();
        var patient = new Patient
        {
            Identifier = [new Identifier(PseudonymSystem, screening.PupilPseudonym)],
            Gender = screening.Sex switch
            {
                Sex.Female => AdministrativeGender.Female,
                Sex.Male => AdministrativeGender.Male,
                _ => AdministrativeGender.Unknown,
            },
        };

        var observations = new List<(string Url, Observation Observation)>();
        void Add(string code, string display, Hl7.Fhir.Model.DataType value, string? bodySite = null, Quantity? referenceHigh = null, string? rangeText = null, bool? high = null)
        {
            var o = new Observation
            {
                Status = status,
                Category = [new CodeableConcept(ObservationCategory, "exam", "Exam")],
                Code = new CodeableConcept(MetricSystem, code, display, display),
                Subject = new ResourceReference(patientUrl),
                Effective = effective,
                Value = value,
            };
            if (bodySite is not null)
            {
                o.BodySite = new CodeableConcept { Text = bodySite };
            }

            if (referenceHigh is not null)
            {
                o.ReferenceRange = [new Observation.ReferenceRangeComponent { High = referenceHigh, Text = rangeText }];
            }

            if (high is { } h)
            {
                o.Interpretation = [new CodeableConcept(Interpretation, h ? "H" : "N", h ? "High" : "Normal")];
            }

            observations.Add((Urn(), o));
        }

        var m = screening.Analysis.Metrics;
        var t = screening.Thresholds;
        foreach (var curve in m.CobbDeg)
        {
            var site = curve.Region switch
            {
                CurveRegion.ProximalThoracic => "proximal thoracic",
                CurveRegion.MainThoracic => "main thoracic",
                _ => "thoracolumbar/lumbar",
            };
            if (curve.ApexLevel is { } apex)
            {
                site += " (apex " + apex + ")";
            }

            Add("cobb-angle", "Cobb angle estimate (surface topography)", Quantity(curve.Value, curve.Unit), site,
                Quantity(t.RescreenCobbDeg, Metric.Degrees), Invariant($"re-screen at {t.RescreenCobbDeg} deg, refer at {t.ReferCobbDeg} deg"),
                curve.Value >= t.RescreenCobbDeg);
        }

        Add("curve-pattern", "Frontal curve pattern", new CodeableConcept(MetricSystem, "pattern-" + m.CurvePattern.ToString().ToLowerInvariant(), m.CurvePattern switch
        {
            CurvePattern.C => "C curve",
            CurvePattern.S => "S curve",
            _ => "No curve",
        }));
        AddMetric("atr", "Angle of trunk rotation (forward bend)", m.AtrDeg, Quantity(t.RescreenAtrDeg, Metric.Degrees),
            Invariant($"re-screen at {t.RescreenAtrDeg} deg, refer at {t.ReferAtrDeg} deg"), m.AtrDeg is { } atr ? atr.Value >= t.RescreenAtrDeg : null);
        AddMetric("surface-rotation", "Surface rotation (standing)", m.SurfaceRotationDeg);
        AddMetric("kyphosis", "Thoracic kyphosis angle", m.KyphosisDeg);
        AddMetric("lordosis", "Lumbar lordosis angle", m.LordosisDeg);
        AddMetric("trunk-inclination", "Sagittal trunk inclination", m.TrunkInclinationDeg);
        AddMetric("shoulder-height-difference", "Shoulder height difference", m.ShoulderHeightDifferenceMm);
        AddMetric("scapula-asymmetry", "Scapula asymmetry", m.ScapulaAsymmetryMm);
        AddMetric("waist-triangle-asymmetry", "Waist triangle asymmetry", m.WaistTriangleAsymmetryPct);
        AddMetric("pelvic-obliquity", "Pelvic obliquity", m.PelvicObliquityDeg);
        AddMetric("trunk-imbalance", "Trunk imbalance (C7 plumb line)", m.TrunkImbalanceMm);

        var quality = screening.Analysis.Quality;
        Add("capture-quality-accepted", "Capture passed the quality gates", new FhirBoolean(quality.Accepted));
        if (quality.Reasons.Count > 0)
        {
            observations[^1].Observation.Note = [.. quality.Reasons.Select(r => new Annotation { Text = r.Code + ": " + r.Message })];
        }

        var category = screening.Category;
        var conclusion = new CodeableConcept(CategorySystem, category.ToWire(), CategoryText(category));
        var conclusionCodes = new List<CodeableConcept> { conclusion };
        if (category == ScreeningCategory.Refer)
        {
            conclusionCodes.Add(new CodeableConcept(Snomed, ScoliosisCode, "Scoliosis deformity of spine", "Suspected scoliosis: referral for clinical examination"));
        }

        var report = new DiagnosticReport
        {
            Identifier = [new Identifier(ReportSystem, screening.ReportId.ToString())],
            Status = screening.Reviewed ? DiagnosticReport.DiagnosticReportStatus.Final : DiagnosticReport.DiagnosticReportStatus.Preliminary,
            Code = new CodeableConcept(MetricSystem, "spine-screening", "School scoliosis and posture screening (surface topography)"),
            Subject = new ResourceReference(patientUrl),
            Effective = effective,
            Issued = screening.IssuedAt,
            Result = [.. observations.Select(o => new ResourceReference(o.Url))],
            Conclusion = CategoryText(category) + Invariant($" (Cobb estimate {screening.Analysis.LargestCobbDeg?.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} deg, ATR {m.AtrDeg?.Value.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} deg; age {screening.AgeMonths} months). Screening, not a diagnosis."),
            ConclusionCode = conclusionCodes,
        };

        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Identifier = new Identifier(ReportSystem, screening.ReportId.ToString()),
            Timestamp = screening.IssuedAt,
        };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(), Resource = report });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = patient });
        foreach (var (url, observation) in observations)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = observation });
        }

        return bundle;

        void AddMetric(string code, string display, Metric? metric, Quantity? high = null, string? rangeText = null, bool? isHigh = null)
        {
            if (metric is not null)
            {
                Add(code, display, Quantity(metric.Value, metric.Unit), null, high, rangeText, isHigh);
            }
        }
    }

    /// <summary>A UCUM quantity (<c>deg</c>, <c>mm</c>, <c>%</c>).</summary>
    public static Quantity Quantity(double value, string unit) =>
        new((decimal)Math.Round(value, 2), unit, Ucum) { Unit = unit switch { Metric.Degrees => "°", _ => unit } };

    private static string CategoryText(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => "Refer: referral to a doctor for examination advised",
        ScreeningCategory.Rescreen => "Re-screen in 6 to 12 months",
        ScreeningCategory.Retake => "Retake: the capture failed a quality gate",
        _ => "Normal: no sign of scoliosis",
    };

    private static string Urn() => "urn:uuid:" + Guid.NewGuid().ToString("D");

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
