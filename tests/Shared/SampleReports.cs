using SpineScan.Contracts;

namespace SpineScan.Testing;

/// <summary>Builds valid sync reports for tests and the load harness (deterministic for a seed).</summary>
internal static class SampleReports
{
    public static readonly string ModelSha = new('a', 64);

    public static string Pseudonym(int pupil) =>
        PupilPseudonym.Compute(new byte[32], pupil.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // A 90 % interval of the width the device gives a good capture: 3 degrees below, 4 above.
    public static CobbInterval Interval(double cobb) => new(Math.Max(0, cobb - 3), cobb + 4);

    public static AnalysisResult Analysis(double cobb, double atr, bool accepted = true)
    {
        var thresholds = CategoryThresholds.Default;
        var category = accepted ? thresholds.Categorize(cobb, Interval(cobb), atr) : ScreeningCategory.Retake;
        var curves = new List<CobbCurve>
        {
            new(cobb, Metric.Degrees, 0.9, CurveRegion.MainThoracic, "T8", "T5", "T11", Interval(cobb)),
            new(Math.Round(cobb / 2, 1), Metric.Degrees, 0.7, CurveRegion.ThoracolumbarLumbar, "L2", "T12", "L4", Interval(Math.Round(cobb / 2, 1))),
        };
        var line = new List<Point3Mm>();
        var body = new List<Point3Mm>();
        for (var i = 0; i <= 20; i++)
        {
            var y = -250 + (i * 20.0);
            var x = 15 * Math.Sin(i / 20.0 * Math.PI) * cobb / 20;
            line.Add(new Point3Mm(x, y, 900 + (i % 3)));
            body.Add(new Point3Mm(x, 400 - (i * 20.0), 0));
        }

        return new AnalysisResult(
            AnalysisResult.SchemaV2,
            category,
            new AnalysisMetrics(
                curves,
                CurvePattern.S,
                new Metric(atr, Metric.Degrees, 0.85),
                SurfaceRotationDeg: new Metric(atr * 0.8, Metric.Degrees, 0.8),
                KyphosisDeg: new Metric(38, Metric.Degrees, 0.8),
                LordosisDeg: new Metric(42, Metric.Degrees, 0.8),
                TrunkInclinationDeg: new Metric(1.5, Metric.Degrees, 0.8),
                ShoulderHeightDifferenceMm: new Metric(6, Metric.Millimetres, 0.9),
                ScapulaAsymmetryMm: new Metric(4, Metric.Millimetres, 0.8),
                WaistTriangleAsymmetryPct: new Metric(8, Metric.Percent, 0.7),
                PelvicObliquityDeg: new Metric(1.2, Metric.Degrees, 0.8),
                TrunkImbalanceMm: new Metric(7, Metric.Millimetres, 0.8)),
            new CaptureQuality(
                accepted,
                accepted ? [] : [new QualityReason("hair_covers_c7", "Hair covers the neck: tie it up and retake.")],
                0.93,
                905,
                12),
            [
                new Landmark("c7", new Point3Mm(0, -250, 895), new Point3Mm(0, 400, 0), 0.95),
                new Landmark("left_dimple", new Point3Mm(-45, 150, 905), new Point3Mm(-45, 0, 0), 0.9),
                new Landmark("right_dimple", new Point3Mm(45, 150, 905), new Point3Mm(45, 0, 0), 0.9),
            ],
            new SpinalLine(line, body),
            [new ModelInfo("spinescan-landmarks-1.0", ModelSha)],
            "cal-0001",
            "1.0.0",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["fusion"] = 12.5, ["landmarks"] = 8.1, ["metrics"] = 3.2 },
            thresholds);
    }

    public static ReviewDepthMap DepthMap(int width = 48, int height = 64)
    {
        var depths = new ushort[width * height];
        for (var v = 0; v < height; v++)
        {
            for (var u = 0; u < width; u++)
            {
                var dx = (u - (width / 2.0)) / (width / 2.0);
                var inside = Math.Abs(dx) < 0.85;
                depths[(v * width) + u] = inside ? (ushort)(900 + (60 * dx * dx) + (5 * Math.Sin(v / 6.0))) : ReviewDepthMap.NoDepth;
            }
        }

        return ReviewDepthMap.FromDepths(width, height, 10, -(width * 5.0), -300, depths);
    }

    public static SyncReport Report(
        string deviceId,
        string schoolCode,
        int pupil = 1,
        double cobb = 12,
        double atr = 4,
        DateTimeOffset? capturedAt = null,
        bool accepted = true,
        ParentLinkRequest? parentLink = null,
        Guid? reportId = null) =>
        new(
            SyncReport.SchemaV1,
            reportId ?? Guid.CreateVersion7(),
            deviceId,
            schoolCode,
            Pseudonym(pupil),
            130,
            Sex.Female,
            "P5",
            capturedAt ?? new DateTimeOffset(2025, 9, 15, 9, 30, 0, TimeSpan.FromHours(8)),
            Analysis(cobb, atr, accepted),
            DepthMap(),
            parentLink);
}
