namespace SpineScan.Contracts;

/// <summary>A rule a wire value breaks, naming the field by its JSON path (e.g. <c>analysis.metrics.cobbDeg</c>).</summary>
/// <param name="Field">The JSON path of the field, camelCase.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record ContractError(string Field, string Message);

/// <summary>
/// Checks the rules of a sync report beyond its JSON shape; devices run it before they queue a report,
/// the server before it stores one.
/// </summary>
public static class SyncReportValidator
{
    /// <summary>The oldest age accepted, in months (25 years).</summary>
    public const int MaxAgeMonths = 300;

    /// <summary>Checks a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Every broken rule; empty when the report is valid.</returns>
    public static IReadOnlyList<ContractError> Validate(SyncReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var errors = new List<ContractError>();
        if (!string.Equals(report.Schema, SyncReport.SchemaV1, StringComparison.Ordinal))
        {
            errors.Add(new("schema", $"Expected '{SyncReport.SchemaV1}'."));
        }

        if (report.ReportId.Version != 7)
        {
            errors.Add(new("reportId", "Must be a UUIDv7."));
        }

        CheckCode(errors, "deviceId", report.DeviceId, 64);
        CheckCode(errors, "schoolCode", report.SchoolCode, 32);
        if (!PupilPseudonym.IsWellFormed(report.PupilPseudonym))
        {
            errors.Add(new("pupilPseudonym", "Must be 64 lowercase hex characters (HMAC-SHA256)."));
        }

        if (report.AgeMonths is < 0 or > MaxAgeMonths)
        {
            errors.Add(new("ageMonths", $"Must be between 0 and {MaxAgeMonths}."));
        }

        if (!Enum.IsDefined(report.Sex))
        {
            errors.Add(new("sex", "Unknown value."));
        }

        if (report.Grade.Length is 0 or > 16)
        {
            errors.Add(new("grade", "Must have 1 to 16 characters."));
        }

        ValidateAnalysis(errors, "analysis", report.Analysis);
        if (report.DepthMap is { } map)
        {
            ValidateDepthMap(errors, "depthMap", map);
        }

        if (report.ForwardBendDepthMap is { } bend)
        {
            ValidateDepthMap(errors, "forwardBendDepthMap", bend);
        }

        if (report.ParentLink is { } link && !ParentLinkToken.IsWellFormedHash(link.TokenSha256))
        {
            errors.Add(new("parentLink.tokenSha256", "Must be 64 lowercase hex characters (SHA-256 of the token)."));
        }

        if (report.Supersedes is { } earlier && (earlier == report.ReportId || earlier == Guid.Empty))
        {
            errors.Add(new("supersedes", "Must name an earlier report of the pupil, not this report or the empty id."));
        }

        return errors;
    }

    /// <summary>Checks a parent-link registration.</summary>
    /// <param name="registration">The registration.</param>
    /// <returns>Every broken rule; empty when valid.</returns>
    public static IReadOnlyList<ContractError> Validate(ParentLinkRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var errors = new List<ContractError>();
        if (registration.ReportId.Version != 7)
        {
            errors.Add(new("reportId", "Must be a UUIDv7."));
        }

        if (!ParentLinkToken.IsWellFormedHash(registration.TokenSha256))
        {
            errors.Add(new("tokenSha256", "Must be 64 lowercase hex characters (SHA-256 of the token)."));
        }

        return errors;
    }

    private static void ValidateAnalysis(List<ContractError> errors, string path, AnalysisResult analysis)
    {
        if (string.Equals(analysis.Schema, AnalysisResult.SchemaV1, StringComparison.Ordinal))
        {
            errors.Add(new($"{path}.schema", $"'{AnalysisResult.SchemaV1}' (no Cobb intervals) is no longer accepted: update the device's software, then sync again."));
        }
        else if (!string.Equals(analysis.Schema, AnalysisResult.SchemaV2, StringComparison.Ordinal))
        {
            errors.Add(new($"{path}.schema", $"Expected '{AnalysisResult.SchemaV2}'."));
        }

        if (!Enum.IsDefined(analysis.Category))
        {
            errors.Add(new($"{path}.category", "Unknown value."));
        }

        if (analysis.Quality.Accepted == (analysis.Category == ScreeningCategory.Retake))
        {
            errors.Add(new($"{path}.category", "Must be 'retake' exactly when quality.accepted is false."));
        }

        var cobb = analysis.Metrics.CobbDeg;
        if (cobb.Count > 3)
        {
            errors.Add(new($"{path}.metrics.cobbDeg", "At most three curves."));
        }

        for (var i = 0; i < cobb.Count; i++)
        {
            CheckMetric(errors, $"{path}.metrics.cobbDeg[{i}]", cobb[i].Value, cobb[i].Unit, cobb[i].Confidence, Metric.Degrees, 0, 180);
            if (cobb[i].Interval90 is { } interval
                && !(double.IsFinite(interval.Lower) && double.IsFinite(interval.Upper) && interval.Lower >= 0 && interval.Lower <= cobb[i].Value && cobb[i].Value <= interval.Upper && interval.Upper <= 180))
            {
                errors.Add(new($"{path}.metrics.cobbDeg[{i}].interval90", "Must be finite with 0 <= lower <= value <= upper <= 180."));
            }

            if (i > 0 && cobb[i].Value > cobb[i - 1].Value)
            {
                errors.Add(new($"{path}.metrics.cobbDeg", "Curves must be ordered largest first."));
            }
        }

        var m = analysis.Metrics;
        CheckMetric(errors, $"{path}.metrics.atrDeg", m.AtrDeg, Metric.Degrees, 0, 90);
        CheckMetric(errors, $"{path}.metrics.surfaceRotationDeg", m.SurfaceRotationDeg, Metric.Degrees, -90, 90);
        CheckMetric(errors, $"{path}.metrics.kyphosisDeg", m.KyphosisDeg, Metric.Degrees, -180, 180);
        CheckMetric(errors, $"{path}.metrics.lordosisDeg", m.LordosisDeg, Metric.Degrees, -180, 180);
        CheckMetric(errors, $"{path}.metrics.trunkInclinationDeg", m.TrunkInclinationDeg, Metric.Degrees, -90, 90);
        CheckMetric(errors, $"{path}.metrics.shoulderHeightDifferenceMm", m.ShoulderHeightDifferenceMm, Metric.Millimetres, -500, 500);
        CheckMetric(errors, $"{path}.metrics.scapulaAsymmetryMm", m.ScapulaAsymmetryMm, Metric.Millimetres, -500, 500);
        CheckMetric(errors, $"{path}.metrics.waistTriangleAsymmetryPct", m.WaistTriangleAsymmetryPct, Metric.Percent, -100, 100);
        CheckMetric(errors, $"{path}.metrics.pelvicObliquityDeg", m.PelvicObliquityDeg, Metric.Degrees, -90, 90);
        CheckMetric(errors, $"{path}.metrics.trunkImbalanceMm", m.TrunkImbalanceMm, Metric.Millimetres, -500, 500);

        if (analysis.Landmarks.Count > 64)
        {
            errors.Add(new($"{path}.landmarks", "At most 64 landmarks."));
        }

        for (var i = 0; i < analysis.Landmarks.Count; i++)
        {
            var l = analysis.Landmarks[i];
            if (l.Name.Length is 0 or > 64)
            {
                errors.Add(new($"{path}.landmarks[{i}].name", "Must have 1 to 64 characters."));
            }

            CheckConfidence(errors, $"{path}.landmarks[{i}].confidence", l.Confidence);
            CheckPoint(errors, $"{path}.landmarks[{i}].cameraMm", l.CameraMm);
            CheckPoint(errors, $"{path}.landmarks[{i}].bodyMm", l.BodyMm);
        }

        var line = analysis.SpinalLine;
        if (line.CameraMm.Count > 512 || line.BodyMm.Count != line.CameraMm.Count)
        {
            errors.Add(new($"{path}.spinalLine", "At most 512 points, the same count in both frames."));
        }

        foreach (var p in line.CameraMm)
        {
            CheckPoint(errors, $"{path}.spinalLine.cameraMm", p);
        }

        if (analysis.Quality.Reasons.Count > 32)
        {
            errors.Add(new($"{path}.quality.reasons", "At most 32 reasons."));
        }

        if (!analysis.Quality.Accepted && analysis.Quality.Reasons.Count == 0)
        {
            errors.Add(new($"{path}.quality.reasons", "A rejected capture must say why."));
        }

        if (analysis.Models.Count is 0 or > 8)
        {
            errors.Add(new($"{path}.models", "Must name 1 to 8 models."));
        }

        for (var i = 0; i < analysis.Models.Count; i++)
        {
            var model = analysis.Models[i];
            if (model.Id.Length is 0 or > 128)
            {
                errors.Add(new($"{path}.models[{i}].id", "Must have 1 to 128 characters."));
            }

            if (model.Sha256.Length != 64 || !PupilPseudonym.IsLowerHex(model.Sha256))
            {
                errors.Add(new($"{path}.models[{i}].sha256", "Must be 64 lowercase hex characters."));
            }
        }

        if (analysis.AlgorithmVersion.Length is 0 or > 64)
        {
            errors.Add(new($"{path}.algorithmVersion", "Must have 1 to 64 characters."));
        }

        if (analysis.TimingsMs.Count > 64)
        {
            errors.Add(new($"{path}.timingsMs", "At most 64 stages."));
        }
    }

    private static void ValidateDepthMap(List<ContractError> errors, string path, ReviewDepthMap map)
    {
        if (map.Width is < 1 or > ReviewDepthMap.MaxSide || map.Height is < 1 or > ReviewDepthMap.MaxSide)
        {
            errors.Add(new($"{path}.width", $"Width and height must be 1 to {ReviewDepthMap.MaxSide}."));
            return;
        }

        if (map.DepthsMm.Length != map.Width * map.Height * 2)
        {
            errors.Add(new($"{path}.depthsMm", $"Expected {map.Width * map.Height * 2} bytes (width * height little-endian uint16)."));
        }

        if (!double.IsFinite(map.MmPerPixel) || map.MmPerPixel is <= 0 or > 100)
        {
            errors.Add(new($"{path}.mmPerPixel", "Must be above 0 and at most 100."));
        }

        if (!double.IsFinite(map.OriginXMm) || !double.IsFinite(map.OriginYMm))
        {
            errors.Add(new($"{path}.originXMm", "The origin must be finite."));
        }
    }

    private static void CheckMetric(List<ContractError> errors, string field, Metric? metric, string unit, double min, double max)
    {
        if (metric is not null)
        {
            CheckMetric(errors, field, metric.Value, metric.Unit, metric.Confidence, unit, min, max);
        }
    }

    private static void CheckMetric(List<ContractError> errors, string field, double value, string actualUnit, double confidence, string unit, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            errors.Add(new($"{field}.value", FormattableString.Invariant($"Must be between {min} and {max}.")));
        }

        if (!string.Equals(actualUnit, unit, StringComparison.Ordinal))
        {
            errors.Add(new($"{field}.unit", $"Must be '{unit}'."));
        }

        CheckConfidence(errors, $"{field}.confidence", confidence);
    }

    private static void CheckConfidence(List<ContractError> errors, string field, double confidence)
    {
        if (!double.IsFinite(confidence) || confidence is < 0 or > 1)
        {
            errors.Add(new(field, "Must be between 0 and 1."));
        }
    }

    private static void CheckPoint(List<ContractError> errors, string field, Point3Mm p)
    {
        if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Z))
        {
            errors.Add(new(field, "Coordinates must be finite."));
        }
    }

    private static void CheckCode(List<ContractError> errors, string field, string value, int maxLength)
    {
        if (value.Length == 0 || value.Length > maxLength)
        {
            errors.Add(new(field, $"Must have 1 to {maxLength} characters."));
            return;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                errors.Add(new(field, "Only letters, digits, '-', '_' and '.'."));
                return;
            }
        }
    }
}
