using System.Runtime.CompilerServices;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Device.Workflow;
using SpineScan.Reports.Pdf;

namespace SpineScan.Kiosk.Tests.Fakes;

/// <summary>
/// An in-memory station for component tests: it records what the kiosk asked of it, and answers with what the
/// test set up (roster errors, capture verdicts, failures).
/// </summary>
public sealed class FakeScreeningStation : IScreeningStation
{
    /// <summary>A 1x1 grey PNG: the smallest real picture the live view can show.</summary>
    /// <summary>The live view's picture; empty plays a device without OpenCV (guidance only).</summary>
    public byte[] PositioningJpeg { get; set; } = OnePixelPng;

    public static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");

    private readonly List<PupilEntry> _pupils = [];
    private ScreeningSessionInfo? _session;

    public StationCameraStatus Camera { get; set; } = new("phantom", "RealSense not found; using the phantom camera.", true);

    /// <summary>What the next roster import answers; null: every data line becomes a pupil.</summary>
    public RosterImportResult? RosterAnswer { get; set; }

    /// <summary>The CSV text the last import received.</summary>
    public string? LastRosterCsv { get; private set; }

    /// <summary>Thrown by <see cref="OpenSessionAsync"/> when set.</summary>
    public Exception? OpenSessionFailure { get; set; }

    /// <summary>What a standing capture answers.</summary>
    public CaptureStepResult StandingAnswer { get; set; } = new(true, [], CapturePose.ForwardBend, null, 3);

    /// <summary>What a forward-bend capture answers.</summary>
    public CaptureStepResult ForwardBendAnswer { get; set; } = new(true, [], null, null, 3);

    public List<(long PupilId, CapturePose Pose)> Captures { get; } = [];

    public List<(long PupilId, bool Given)> ConsentChanges { get; } = [];

    public List<long> ScreenAgains { get; } = [];

    /// <summary>What <see cref="GetOutboxStatusAsync"/> answers.</summary>
    public OutboxStatus Outbox { get; set; } = new(2, 5, null, null, false);

    public int RetryFailedCalls { get; private set; }

    /// <summary>When set, captures wait for it: the test sees the kiosk mid-capture.</summary>
    public TaskCompletionSource? HoldCaptures { get; set; }

    public List<(long PupilId, bool Given)> ConsentRecords { get; } = [];

    private readonly List<CapturePose> _activeWatches = [];

    /// <summary>The poses of the live views now watching (each until its enumeration ends).</summary>
    public IReadOnlyList<CapturePose> ActiveWatches
    {
        get
        {
            lock (_activeWatches)
            {
                return [.. _activeWatches];
            }
        }
    }

    public IReadOnlyList<PupilEntry> Pupils => _pupils;

    public PupilEntry AddPupil(string number, string name, ConsentState consent = ConsentState.NotRecorded)
    {
        var pupil = new PupilEntry(_pupils.Count + 1, number, name, Sex.Female, new DateOnly(2015, 3, 14), "5A", consent, PupilProgress.Waiting, null, null);
        _pupils.Add(pupil);
        return pupil;
    }

    public Task<ScreeningSessionInfo> OpenSessionAsync(string schoolCode, string className, string operatorName, CancellationToken cancellationToken)
    {
        if (OpenSessionFailure is not null)
        {
            throw OpenSessionFailure;
        }

        _session = new ScreeningSessionInfo(1, schoolCode, className, operatorName, DateTimeOffset.UnixEpoch);
        return Task.FromResult(_session);
    }

    public Task<ScreeningSessionInfo?> GetCurrentSessionAsync(CancellationToken cancellationToken) => Task.FromResult(_session);

    public async Task<RosterImportResult> ImportRosterAsync(long sessionId, Stream csv, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(csv);
        LastRosterCsv = await reader.ReadToEndAsync(cancellationToken);
        if (RosterAnswer is not null)
        {
            return RosterAnswer;
        }

        var lines = LastRosterCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToList();
        foreach (var line in lines)
        {
            var fields = line.Split(',');
            AddPupil(fields[0], fields[1]);
        }

        return new RosterImportResult(lines.Count, []);
    }

    public Task<IReadOnlyList<PupilEntry>> FindPupilsAsync(long sessionId, string? search, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PupilEntry>>(_pupils
            .Where(p => string.IsNullOrEmpty(search)
                || p.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                || p.PupilNumber.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList());

    public Task<PupilEntry?> FindByCodeAsync(long sessionId, string code, CancellationToken cancellationToken) =>
        Task.FromResult(_pupils.FirstOrDefault(p => string.Equals(p.PupilNumber, code, StringComparison.Ordinal)));

    public Task<PupilEntry?> NextPupilAsync(long sessionId, long? afterPupilId, CancellationToken cancellationToken)
    {
        var from = afterPupilId is { } after ? _pupils.FindIndex(p => p.Id == after) + 1 : 0;
        return Task.FromResult(_pupils.Skip(from).FirstOrDefault(p => p.Progress != PupilProgress.Screened && p.Consent != ConsentState.Refused));
    }

    public Task<PupilEntry> RecordConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken)
    {
        var index = _pupils.FindIndex(p => p.Id == pupilId);
        if (_pupils[index].Consent != ConsentState.NotRecorded)
        {
            throw new StationInputException("Consent is already recorded; use 'Change consent'.");
        }

        ConsentRecords.Add((pupilId, consentGiven));
        _pupils[index] = _pupils[index] with { Consent = consentGiven ? ConsentState.Given : ConsentState.Refused };
        return Task.FromResult(_pupils[index]);
    }

    public Task<PupilEntry> ChangeConsentAsync(long pupilId, bool consentGiven, CancellationToken cancellationToken)
    {
        ConsentChanges.Add((pupilId, consentGiven));
        var index = _pupils.FindIndex(p => p.Id == pupilId);
        _pupils[index] = _pupils[index] with { Consent = consentGiven ? ConsentState.Given : ConsentState.Refused };
        return Task.FromResult(_pupils[index]);
    }

    public Task<PupilEntry> ScreenAgainAsync(long pupilId, CancellationToken cancellationToken)
    {
        ScreenAgains.Add(pupilId);
        var index = _pupils.FindIndex(p => p.Id == pupilId);
        _pupils[index] = _pupils[index] with { Progress = _pupils[index].LatestScreeningId is null ? PupilProgress.Waiting : PupilProgress.Screened };
        return Task.FromResult(_pupils[index]);
    }

    public async IAsyncEnumerable<PositioningFrame> WatchPositioningAsync(CapturePose pose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_activeWatches)
        {
            _activeWatches.Add(pose);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                yield return new PositioningFrame(PositioningJpeg, [CaptureFinding.TooFar(1650, 1300)], false, 1650);
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_activeWatches)
            {
                _activeWatches.Remove(pose);
            }
        }
    }

    public async Task<CaptureStepResult> CaptureNextAsync(long pupilId, CancellationToken cancellationToken)
    {
        var index = _pupils.FindIndex(p => p.Id == pupilId);
        var pose = _pupils[index].NextPose;
        Captures.Add((pupilId, pose));
        if (HoldCaptures is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (_pupils[index].Consent != ConsentState.Given)
        {
            throw new StationInputException("No consent recorded for this pupil.");
        }

        var answer = pose == CapturePose.Standing ? StandingAnswer : ForwardBendAnswer;
        if (answer.NextPose is { } next)
        {
            _pupils[index] = _pupils[index] with { Progress = next == CapturePose.ForwardBend ? PupilProgress.StandingCaptured : PupilProgress.Waiting };
        }

        return answer;
    }

    public Task<ScreeningOutcome?> GetScreeningAsync(long screeningId, CancellationToken cancellationToken) => Task.FromResult<ScreeningOutcome?>(null);

    public Task<byte[]> RenderSlipAsync(long screeningId, ReportLanguage language, CancellationToken cancellationToken) =>
        throw new StationInputException("No such screening.");

    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken) => Task.FromResult(Outbox);

    public Task<OutboxStatus> SyncNowAsync(CancellationToken cancellationToken) => GetOutboxStatusAsync(cancellationToken);

    public Task<OutboxStatus> RetryFailedAsync(CancellationToken cancellationToken)
    {
        RetryFailedCalls++;
        Outbox = Outbox with { Waiting = Outbox.Waiting + Outbox.Failed, Failed = 0 };
        return GetOutboxStatusAsync(cancellationToken);
    }
}
