using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using SpineScan.CommandLine;
using SpineScan.Core.Capture;
using SpineScan.Device;
using SpineScan.Device.Roster;
using SpineScan.Device.Workflow;
using SpineScan.Device.Cameras;
using SpineScan.Device.Storage;
using SpineScan.Host.Composition;
using SpineScan.Imaging.Cameras;
using SpineScan.Reports.Pdf;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan screen</c>: screens pupils end to end without the kiosk UI.</summary>
internal static class ScreenCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "Camera source: phantom, replay or realsense.", DefaultValueFactory = _ => "phantom" };
        var pupils = new Option<int>("--pupils") { Description = "Pupils to screen (the first N of the roster not yet screened).", DefaultValueFactory = _ => 30 };
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder (local store, raw depth, keys, slips/).", Required = true };
        var roster = new Option<FileInfo?>("--roster") { Description = "Class roster CSV (pupil_number,name,sex,date_of_birth,class); a synthetic roster is made when omitted." };
        var server = new Option<string?>("--server") { Description = "Sync server base URL (else the registered one); reports wait in the outbox without one." };
        var deviceKeyFile = new Option<string?>("--device-key-file") { Description = "A file holding the device credential 'deviceId.secret' ('-': standard input); else SPINESCAN_Station__DeviceKey or the registration." };
        var seed = new Option<int>("--seed") { Description = "Seed of the phantom's children and the synthetic roster.", DefaultValueFactory = _ => 1 };
        var replay = new Option<DirectoryInfo?>("--replay") { Description = "The capture folder the replay source plays." };
        var school = new Option<string>("--school") { Description = "School code of the session.", DefaultValueFactory = _ => "SCH1" };
        var command = new Command("screen", "Screen pupils end to end without the kiosk: session, roster, consent (recorded as given where none is recorded; a refusal holds), captures with retakes, analysis, parent slips (DIR/slips/*.pdf), outbox and sync.")
        {
            source, pupils, data, roster, server, deviceKeyFile, seed, replay, school,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var output = parseResult.InvocationConfiguration.Output;
            var sourceName = parseResult.GetValue(source)!;
            if (!DeviceComposition.CameraSources.Contains(sourceName, StringComparer.Ordinal))
            {
                await error.WriteLineAsync($"error: unknown camera source '{sourceName}': use {string.Join(", ", DeviceComposition.CameraSources)}.").ConfigureAwait(false);
                return 2;
            }

            var count = parseResult.GetValue(pupils);
            if (count < 1)
            {
                await error.WriteLineAsync("error: --pupils must be at least 1.").ConfigureAwait(false);
                return 2;
            }

            var rosterFile = parseResult.GetValue(roster);
            if (rosterFile is not null && !rosterFile.Exists)
            {
                await error.WriteLineAsync($"error: the roster file '{rosterFile.FullName}' does not exist.").ConfigureAwait(false);
                return 2;
            }

            string? credential;
            try
            {
                credential = await SecretInput.ReadAsync(parseResult.GetValue(deviceKeyFile), Console.In, "device credential", cancellationToken).ConfigureAwait(false);
            }
            catch (StationInputException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            var dataDir = parseResult.GetValue(data)!.FullName;
            var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [DeviceComposition.Station(nameof(StationOptions.DataDirectory))] = dataDir,
                [DeviceComposition.Station(nameof(StationOptions.Source))] = sourceName,
                [ReplayCameraOptions.Section + ":" + nameof(ReplayCameraOptions.Directory)] = parseResult.GetValue(replay)?.FullName,
                [PhantomCameraOptions.Section + ":" + nameof(PhantomCameraOptions.Seed)] = parseResult.GetValue(seed).ToString(CultureInfo.InvariantCulture),
                [DeviceComposition.Station(nameof(StationOptions.ServerUrl))] = parseResult.GetValue(server),
                [DeviceComposition.Station(nameof(StationOptions.DeviceKey))] = credential,
                [DeviceComposition.Station(nameof(StationOptions.SchoolCode))] = parseResult.GetValue(school),
            };
            var run = new ScreenRun(count, rosterFile, parseResult.GetValue(seed), parseResult.GetValue(school)!, output);
            return await StationVerb.RunAsync(flags, error, services => run.ExecuteAsync(
                services.GetRequiredService<IScreeningStation>(),
                services.GetRequiredService<DataFolder>(),
                services.GetRequiredService<IOptions<StationOptions>>().Value.MaxRetakes,
                cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private sealed class ScreenRun(int count, FileInfo? rosterFile, int seed, string schoolCode, TextWriter output)
    {
        public async Task<int> ExecuteAsync(IScreeningStation station, DataFolder folder, int maxRetakes, CancellationToken cancellationToken)
        {
            var console = Terminal.For(output);
            if (!station.Camera.Ready && station.Camera.Source is "realsense" or "replay" && !await CameraStartsAsync(station, cancellationToken).ConfigureAwait(false))
            {
                throw new StationInputException(station.Camera.Description);
            }

            var clock = Stopwatch.StartNew();
            var session = await SessionAsync(station, cancellationToken).ConfigureAwait(false);
            var roster = await station.FindPupilsAsync(session.Id, null, cancellationToken).ConfigureAwait(false);
            var chosen = roster.Take(count).ToList();
            if (chosen.Count < count)
            {
                console.MarkupLineInterpolated($"The roster holds {roster.Count} pupils: screening {chosen.Count}.");
            }

            var slips = folder.SlipsDirectory;
            var tally = new Tally(maxRetakes);
            await console.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("screening", maxValue: chosen.Count);
                foreach (var pupil in chosen)
                {
                    if (pupil.Progress != PupilProgress.Screened)
                    {
                        await ScreenPupilAsync(station, pupil, slips, tally, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        tally.AlreadyScreened++;
                    }

                    task.Increment(1);
                }
            }).ConfigureAwait(false);

            var outbox = await station.SyncNowAsync(cancellationToken).ConfigureAwait(false);
            clock.Stop();
            WriteSummary(console, tally, outbox, clock.Elapsed, slips);
            return 0;
        }

        private static async Task<bool> CameraStartsAsync(IScreeningStation station, CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                await foreach (var _ in station.WatchPositioningAsync(CapturePose.Standing, stop.Token).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (StationInputException)
            {
                return false;
            }

            return station.Camera.Ready;
        }

        private async Task<ScreeningSessionInfo> SessionAsync(IScreeningStation station, CancellationToken cancellationToken)
        {
            if (rosterFile is null && await station.GetCurrentSessionAsync(cancellationToken).ConfigureAwait(false) is { } current
                && (await station.FindPupilsAsync(current.Id, null, cancellationToken).ConfigureAwait(false)).Take(count).Any(p => p.Progress != PupilProgress.Screened && p.Consent != ConsentState.Refused))
            {
                return current; // a rerun after a crash or an interruption goes on with the pupils its session has left
            }

            var session = await station.OpenSessionAsync(schoolCode, "DEMO", "spinescan screen", cancellationToken).ConfigureAwait(false);
            RosterImportResult imported;
            if (rosterFile is null)
            {
                var csv = SyntheticRoster.Csv(count, seed, "DEMO", DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().Date));
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
                imported = await station.ImportRosterAsync(session.Id, stream, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var stream = rosterFile.OpenRead();
                await using (stream.ConfigureAwait(false))
                {
                    imported = await station.ImportRosterAsync(session.Id, stream, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!imported.Succeeded)
            {
                var first = imported.Errors[0];
                throw new StationInputException(FormattableString.Invariant(
                    $"the roster was not imported ({imported.Errors.Count} error{(imported.Errors.Count == 1 ? string.Empty : "s")}; nothing was imported). Line {first.Line}, column {first.Column}: {first.Message}"));
            }

            return session;
        }

        // The station's pupil screening flow decides each step and the retakes; the verb only presses capture.
        private static async Task ScreenPupilAsync(IScreeningStation station, PupilEntry pupil, string slips, Tally tally, CancellationToken cancellationToken)
        {
            if (pupil.Consent == ConsentState.Refused)
            {
                tally.ConsentRefused++;
                return;
            }

            if (pupil.Consent == ConsentState.NotRecorded)
            {
                await station.RecordConsentAsync(pupil.Id, consentGiven: true, cancellationToken).ConfigureAwait(false);
            }

            var refusals = 0;
            while (true)
            {
                var step = await station.CaptureNextAsync(pupil.Id, cancellationToken).ConfigureAwait(false);
                if (step.Screening is { } outcome)
                {
                    tally.Add(outcome);
                    var pdf = await station.RenderSlipAsync(outcome.ScreeningId, ReportLanguage.English, cancellationToken).ConfigureAwait(false);
                    DataFolder.WriteOwnerOnly(Path.Combine(slips, FormattableString.Invariant($"screening-{outcome.ScreeningId:00000}.pdf")), pdf);
                    tally.Retakes += refusals;
                    return;
                }

                if (!step.Accepted)
                {
                    refusals++;
                }

                if (step.RetakesUsedUp)
                {
                    tally.Retakes += tally.MaxRetakes;
                    tally.NeedRetake++;
                    return;
                }
            }
        }

        private static void WriteSummary(IAnsiConsole console, Tally tally, OutboxStatus outbox, TimeSpan elapsed, string slips)
        {
            var table = new Table().AddColumns("", "count");
            table.AddRow("normal", Count(tally.Normal));
            table.AddRow("re-screen", Count(tally.Rescreen));
            table.AddRow("refer", Count(tally.Refer));
            table.AddRow(FormattableString.Invariant($"needs a retake (after {tally.MaxRetakes} retakes)"), Count(tally.NeedRetake));
            table.AddRow("retakes", Count(tally.Retakes));
            if (tally.ConsentRefused > 0)
            {
                table.AddRow("consent refused (not screened)", Count(tally.ConsentRefused));
            }

            if (tally.AlreadyScreened > 0)
            {
                table.AddRow("already screened (earlier run)", Count(tally.AlreadyScreened));
            }

            table.AddRow("median capture-to-result", tally.MedianMs is { } median ? median.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-");
            table.AddRow("outbox sent / waiting / failed", FormattableString.Invariant($"{outbox.Sent} / {outbox.Waiting} / {outbox.Failed}"));
            console.Write(table);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Screened {tally.Screened} pupils in {elapsed.TotalSeconds:0.0} s; slips in {Markup.Escape(slips)}."));
            if (!outbox.ServerConfigured)
            {
                console.MarkupLine("No server given: the reports wait in the outbox (register the device with 'spinescan register --data DIR --server URL', then 'spinescan sync --data DIR').");
            }
            else if (outbox.LastError is { } lastError)
            {
                console.MarkupLine("Last sync problem: " + Markup.Escape(lastError));
            }
        }

        private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class Tally(int maxRetakes)
    {
        private readonly List<double> _milliseconds = [];

        public int MaxRetakes { get; } = maxRetakes;

        public int ConsentRefused { get; set; }

        public int Normal { get; private set; }

        public int Rescreen { get; private set; }

        public int Refer { get; private set; }

        public int Screened => Normal + Rescreen + Refer;

        public int NeedRetake { get; set; }

        public int Retakes { get; set; }

        public int AlreadyScreened { get; set; }

        public double? MedianMs
        {
            get
            {
                if (_milliseconds.Count == 0)
                {
                    return null;
                }

                var sorted = _milliseconds.Order().ToList();
                var mid = sorted.Count / 2;
                return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
            }
        }

        public void Add(ScreeningOutcome outcome)
        {
            switch (outcome.Analysis.Category)
            {
                case Contracts.ScreeningCategory.Refer:
                    Refer++;
                    break;
                case Contracts.ScreeningCategory.Rescreen:
                    Rescreen++;
                    break;
                default:
                    Normal++;
                    break;
            }

            if (double.IsFinite(outcome.CaptureToResultMs))
            {
                _milliseconds.Add(outcome.CaptureToResultMs);
            }
        }
    }
}
