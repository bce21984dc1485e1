using SpineScan.Contracts;

namespace SpineScan.Reports.Pdf;

/// <summary>
/// The text people read, in one language: the PDF report, the parent pages and the clinician dashboard take every
/// label, category name and sentence from here. One instance per language (<see cref="English"/>,
/// <see cref="TraditionalChinese"/>, <see cref="SimplifiedChinese"/>, each in its own file). <c>{0}</c>-style
/// placeholders are filled with culture-invariant numbers.
/// </summary>
public sealed partial class ReportText
{
    /// <summary>The language of this table.</summary>
    public required ReportLanguage Language { get; init; }

    /// <summary>The report's title.</summary>
    public required string Title { get; init; }

    public required string DateLabel { get; init; }

    public required string NameLabel { get; init; }

    public required string ResultHeading { get; init; }

    public required string NextHeading { get; init; }

    public required string Normal { get; init; }

    public required string Rescreen { get; init; }

    public required string Refer { get; init; }

    public required string Retake { get; init; }

    public required string NextNormal { get; init; }

    public required string NextRescreen { get; init; }

    public required string NextRefer { get; init; }

    public required string NextRetake { get; init; }

    public required string MeasuredHeading { get; init; }

    public required string Measured { get; init; }

    public required string Disclaimer { get; init; }

    public required string HeatMapHeading { get; init; }

    public required string HeatMapHelp { get; init; }

    /// <summary>What the overlay shows; <c>{0}</c> is the contour step in mm.</summary>
    public required string HeatMapOverlay { get; init; }

    public required string MetricsHeading { get; init; }

    public required string MetricColumn { get; init; }

    public required string ValueColumn { get; init; }

    public required string ThresholdColumn { get; init; }

    public required string CobbLabel { get; init; }

    public required string AtrLabel { get; init; }

    public required string CurvePatternLabel { get; init; }

    public required string SurfaceRotationLabel { get; init; }

    public required string KyphosisLabel { get; init; }

    public required string LordosisLabel { get; init; }

    public required string TrunkInclinationLabel { get; init; }

    public required string ShoulderLabel { get; init; }

    public required string ScapulaLabel { get; init; }

    public required string WaistLabel { get; init; }

    public required string PelvicLabel { get; init; }

    public required string TrunkImbalanceLabel { get; init; }

    public required string ProximalThoracic { get; init; }

    public required string MainThoracic { get; init; }

    public required string ThoracolumbarLumbar { get; init; }

    public required string PatternNone { get; init; }

    public required string PatternC { get; init; }

    public required string PatternS { get; init; }

    /// <summary><c>{0}</c> the re-screen threshold, <c>{1}</c> the referral threshold.</summary>
    public required string ThresholdFormat { get; init; }

    public required string NotMeasured { get; init; }

    public required string QualityHeading { get; init; }

    public required string QualityAccepted { get; init; }

    public required string QualityRejected { get; init; }

    public required string ValidPixelsLabel { get; init; }

    public required string DistanceLabel { get; init; }

    public required string FramesLabel { get; init; }

    public required string ExplanationHeading { get; init; }

    public required string Explanation { get; init; }

    public required string QrCaption { get; init; }

    /// <summary><c>{0}</c> the models, <c>{1}</c> the algorithm version.</summary>
    public required string Footer { get; init; }

    /// <summary>The parent page's link to the PDF.</summary>
    public required string PdfDownload { get; init; }

    /// <summary>The parent page when the link is unknown.</summary>
    public required string LinkNotFound { get; init; }

    /// <summary>The parent page when the link expired or was revoked.</summary>
    public required string LinkExpired { get; init; }

    /// <summary>The parent page when too many bad links came from one address.</summary>
    public required string LinkTooMany { get; init; }

    /// <summary>A Cobb estimate with its 90 % interval: <c>{0}</c> the estimate, <c>{1}</c>-<c>{2}</c> the interval.</summary>
    public required string CobbWithInterval { get; init; }

    /// <summary>One plain line of what the 90 % interval means, shown below the measurements when a curve carries one.</summary>
    public required string CobbIntervalMeaning { get; init; }

    /// <summary>The Cobb row when no curve was measured.</summary>
    public required string NoCurve { get; init; }

    /// <summary>The X-ray outcome's row; <c>{0}</c> the X-ray's date.</summary>
    public required string XrayLabel { get; init; }

    /// <summary>A clinician changed the result: <c>{0}</c> the date, <c>{1}</c> the result before (the printed slip's), <c>{2}</c> the result in force.</summary>
    public required string ChangedByClinician { get; init; }

    /// <summary>The programme's re-check changed the result; placeholders as <see cref="ChangedByClinician"/>.</summary>
    public required string ChangedByProgramme { get; init; }

    /// <summary>The heat map's text alternative.</summary>
    public required string HeatMapAlt { get; init; }

    /// <summary>The QR code's text alternative.</summary>
    public required string QrAlt { get; init; }

    /// <summary>The category in a clinician's list.</summary>
    public required string ShortNormal { get; init; }

    public required string ShortRescreen { get; init; }

    public required string ShortRefer { get; init; }

    public required string ShortRetake { get; init; }

    /// <summary>A curve region as clinicians name it.</summary>
    public required string ClinicalProximalThoracic { get; init; }

    public required string ClinicalMainThoracic { get; init; }

    public required string ClinicalThoracolumbarLumbar { get; init; }

    /// <summary>A curve's levels: <c>{0}</c> the apex, <c>{1}</c>-<c>{2}</c> the end vertebrae.</summary>
    public required string ApexFormat { get; init; }

    public required string ReliabilityColumn { get; init; }

    public required string ReliabilityHigh { get; init; }

    public required string ReliabilityModerate { get; init; }

    public required string ReliabilityLow { get; init; }

    /// <summary>What the reliability words mean.</summary>
    public required string ReliabilityHelp { get; init; }

    /// <summary>The decision rule with this screening's numbers: <c>{0}</c> refer ATR, <c>{1}</c> refer Cobb, <c>{2}</c> p_refer, <c>{3}</c> this child's chance, <c>{4}</c>-<c>{7}</c> the same for a re-screen.</summary>
    public required string DecisionHelp { get; init; }

    public required string ModelsLabel { get; init; }

    public required string AlgorithmLabel { get; init; }

    public required string CalibrationLabel { get; init; }

    public required string NoCalibration { get; init; }

    public required string QueueHeading { get; init; }

    public required string StatisticsHeading { get; init; }

    public required string ScreeningHeading { get; init; }

    public required string CapturedLabel { get; init; }

    public required string GradeLabel { get; init; }

    /// <summary><c>{0}</c> years, <c>{1}</c> months.</summary>
    public required string AgeFormat { get; init; }

    /// <summary><c>{0}</c> the device's category.</summary>
    public required string DeviceSaid { get; init; }

    /// <summary>The device's category contradicts its numbers.</summary>
    public required string FlaggedNote { get; init; }

    /// <summary>A screening replaced by a later one of the same child (screen again on the device).</summary>
    public required string SupersededNote { get; init; }

    /// <summary>The link from a superseded screening to the one in force.</summary>
    public required string OpenCurrentScreening { get; init; }

    /// <summary>A screening that replaces an earlier one of the same child.</summary>
    public required string SupersedesNote { get; init; }

    /// <summary>The link from a screening to the earlier one it replaced.</summary>
    public required string OpenEarlierScreening { get; init; }

    public required string PreviousInQueue { get; init; }

    public required string NextInQueue { get; init; }

    public required string QueueKeysHelp { get; init; }

    public required string NotFromQueue { get; init; }

    public required string TimelineLink { get; init; }

    public required string PdfLink { get; init; }

    public required string FhirLink { get; init; }

    public required string BackSurfaceHeading { get; init; }

    public required string StandingCaption { get; init; }

    public required string ForwardBendCaption { get; init; }

    public required string NoForwardBend { get; init; }

    public required string NoDepthMap { get; init; }

    public required string ForwardBendAlt { get; init; }

    public required string SpinalLineHeading { get; init; }

    public required string FrontalPlane { get; init; }

    public required string SagittalPlane { get; init; }

    public required string LeftSide { get; init; }

    public required string RightSide { get; init; }

    public required string FrontSide { get; init; }

    public required string BackSide { get; init; }

    /// <summary><c>{0}</c> the horizontal exaggeration.</summary>
    public required string SpinalLinePlotHelp { get; init; }

    public required string PreviousHeading { get; init; }

    public required string PreviousColumn { get; init; }

    public required string ThisColumn { get; init; }

    public required string ChangeColumn { get; init; }

    /// <summary><c>{0}</c> whole months.</summary>
    public required string MonthsEarlier { get; init; }

    public required string NoPrevious { get; init; }

    public required string ReviewHeading { get; init; }

    /// <summary><c>{0}</c> who, <c>{1}</c> when, <c>{2}</c> the category.</summary>
    public required string ReviewedFormat { get; init; }

    public required string CategoryLabel { get; init; }

    public required string NoteLabel { get; init; }

    public required string Confirm { get; init; }

    public required string Override { get; init; }

    public required string OutcomeHeading { get; init; }

    public required string XrayCobbInput { get; init; }

    public required string XrayDateInput { get; init; }

    public required string Record { get; init; }

    /// <summary><c>{0}</c> the angle, <c>{1}</c> the date.</summary>
    public required string OutcomeRecorded { get; init; }

    public required string OutcomeNeedsCobb { get; init; }

    public required string OutcomeNeedsDate { get; init; }

    public required string ParentLinksHeading { get; init; }

    public required string NoParentLinks { get; init; }

    /// <summary><c>{0}</c> the link's number, <c>{1}</c> its expiry date.</summary>
    public required string LinkFormat { get; init; }

    public required string LinkRevoked { get; init; }

    public required string Revoke { get; init; }

    public required string RevokeQuestion { get; init; }

    public required string RevokeExplanation { get; init; }

    public required string Cancel { get; init; }

    public required string AuditHeading { get; init; }

    public required string TimelineHeading { get; init; }

    public required string PseudonymLabel { get; init; }

    public required string NoScreenings { get; init; }

    public required string XrayCobbColumn { get; init; }

    public required string AgeColumn { get; init; }

    public required string TimelineChartLabel { get; init; }

    public required string CobbEstimateShort { get; init; }

    public required string AtrShort { get; init; }

    public required string SchoolLabel { get; init; }

    public required string AllSchools { get; init; }

    public required string AnyCategory { get; init; }

    public required string StatusLabel { get; init; }

    public required string ToReview { get; init; }

    public required string ReviewedStatus { get; init; }

    public required string AllStatuses { get; init; }

    public required string FromLabel { get; init; }

    public required string ToLabel { get; init; }

    public required string GradeAgeColumn { get; init; }

    public required string Yes { get; init; }

    public required string NothingToReview { get; init; }

    /// <summary><c>{0}</c> the count cap.</summary>
    public required string CountCapped { get; init; }

    public required string ScreenedColumn { get; init; }

    public required string ReferredColumn { get; init; }

    public required string ReferralRateColumn { get; init; }

    public required string OutcomesColumn { get; init; }

    /// <summary><c>{0}</c> the angle that confirms a curve.</summary>
    public required string ConfirmedColumn { get; init; }

    public required string PpvColumn { get; init; }

    public required string NoOutcomesYet { get; init; }

    public required string QueueNavLabel { get; init; }

    public required string StatisticsNavLabel { get; init; }

    public required string SignOut { get; init; }

    public required string SexFemale { get; init; }

    public required string SexMale { get; init; }

    public required string SexUnknown { get; init; }

    public required string AuditViewed { get; init; }

    public required string AuditReviewed { get; init; }

    public required string AuditOutcome { get; init; }

    public required string AuditExportedPdf { get; init; }

    public required string AuditExportedFhir { get; init; }

    public required string AuditRevokedLink { get; init; }

    public required string AuditParentOpened { get; init; }

    public required string AuditViewedTimeline { get; init; }

    /// <summary>The text of a language.</summary>
    public static ReportText For(ReportLanguage language) => language switch
    {
        ReportLanguage.TraditionalChinese => TraditionalChinese,
        ReportLanguage.SimplifiedChinese => SimplifiedChinese,
        _ => English,
    };

    /// <summary>The category in plain language.</summary>
    public string Category(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => Refer,
        ScreeningCategory.Rescreen => Rescreen,
        ScreeningCategory.Retake => Retake,
        _ => Normal,
    };

    /// <summary>What to do next for a category.</summary>
    public string Next(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => NextRefer,
        ScreeningCategory.Rescreen => NextRescreen,
        ScreeningCategory.Retake => NextRetake,
        _ => NextNormal,
    };

    /// <summary>A curve region in plain language.</summary>
    public string Region(CurveRegion region) => region switch
    {
        CurveRegion.ProximalThoracic => ProximalThoracic,
        CurveRegion.MainThoracic => MainThoracic,
        _ => ThoracolumbarLumbar,
    };

    /// <summary>A curve pattern in plain language.</summary>
    public string Pattern(CurvePattern pattern) => pattern switch
    {
        CurvePattern.C => PatternC,
        CurvePattern.S => PatternS,
        _ => PatternNone,
    };

    /// <summary>The category as a clinician's list names it.</summary>
    public string CategoryShort(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => ShortRefer,
        ScreeningCategory.Rescreen => ShortRescreen,
        ScreeningCategory.Retake => ShortRetake,
        _ => ShortNormal,
    };

    /// <summary>A curve region as clinicians name it (PT, MT, TL/L).</summary>
    public string ClinicalRegion(CurveRegion region) => region switch
    {
        CurveRegion.ProximalThoracic => ClinicalProximalThoracic,
        CurveRegion.MainThoracic => ClinicalMainThoracic,
        _ => ClinicalThoracolumbarLumbar,
    };

    /// <summary>A metric's confidence in words (see <see cref="ReliabilityHelp"/>).</summary>
    /// <summary>The recorded sex as a clinician reads it.</summary>
    public string SexName(Sex sex) => sex switch
    {
        Sex.Female => SexFemale,
        Sex.Male => SexMale,
        _ => SexUnknown,
    };

    public string Reliability(double confidence) => confidence switch
    {
        >= 0.8 => ReliabilityHigh,
        >= 0.5 => ReliabilityModerate,
        _ => ReliabilityLow,
    };
}
