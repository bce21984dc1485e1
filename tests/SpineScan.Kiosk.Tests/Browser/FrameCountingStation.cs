using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Core.Capture;
using SpineScan.Device.Workflow;
using SpineScan.Reports.Pdf;

namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>
/// The real station with a count of the positioning frames it yields, so the browser test can tell the kiosk's
/// delivery (frames shown / frames made) from the station's own pace.
/// </summary>
internal sealed class FrameCountingStation(IScreeningStation station) : IScreeningStation
{
    private int _framesYielded;

    public int FramesYielded => Volatile.Read(ref _framesYielded);

    public StationCameraStatus Camera => station.Camera;

    /// <summary>Wraps the <see cref="IScreeningStation"/> registered so far (the real one) with a counting one.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IScreeningStation));
        services.Remove(real);
        services.AddSingleton(sp => new FrameCountingStation(real.ImplementationFactory is { } factory
            ? (IScreeningStation)factory(sp)
            : (IScreeningStation)(real.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!))));
        services.AddSingleton<IScreeningStation>(sp => sp.GetRequiredService<FrameCountingStation>());
    }

    public async IAsyncEnumerable<PositioningFrame> WatchPositioningAsync(CapturePose pose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in station.WatchPositioningAsync(pose, cancellationToken).WithCancellation(cancellationToken))
        {
            Interlocked.Increment(ref _framesYielded);
            yield return frame;
        }
    }

    public Task<ScreeningSessionInfo> OpenSessionAsync(string schoolCode, string className, string operatorName, CancellationToken cancellationToken) =>
        station.OpenSessionAsync(schoolCode, className, operatorName, cancellationToken);

    public Task<ScreeningSessionInfo?> GetCurrentSessionAsync(CancellationToken cancellationToken) => station.GetCurrentSessionAsync(cancellationToken);

    public Task<RosterImportResult> ImportRosterAsync(long sessionId, Stream csv, CancellationToken cancellationToken) =>
        station.ImportRosterAsync(sessionId, csv, cancellationToken);

    public Task<IReadOnlyList<PupilEntry>> FindPupilsAsync(long sessionId, string? search, CancellationToken cancellationToken) =>
        station.FindPupilsAsync(sessionId, search, cancellationToken);

    public Task<PupilEntry?> FindByCodeAsync(long sessionId, string code, CancellationToken cancellationToken) =>
        station.FindByCodeAsync(sessionId, code, cancellationToken);

    public Task<PupilEntry?> NextPupilAsync(long sessionId, long? afterPupilId, CancellationToken cancellationToken) =>
        station.NextPupilAsync(sessionId, afterPupilId, cancellationToken);

    public Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken) =>
        station.RecordConsentAsync(pupilId, consentGiven, cancellationToken);

    public Task<PupilEntry> ChangeConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken) =>
        station.ChangeConsentAsync(pupilId, consentGiven, cancellationToken);

    public Task<CaptureStepResult> CaptureNextAsync(long pupilId, CancellationToken cancellationToken) =>
        station.CaptureNextAsync(pupilId, cancellationToken);

    public Task<PupilEntry> ScreenAgainAsync(long pupilId, CancellationToken cancellationToken) =>
        station.ScreenAgainAsync(pupilId, cancellationToken);

    public Task<ScreeningOutcome?> GetScreeningAsync(long screeningId, CancellationToken cancellationToken) =>
        station.GetScreeningAsync(screeningId, cancellationToken);

    public Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken) =>
        station.RenderSlipAsync(screeningId, language, cancellationToken);

    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken) => station.GetOutboxStatusAsync(cancellationToken);

    public Task<OutboxStatus> SyncNowAsync(CancellationToken cancellationToken) => station.SyncNowAsync(cancellationToken);

    public Task<OutboxStatus> RetryFailedAsync(CancellationToken cancellationToken) => station.RetryFailedAsync(cancellationToken);
}
