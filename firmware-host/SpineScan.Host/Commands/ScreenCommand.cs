using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using SpineScan.CommandLine;
using SpineScan.Core.Capture;
using SpineScan.Device.Roster;
using SpineScan.Device.Workflow;
using SpineScan.Device;
using SpineScan.Host.Station;
using SpineScan.Reports.Pdf;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan screen</c>: screens pupils end to end without the kiosk UI.</summary>
internal static class ScreenCommand
{
    /// <summary>Retakes per pupil before it is recorded as needing a retake.</summary>
    public const int MaxRetakes = 3;

    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "Camera source: phantom, replay or realsense.", DefaultValueFactory = _ => "phantom" };
        var pupils = new Option<int>("--pupils") { Description = "Pupils to screen (the first N of the roster not yet screened).", DefaultValueFactory = _ => 30 };
        var data = new Option<DirectoryInfo>("--data") { Description = "The station's data folder (local store, raw depth, slips/).", Required = true };
        var roster = new Option<FileInfo?>("--roster") { Description = "Class roster CSV (pupil_number,name,sex,date_of_birth,class); a synthetic roster is made when omitted." };
        var server = new Option<string?>("--server") { Description = "Sync server base URL; reports wait in the outbox when omitted." };
        var deviceKey = new Option<string?>("--device-key") { Description = "The device credential 'deviceId.secret' from 'admin add-device'." };
        var programmeKey = new Option<string?>("--programme-key") { Description = "The programme key (base64, >= 32 bytes) for pupil pseudonyms; the data folder makes its own when omitted." };
        var seed = new Option<int>("--seed") { Description = "Seed of the phantom's children and the synthetic roster.", DefaultValueFactory = _ => 1 };
        var replay = new Option<DirectoryInfo?>("--replay") { Description = "The capture folder the replay source plays." };
        var school = new Option<string>("--school") { Description = "School code of the session.", DefaultValueFactory = _ => "SCHOOL" };
        var command = new Command("screen", "Screen pupils end to end without the kiosk: session, roster, consent (recorded as given), captures with retakes, analysis, parent slips (DIR/slips/*.pdf), outbox and sync.")
        {
            source, pupils, data, roster, server, deviceKey, programmeKey, seed, replay, school,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var output = parseResult.InvocationConfiguration.Output;
            var sourceName = parseResult.GetValue(source)!;
            if (!StationOptions.Sources.Contains(sourceName, StringComparer.Ordinal))
            {
                await error.WriteLineAsync($"error: unknown camera source '{sourceName}': use phantom, replay or realsense.").ConfigureAwait(false);
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

            var dataDir = parseResult.GetValue(data)!.FullName;
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["DataDirectory"] = dataDir,
                ["Source"] = sourceName,
                ["ReplayDirectory"] = parseResult.GetValue(replay)?.FullName,
                ["PhantomSeed"] = parseResult.GetValue(seed).ToString(CultureInfo.InvariantCulture),
                ["ServerUrl"] = parseResult.GetValue(server),
                ["DeviceKey"] = parseResult.GetValue(deviceKey),
                ["ProgrammeKey"] = parseResult.GetValue(programmeKey),
                ["SchoolCode"] = parseResult.GetValue(school),
            };
            var run = new ScreenRun(count, rosterFile, parseResult.GetValue(seed), parseResult.GetValue(school)!, dataDir, output);
            return await StationVerb.RunAsync(settings, error, services => run.ExecuteAsync(services.GetRequiredService<IScreeningStation>(), cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private sealed class ScreenRun(int count, FileInfo? rosterFile, int seed, string schoolCode, string dataDir, TextWriter output)
    {
        public async Task<int> ExecuteAsync(IScreeningStation station, CancellationToken cancellationToken)
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

            var slips = Path.Combine(dataDir, "slips");
            Directory.CreateDirectory(slips);
            var tally = new Tally();
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
                && (await station.FindPupilsAsync(current.Id, null, cancellationToken).ConfigureAwait(false)).Take(count).Any(p => p.Progress != PupilProgress.Screened))
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

        private static async Task ScreenPupilAsync(IScreeningStation station, PupilEntry pupil, string slips, Tally tally, CancellationToken cancellationToken)
        {
            await station.RecordConsentAsync(pupil.Id, consentGiven: true, cancellationToken).ConfigureAwait(false);
            var retakes = 0;
            var pose = CapturePose.Standing;
            while (true)
            {
                var step = await station.CaptureAsync(pupil.Id, pose, cancellationToken).ConfigureAwait(false);
                if (step.Accepted && step.Screening is { } outcome)
                {
                    tally.Add(outcome);
                    var pdf = await station.RenderSlipAsync(outcome.ScreeningId, ReportLanguage.English, cancellationToken).ConfigureAwait(false);
                    await File.WriteAllBytesAsync(Path.Combine(slips, FormattableString.Invariant($"screening-{outcome.ScreeningId:00000}.pdf")), pdf, cancellationToken).ConfigureAwait(false);
                    tally.Retakes += retakes;
                    return;
                }

                if (step.Accepted)
                {
                    pose = CapturePose.ForwardBend;
                    continue;
                }

                if (++retakes > MaxRetakes)
                {
                    tally.Retakes += MaxRetakes;
                    tally.NeedRetake++;
                    return;
                }

                if (step.Reasons.Any(r => r.Code == ScreeningStation.StandingAgainCode))
                {
                    pose = CapturePose.Standing;
                }
            }
        }

        private static void WriteSummary(IAnsiConsole console, Tally tally, OutboxStatus outbox, TimeSpan elapsed, string slips)
        {
            var table = new Table().AddColumns("", "count");
            table.AddRow("normal", Count(tally.Normal));
            table.AddRow("re-screen", Count(tally.Rescreen));
            table.AddRow("refer", Count(tally.Refer));
            table.AddRow("needs a retake (after 3 retakes)", Count(tally.NeedRetake));
            table.AddRow("retakes", Count(tally.Retakes));
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
                console.MarkupLine("No server given: the reports wait in the outbox (spinescan sync --data DIR --server URL --device-key KEY).");
            }
            else if (outbox.LastError is { } lastError)
            {
                console.MarkupLine("Last sync problem: " + Markup.Escape(lastError));
            }
        }

        private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class Tally
    {
        private readonly List<double> _milliseconds = [];

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
