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
/// <param name="XrayCobbDeg">The radiographic Cobb angle a clinician recorded for a referred child, or null.</param>
/// <param name="XrayDate">The date of that X-ray.</param>
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
    CategoryThresholds Thresholds,
    double? XrayCobbDeg = null,
    DateOnly? XrayDate = null);

/// <summary>Exports a screening as an HL7 FHIR R4 Bundle.</summary>
public interface IFhirScreeningExporter
{
    /// <summary>The Bundle (type collection): a Patient, a DiagnosticReport and one Observation per metric.</summary>
    Bundle ToBundle(FhirScreening screening);

    /// <summary>The Bundle as FHIR JSON (<c>application/fhir+json</c>).</summary>
    string ToJson(FhirScreening screening);

    /// <summary>The programme's code systems by their last path segment (<c>metrics</c>, <c>screening-category</c>), as served at their canonical URLs.</summary>
    IReadOnlyDictionary<string, CodeSystem> CodeSystems { get; }

    /// <summary>The path part of the code systems' base (e.g. <c>/fhir</c>): the server answers there.</summary>
    string CodeSystemPath { get; }

    /// <summary>A resource as FHIR JSON.</summary>
    string Serialize(Resource resource);
}

/// <summary>
/// Builds the Bundle with the Firely SDK: every resource with a narrative. Codes: each metric in this programme's code
/// system (<c>{SystemBase}/CodeSystem/metrics</c>), the Cobb angle also as SNOMED CT 285285000; no LOINC code is known
/// for a surface-topography Cobb estimate or ATR. A referral is a screening result in the programme's category system,
/// never the disorder 298382003 (nothing is diagnosed). A Device names the models (ids, SHA-256) and the algorithm
/// version; a Provenance ties every result to it. Units are UCUM (<c>deg</c>, <c>mm</c>, <c>%</c>).
/// </summary>
public sealed class FhirScreeningExporter(IOptions<FhirExportOptions> options) : IFhirScreeningExporter
{
    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>UCUM.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>SNOMED CT 298382003: Scoliosis deformity of spine, a disorder: never put on a screening result.</summary>
    public const string ScoliosisDisorderCode = "298382003";

    /// <summary>SNOMED CT 285285000: Cobb angle (observable entity).</summary>
    public const string CobbAngleCode = "285285000";

    /// <summary>The metrics code system's concepts: code and display, in the order the exports use them.</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> MetricConcepts =
    [
        ("spine-screening", "School scoliosis and posture screening (surface topography)"),
        ("cobb-angle", "Cobb angle estimate (surface topography)"),
        ("xray-cobb-angle", "Cobb angle on a radiograph (X-ray outcome of a referral)"),
        ("curve-pattern", "Frontal curve pattern"),
        ("pattern-none", "No curve"),
        ("pattern-c", "C curve"),
        ("pattern-s", "S curve"),
        ("atr", "Angle of trunk rotation (forward bend)"),
        ("surface-rotation", "Surface rotation (standing)"),
        ("kyphosis", "Thoracic kyphosis angle"),
        ("lordosis", "Lumbar lordosis angle"),
        ("trunk-inclination", "Sagittal trunk inclination"),
        ("shoulder-height-difference", "Shoulder height difference"),
        ("scapula-asymmetry", "Scapula asymmetry"),
        ("waist-triangle-asymmetry", "Waist triangle asymmetry"),
        ("pelvic-obliquity", "Pelvic obliquity"),
        ("trunk-imbalance", "Trunk imbalance (C7 plumb line)"),
        ("capture-quality-accepted", "Capture passed the quality gates"),
    ];

    /// <summary>The screening-category code system: the wire names and what each means.</summary>
    public static string CategoryDisplay(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => "Refer: referral to a doctor for examination advised",
        ScreeningCategory.Rescreen => "Re-screen in 6 to 12 months",
        ScreeningCategory.Retake => "Retake: the capture failed a quality gate",
        _ => "Normal: no sign of scoliosis",
    };

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
    public string Serialize(Resource resource) => JsonSerializer.Serialize(resource, JsonOptions);

    /// <inheritdoc />
    public string CodeSystemPath => new Uri(_base).AbsolutePath.TrimEnd('/');

    /// <inheritdoc />
    public IReadOnlyDictionary<string, CodeSystem> CodeSystems => new Dictionary<string, CodeSystem>(StringComparer.Ordinal)
    {
        ["metrics"] = CodeSystem(MetricSystem, "SpineScanMetrics", "SpineScan screening metrics", MetricConcepts),
        ["screening-category"] = CodeSystem(CategorySystem, "SpineScanScreeningCategory", "SpineScan screening categories",
            [.. Enum.GetValues<ScreeningCategory>().Select(c => (c.ToWire(), CategoryDisplay(c)))]),
    };

    private static CodeSystem CodeSystem(string url, string name, string title, IReadOnlyList<(string Code, string Display)> concepts)
    {
        var system = new CodeSystem
        {
            Url = url,
            Name = name,
            Title = title,
            Status = PublicationStatus.Active,
            Content = CodeSystemContentMode.Complete,
            CaseSensitive = true,
            Concept = [.. concepts.Select(c => new CodeSystem.ConceptDefinitionComponent { Code = c.Code, Display = c.Display })],
        };
        system.Text = Narrative($"{title}: " + string.Join("; ", concepts.Select(c => $"{c.Code} = {c.Display}")));
        return system;
    }

    private static string MetricDisplay(string code) => MetricConcepts.First(c => c.Code == code).Display;

    /// <inheritdoc />
    public Bundle ToBundle(FhirScreening screening)
    {
        ArgumentNullException.ThrowIfNull(screening);
        var status = screening.Reviewed ? ObservationStatus.Final : ObservationStatus.Preliminary;
        var effective = new FhirDateTime(screening.CapturedAt);
        var patientUrl = Urn();
        var deviceUrl = Urn();
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
        patient.Text = Narrative($"Pupil (pseudonym only, no name or birth date), {patient.Gender?.ToString().ToLowerInvariant()}, {screening.AgeMonths / 12} years {screening.AgeMonths % 12} months at screening.");

        var analysis = screening.Analysis;
        var device = new Device
        {
            Identifier = [.. analysis.Models.Select(m => new Identifier(ModelSystem, m.Sha256))],
            DeviceName = [new Device.DeviceNameComponent { Name = "SpineScan surface-topography screening analysis", Type = DeviceNameType.ManufacturerName }],
            Version =
            [
                new Device.VersionComponent { Type = new CodeableConcept { Text = "algorithm" }, Value = analysis.AlgorithmVersion },
                .. analysis.Models.Select(m => new Device.VersionComponent
                {
                    Type = new CodeableConcept { Text = "model" },
                    Component = new Identifier(ModelSystem, m.Sha256),
                    Value = m.Id,
                }),
            ],
        };
        device.Text = Narrative($"SpineScan analysis, algorithm {analysis.AlgorithmVersion}; models: "
            + string.Join("; ", analysis.Models.Select(m => $"{m.Id} (SHA-256 {m.Sha256})")) + (analysis.CalibrationId is { } cal ? $"; calibration {cal}." : "; uncalibrated."));

        var observations = new List<(string Url, Observation Observation)>();
        Observation Add(string code, Hl7.Fhir.Model.DataType value, string summary, string? bodySite = null, Quantity? referenceHigh = null, string? rangeText = null, bool? high = null, Coding? alsoCoded = null)
        {
            var display = MetricDisplay(code);
            var concept = new CodeableConcept(MetricSystem, code, display, display);
            if (alsoCoded is not null)
            {
                concept.Coding.Add(alsoCoded);
            }

            var o = new Observation
            {
                Status = status,
                Category = [new CodeableConcept(ObservationCategory, "exam", "Exam")],
                Code = concept,
                Subject = new ResourceReference(patientUrl),
                Effective = effective,
                Device = new ResourceReference(deviceUrl),
                Value = value,
                Text = Narrative(display + ": " + summary),
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
            return o;
        }

        var m = analysis.Metrics;
        var t = screening.Thresholds;
        var cobbSnomed = new Coding(Snomed, CobbAngleCode, "Cobb angle");
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

            var interval = curve.Interval90 is { } i ? Invariant($" (90 % interval {i.Lower:0.#} to {i.Upper:0.#} deg)") : "";
            var o = Add("cobb-angle", Quantity(curve.Value, curve.Unit), Invariant($"{curve.Value:0.0} deg{interval}, {site}"), site,
                Quantity(t.RescreenCobbDeg, Metric.Degrees), Invariant($"re-screen at {t.RescreenCobbDeg} deg, refer at {t.ReferCobbDeg} deg"),
                curve.Value >= t.RescreenCobbDeg, cobbSnomed);
            o.Method = new CodeableConcept { Text = "Estimate from the back surface (depth camera), not a radiograph" };
            if (curve.Interval90 is { } range)
            {
                o.Component =
                [
                    new Observation.ComponentComponent { Code = new CodeableConcept { Text = "90 % interval, lower" }, Value = Quantity(range.Lower, Metric.Degrees) },
                    new Observation.ComponentComponent { Code = new CodeableConcept { Text = "90 % interval, upper" }, Value = Quantity(range.Upper, Metric.Degrees) },
                ];
            }
        }

        var patternCode = "pattern-" + m.CurvePattern switch { CurvePattern.C => "c", CurvePattern.S => "s", _ => "none" };
        Add("curve-pattern", new CodeableConcept(MetricSystem, patternCode, MetricDisplay(patternCode)), MetricDisplay(patternCode));
        AddMetric("atr", m.AtrDeg, Quantity(t.RescreenAtrDeg, Metric.Degrees),
            Invariant($"re-screen at {t.RescreenAtrDeg} deg, refer at {t.ReferAtrDeg} deg"), m.AtrDeg is { } atr ? atr.Value >= t.RescreenAtrDeg : null);
        AddMetric("surface-rotation", m.SurfaceRotationDeg);
        AddMetric("kyphosis", m.KyphosisDeg);
        AddMetric("lordosis", m.LordosisDeg);
        AddMetric("trunk-inclination", m.TrunkInclinationDeg);
        AddMetric("shoulder-height-difference", m.ShoulderHeightDifferenceMm);
        AddMetric("scapula-asymmetry", m.ScapulaAsymmetryMm);
        AddMetric("waist-triangle-asymmetry", m.WaistTriangleAsymmetryPct);
        AddMetric("pelvic-obliquity", m.PelvicObliquityDeg);
        AddMetric("trunk-imbalance", m.TrunkImbalanceMm);

        var quality = analysis.Quality;
        var qualityObservation = Add("capture-quality-accepted", new FhirBoolean(quality.Accepted),
            quality.Accepted ? "accepted" : "rejected: " + string.Join("; ", quality.Reasons.Select(r => r.Message)));
        if (quality.Reasons.Count > 0)
        {
            qualityObservation.Note = [.. quality.Reasons.Select(r => new Annotation { Text = r.Code + ": " + r.Message })];
        }

        if (screening.XrayCobbDeg is { } xray)
        {
            // The outcome a clinician recorded: a radiograph, final, dated when it was taken.
            var outcome = Add("xray-cobb-angle", Quantity(xray, Metric.Degrees), Invariant($"{xray:0.#} deg on the radiograph"), alsoCoded: cobbSnomed);
            outcome.Status = ObservationStatus.Final;
            outcome.Category = [new CodeableConcept(ObservationCategory, "imaging", "Imaging")];
            outcome.Method = new CodeableConcept { Text = "Radiograph (X-ray), as recorded by a clinician" };
            outcome.Device = null;
            outcome.Effective = screening.XrayDate is { } date ? new FhirDateTime(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null;
        }

        var category = screening.Category;
        var conclusionCodes = new List<CodeableConcept> { new(CategorySystem, category.ToWire(), CategoryDisplay(category), CategoryDisplay(category)) };
        var conclusion = CategoryDisplay(category) + Invariant($" (Cobb estimate {CobbText(m)}, ATR {m.AtrDeg?.Value.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} deg; age {screening.AgeMonths} months). Screening, not a diagnosis.");
        var reportUrl = Urn();
        var report = new DiagnosticReport
        {
            Identifier = [new Identifier(ReportSystem, screening.ReportId.ToString())],
            Status = screening.Reviewed ? DiagnosticReport.DiagnosticReportStatus.Final : DiagnosticReport.DiagnosticReportStatus.Preliminary,
            Code = new CodeableConcept(MetricSystem, "spine-screening", MetricDisplay("spine-screening"), MetricDisplay("spine-screening")),
            Subject = new ResourceReference(patientUrl),
            Effective = effective,
            Issued = screening.IssuedAt,
            Result = [.. observations.Select(o => new ResourceReference(o.Url))],
            Conclusion = conclusion,
            ConclusionCode = conclusionCodes,
            Text = Narrative(conclusion + (screening.Reviewed ? " Reviewed by a clinician." : " Not yet reviewed by a clinician.")),
        };

        var provenance = new Provenance
        {
            Target = [new ResourceReference(reportUrl), .. observations.Where(o => o.Observation.Device is not null).Select(o => new ResourceReference(o.Url))],
            Recorded = screening.IssuedAt,
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "performer", "Performer"),
                    Who = new ResourceReference(deviceUrl),
                },
            ],
        };
        provenance.Text = Narrative($"Made by the SpineScan analysis (algorithm {analysis.AlgorithmVersion}) on the device; received {screening.IssuedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.");

        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Identifier = new Identifier(ReportSystem, screening.ReportId.ToString()),
            Timestamp = screening.IssuedAt,
        };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = reportUrl, Resource = report });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = patient });
        foreach (var (url, observation) in observations)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = observation });
        }

        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = deviceUrl, Resource = device });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(), Resource = provenance });
        return bundle;

        void AddMetric(string code, Metric? metric, Quantity? high = null, string? rangeText = null, bool? isHigh = null)
        {
            if (metric is not null)
            {
                Add(code, Quantity(metric.Value, metric.Unit), Invariant($"{metric.Value:0.0} {metric.Unit}"), null, high, rangeText, isHigh);
            }
        }
    }

    /// <summary>The model files' naming system: identifiers are their SHA-256.</summary>
    public string ModelSystem => _base + "/NamingSystem/model-sha256";

    private static string CobbText(AnalysisMetrics m) =>
        m.CobbDeg.Count == 0 ? "n/a" : Invariant($"{m.CobbDeg[0].Value:0.0} deg") + (m.CobbDeg[0].Interval90 is { } i ? Invariant($" (90 %: {i.Lower:0} to {i.Upper:0})") : "");

    /// <summary>A generated narrative: the text, HTML-encoded, in an XHTML div.</summary>
    public static Hl7.Fhir.Model.Narrative Narrative(string text) => new()
    {
        Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated,
        Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + System.Net.WebUtility.HtmlEncode(text) + "</p></div>",
    };

    /// <summary>A UCUM quantity (<c>deg</c>, <c>mm</c>, <c>%</c>).</summary>
    public static Quantity Quantity(double value, string unit) =>
        new((decimal)Math.Round(value, 2), unit, Ucum) { Unit = unit switch { Metric.Degrees => "°", _ => unit } };

    private static string Urn() => "urn:uuid:" + Guid.NewGuid().ToString("D");

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
