using System.Globalization;
using SpineScan.Core.Analysis;
using SpineScan.Device.Findings;
using SpineScan.Reports.Pdf;

namespace SpineScan.Kiosk.Localization;

/// <summary>
/// Every text the kiosk shows, in one language. Each property is <c>required</c>, so a language that misses
/// a text does not compile. <c>{0}</c>-style placeholders are filled with culture-invariant numbers.
/// </summary>
public sealed partial class KioskText
{
    public required ReportLanguage Language { get; init; }

    /// <summary>The BCP 47 tag for the page's <c>lang</c> attribute.</summary>
    public string LanguageTag => Language.Code();

    public required string AppTitle { get; init; }

    // Header: session, camera, outbox.
    public required string SessionLabel { get; init; }
    public required string NoSession { get; init; }
    public required string CameraLabel { get; init; }
    public required string CameraFramesFlowing { get; init; }
    public required string CameraNoFrames { get; init; }
    public required string OutboxLabel { get; init; }
    public required string OutboxCountsFormat { get; init; }
    public required string OutboxNoServer { get; init; }
    public required string OutboxLastError { get; init; }
    public required string SyncNow { get; init; }
    public required string SyncFinishedFormat { get; init; }

    // Opening a session.
    public required string OpenSessionHeading { get; init; }
    public required string SchoolCode { get; init; }
    public required string ClassName { get; init; }
    public required string OperatorName { get; init; }
    public required string OpenSession { get; init; }
    public required string NewSession { get; init; }
    public required string CancelLabel { get; init; }

    // Roster import.
    public required string RosterHeading { get; init; }
    public required string ImportRoster { get; init; }
    public required string RosterHelp { get; init; }
    public required string RosterImportedFormat { get; init; }
    public required string RosterNothingImported { get; init; }
    public required string RosterTooLargeFormat { get; init; }
    public required string LineColumn { get; init; }
    public required string ColumnColumn { get; init; }
    public required string ProblemColumn { get; init; }

    // Picking a pupil.
    public required string PupilsHeading { get; init; }
    public required string SearchPupils { get; init; }
    public required string ScanCode { get; init; }
    public required string ScanCodeHelp { get; init; }
    public required string NoPupilWithCodeFormat { get; init; }
    public required string NoPupils { get; init; }
    public required string NumberColumn { get; init; }
    public required string NameColumn { get; init; }
    public required string ClassColumn { get; init; }
    public required string ConsentColumn { get; init; }
    public required string ProgressColumn { get; init; }
    public required string ProgressWaiting { get; init; }
    public required string ProgressStandingCaptured { get; init; }
    public required string ProgressScreened { get; init; }
    public required string SexFemale { get; init; }
    public required string SexMale { get; init; }
    public required string SexUnknown { get; init; }

    // Consent.
    public required string ConsentHeading { get; init; }
    public required string ConsentQuestion { get; init; }
    public required string ConsentNotRecorded { get; init; }
    public required string ConsentGiven { get; init; }
    public required string ConsentRefused { get; init; }
    public required string RecordConsentGiven { get; init; }
    public required string RecordConsentRefused { get; init; }
    public required string CaptureBlockedNoConsent { get; init; }
    public required string CaptureBlockedRefused { get; init; }
    public required string BackToList { get; init; }

    // Live positioning.
    public required string PositioningHeading { get; init; }
    public required string PoseStandingInstruction { get; init; }
    public required string PoseForwardBendInstruction { get; init; }
    public required string Ready { get; init; }
    public required string NotReady { get; init; }
    public required string DistanceFormat { get; init; }
    public required string WaitingForCamera { get; init; }

    /// <summary>Frames come with guidance but no picture: OpenCV's native library is absent on this device.</summary>
    public required string NoLivePicture { get; init; }

    // Capture.
    public required string CaptureStanding { get; init; }
    public required string CaptureForwardBend { get; init; }
    public required string Capturing { get; init; }
    public required string RetakeHeading { get; init; }
    public required string StandingAccepted { get; init; }
    public required string ScreenAgain { get; init; }

    // Result.
    public required string ResultHeading { get; init; }
    public required string CategoryNormal { get; init; }
    public required string CategoryRescreen { get; init; }
    public required string CategoryRefer { get; init; }
    public required string CategoryRetake { get; init; }
    public required string AdviceNormal { get; init; }
    public required string AdviceRescreen { get; init; }
    public required string AdviceRefer { get; init; }
    public required string AdviceRetake { get; init; }
    public required string MetricColumn { get; init; }
    public required string ValueColumn { get; init; }
    public required string ThresholdColumn { get; init; }
    public required string ThresholdFormat { get; init; }
    public required string NotMeasured { get; init; }
    public required string LargestCobb { get; init; }
    public required string ApexFormat { get; init; }
    public required string CobbIntervalFormat { get; init; }
    public required string CobbIntervalMeaning { get; init; }
    public required string Atr { get; init; }
    public required string CurvePattern { get; init; }
    public required string PatternNone { get; init; }
    public required string PatternC { get; init; }
    public required string PatternS { get; init; }
    public required string SurfaceRotation { get; init; }
    public required string Kyphosis { get; init; }
    public required string Lordosis { get; init; }
    public required string TrunkInclination { get; init; }
    public required string ShoulderDifference { get; init; }
    public required string PelvicObliquity { get; init; }
    public required string TrunkImbalance { get; init; }
    public required string ProximalThoracic { get; init; }
    public required string MainThoracic { get; init; }
    public required string ThoracolumbarLumbar { get; init; }
    public required string QualityHeading { get; init; }
    public required string QualityAccepted { get; init; }
    public required string QualityRejected { get; init; }
    public required string ValidPixels { get; init; }
    public required string CameraDistance { get; init; }
    public required string FramesUsed { get; init; }
    public required string CaptureToResultFormat { get; init; }

    // Parent slip and moving on.
    public required string SlipHeading { get; init; }
    public required string OpenSlipFormat { get; init; }
    public required string NextPupil { get; init; }

    // Outbox failures, consent changes, screening again, retakes.
    public required string RetryFailed { get; init; }
    public required string OutboxFailedHelp { get; init; }
    public required string ChangeConsent { get; init; }
    public required string ChangeConsentConfirmFormat { get; init; }
    public required string ConfirmChange { get; init; }
    public required string CancelChange { get; init; }
    public required string ScreenAgainConfirm { get; init; }
    public required string ScreenAgainYes { get; init; }
    public required string RetakesLeftFormat { get; init; }
    public required string RetakesUsedUp { get; init; }
    public required string TryAgain { get; init; }
    public required string AllPupilsDone { get; init; }
    public required string Superseded { get; init; }

    // Operator sign-in and the idle lock.
    public required string SignInHeading { get; init; }
    public required string PassphraseLabel { get; init; }
    public required string SignIn { get; init; }
    public required string SignInWrong { get; init; }
    public required string SignInLockedFormat { get; init; }
    public required string SignInNotSet { get; init; }
    public required string SignOut { get; init; }
    public required string SignedOutIdle { get; init; }

    // Errors.
    public required string InputProblemFormat { get; init; }
    public required string StorageProblemFormat { get; init; }
    public required string CameraProblemFormat { get; init; }
    public required string SlipFontMissing { get; init; }
    public required string SlipNotFound { get; init; }
    public required string UnexpectedProblem { get; init; }

    /// <summary>The text of a language.</summary>
    public static KioskText For(ReportLanguage language) => language switch
    {
        ReportLanguage.TraditionalChinese => TraditionalChinese,
        ReportLanguage.SimplifiedChinese => SimplifiedChinese,
        _ => English,
    };

    /// <summary>The language's own name, as the language switch shows it whatever the current language.</summary>
    public static string NativeName(ReportLanguage language) => language switch
    {
        ReportLanguage.TraditionalChinese => "繁體中文",
        ReportLanguage.SimplifiedChinese => "简体中文",
        _ => "English",
    };

    /// <summary>Fills a template with culture-invariant values.</summary>
    public static string Format(string template, params object?[] values) =>
        string.Format(CultureInfo.InvariantCulture, template, values);

    /// <summary>A capture finding (live guidance or a retake's reason) in this language, from the one table of findings.</summary>
    public string Finding(CaptureFinding finding) => CaptureFindingText.Describe(finding, Language);
}
