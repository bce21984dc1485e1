using SpineScan.Core.Capture;
using SpineScan.Device.Cameras;
using SpineScan.Device.Records;
using SpineScan.Device.Screening;
using SpineScan.Device.Sessions;
using SpineScan.Device.Sync;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device.Workflow;

/// <summary>
/// The station as one service for the kiosk and the verbs: each call goes to the part of the application layer that
/// does that job (sessions and roster, the camera, the pupil screening flow, the stored results, the outbox).
/// </summary>
public sealed class ScreeningStation(
    SessionRoster roster,
    StationCamera camera,
    PupilScreeningFlow flow,
    ScreeningRecords records,
    OutboxSync outbox) : IScreeningStation
{
    public StationCameraStatus Camera => camera.Status;

    public Task<ScreeningSessionInfo> OpenSessionAsync(string schoolCode, string className, string operatorName, CancellationToken cancellationToken) =>
        roster.OpenSessionAsync(schoolCode, className, operatorName, cancellationToken);

    public Task<ScreeningSessionInfo?> GetCurrentSessionAsync(CancellationToken cancellationToken) => roster.GetCurrentSessionAsync(cancellationToken);

    public Task<RosterImportResult> ImportRosterAsync(long sessionId, Stream csv, CancellationToken cancellationToken) => roster.ImportRosterAsync(sessionId, csv, cancellationToken);

    public Task<IReadOnlyList<PupilEntry>> FindPupilsAsync(long sessionId, string? search, CancellationToken cancellationToken) => roster.FindPupilsAsync(sessionId, search, cancellationToken);

    public Task<PupilEntry?> FindByCodeAsync(long sessionId, string code, CancellationToken cancellationToken) => roster.FindByCodeAsync(sessionId, code, cancellationToken);

    public Task<PupilEntry?> NextPupilAsync(long sessionId, long? afterPupilId, CancellationToken cancellationToken) => roster.NextPupilAsync(sessionId, afterPupilId, cancellationToken);

    public Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken) => roster.RecordConsentAsync(pupilId, consentGiven, cancellationToken);

    public Task<PupilEntry> ChangeConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken) => roster.ChangeConsentAsync(pupilId, consentGiven, cancellationToken);

    public IAsyncEnumerable<PositioningFrame> WatchPositioningAsync(CapturePose pose, CancellationToken cancellationToken) => camera.WatchAsync(pose, cancellationToken);

    public Task<CaptureStepResult> CaptureNextAsync(long pupilId, CancellationToken cancellationToken) => flow.CaptureNextAsync(pupilId, cancellationToken);

    public Task<PupilEntry> ScreenAgainAsync(long pupilId, CancellationToken cancellationToken) => flow.ScreenAgainAsync(pupilId, cancellationToken);

    public Task<ScreeningOutcome?> GetScreeningAsync(long screeningId, CancellationToken cancellationToken) => records.GetAsync(screeningId, cancellationToken);

    public Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken) => records.RenderSlipAsync(screeningId, language, cancellationToken);

    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken) => outbox.StatusAsync(cancellationToken);

    public Task<OutboxStatus> SyncNowAsync(CancellationToken cancellationToken) => outbox.SyncAsync(cancellationToken);

    public Task<OutboxStatus> RetryFailedAsync(CancellationToken cancellationToken) => outbox.RetryFailedAsync(cancellationToken);
}
