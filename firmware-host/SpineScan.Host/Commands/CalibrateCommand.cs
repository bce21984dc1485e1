using System.CommandLine;
using System.Globalization;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Device.Calibration;
using SpineScan.Imaging.Calibration;
using SpineScan.Imaging.Replay;

namespace SpineScan.Host.Commands;

/// <summary>
/// <c>spinescan calibrate</c>: the installation calibration from the empty-scene and board captures, written to a
/// calibration file; <c>--check</c>: the daily check of a fresh empty scene against that file.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var scenes = new Argument<DirectoryInfo[]>("CAPTURE_DIR")
        {
            Description = "Empty-scene capture folders (floor and wall, nobody in view): one with the head in the standing position, optionally one in the forward-bend position (capture.json's pose tells which). With --check: the fresh standing empty scene.",
            Arity = ArgumentArity.OneOrMore,
        };
        var boards = new Option<string[]>("--board") { Description = "A flat-board capture and the distance you measured to it, as DIR=MM (e.g. board-1000=1000); give two or three.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the calibration file (e.g. DATA/calibration.json)." };
        var check = new Option<bool>("--check") { Description = "The daily check: compare the fresh empty scene with --calibration and say whether the stand was moved." };
        var calibrationFile = new Option<FileInfo?>("--calibration") { Description = "The stored calibration file (for --check)." };
        var chessboard = new Option<DirectoryInfo?>("--chessboard") { Description = "A folder of 8-bit infrared PNG images of a flat chessboard at 10 to 20 different angles and places: calibrates the infrared stream with OpenCV and compares it with the device's intrinsics." };
        var chessboardSize = new Option<string>("--chessboard-size") { Description = "The chessboard's inner corners as COLSxROWS (default 9x6).", DefaultValueFactory = _ => "9x6" };
        var squareMm = new Option<double>("--square-mm") { Description = "The chessboard's square side in millimetres (default 25).", DefaultValueFactory = _ => 25 };
        var command = new Command("calibrate", "Calibrate the device at installation (camera pose to floor and wall, depth scale, bias and noise, a verdict), or check it daily with --check.")
        {
            scenes, boards, output, check, calibrationFile, chessboard, chessboardSize, squareMm,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var text = parseResult.InvocationConfiguration.Output;
            var folders = parseResult.GetValue(scenes)!;
            var captures = new List<DepthCapture>();
            try
            {
                if (parseResult.GetValue(check))
                {
                    if (parseResult.GetValue(calibrationFile) is not { } stored || folders.Length != 1)
                    {
                        error.WriteLine("error: --check needs one fresh empty-scene folder and --calibration FILE.");
                        return 2;
                    }

                    var calibration = CalibrationFile.Read(stored.FullName);
                    var fresh = Read(folders[0].FullName, captures);
                    var result = CalibrationCheck.Compare(calibration, fresh, TimeProvider.System.GetUtcNow());
                    foreach (var finding in result.Findings)
                    {
                        text.WriteLine("  " + finding);
                    }

                    text.WriteLine(result.Passed
                        ? $"Calibration {calibration.Id} holds: the stand has not moved."
                        : result.Moved
                            ? "The stand was moved since its calibration: put it back on its floor marks, or calibrate again (calibration/README.md), before screening."
                            : "The calibration has expired: calibrate again (calibration/README.md) before screening.");
                    return result.Passed ? 0 : 1;
                }

                if (parseResult.GetValue(output) is not { } outFile)
                {
                    error.WriteLine("error: say where the calibration goes with --out FILE (e.g. DATA/calibration.json).");
                    return 2;
                }

                DepthCapture? standing = null, bend = null;
                foreach (var folder in folders)
                {
                    var capture = Read(folder.FullName, captures);
                    if (capture.Pose == CapturePose.Standing && standing is null)
                    {
                        standing = capture;
                    }
                    else if (capture.Pose == CapturePose.ForwardBend && bend is null)
                    {
                        bend = capture;
                    }
                    else
                    {
                        error.WriteLine($"error: {folder.FullName} is a second {DepthCapture.PoseName(capture.Pose)} empty scene: give one per head position.");
                        return 2;
                    }
                }

                if (standing is null)
                {
                    error.WriteLine("error: no empty scene with the head in the standing position was given (capture.json pose 'standing').");
                    return 2;
                }

                var boardCaptures = new List<BoardCapture>();
                foreach (var spec in parseResult.GetValue(boards) ?? [])
                {
                    var at = spec.LastIndexOf('=');
                    if (at <= 0 || !double.TryParse(spec[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var mm))
                    {
                        error.WriteLine($"error: --board '{spec}' must be DIR=MM, the folder and the distance in millimetres you measured from the camera's front glass to the board's centre.");
                        return 2;
                    }

                    boardCaptures.Add(new BoardCapture(Read(spec[..at], captures), mm));
                }

                ChessboardCalibration? infrared = null;
                if (parseResult.GetValue(chessboard) is { } chessboardDir)
                {
                    var sizeText = parseResult.GetValue(chessboardSize) ?? "9x6";
                    var parts = sizeText.Split('x', 'X');
                    if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cols) || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rows)
                        || cols < 3 || rows < 3 || parseResult.GetValue(squareMm) is not (> 0 and < 500))
                    {
                        error.WriteLine($"error: --chessboard-size '{sizeText}' must be COLSxROWS inner corners (e.g. 9x6, each at least 3) and --square-mm a side in millimetres.");
                        return 2;
                    }

                    if (!chessboardDir.Exists)
                    {
                        error.WriteLine($"error: the chessboard folder {chessboardDir.FullName} does not exist.");
                        return 2;
                    }

                    var images = chessboardDir.GetFiles("*.png").Select(f => f.FullName).Order(StringComparer.Ordinal).ToList();
                    infrared = new OpenCvChessboardCalibrator().Calibrate(images, new ChessboardPattern(cols, rows, parseResult.GetValue(squareMm)), standing.Intrinsics.Width, standing.Intrinsics.Height);
                }

                var made = CalibrationSolver.Solve(standing, bend, boardCaptures, CalibrationTolerances.Default, TimeProvider.System.GetUtcNow(), infrared);
                CalibrationFile.Write(outFile.FullName, made);
                Summarize(made, text);
                text.WriteLine($"Wrote {outFile.FullName}.");
                return made.Verdict.Passed ? 0 : 1;
            }
            catch (Exception e) when (e is InvalidCaptureException or CalibrationInputException or InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine("error: " + e.Message);
                return 2;
            }
            finally
            {
                foreach (var capture in captures)
                {
                    capture.Dispose();
                }
            }
        });
        return command;
    }

    private static DepthCapture Read(string folder, List<DepthCapture> opened)
    {
        var capture = ReplayCaptureReader.Read(folder);
        opened.Add(capture);
        return capture;
    }

    private static void Summarize(DeviceCalibration c, TextWriter text)
    {
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        text.WriteLine($"Calibration {c.Id} of {c.Device.Model} {c.Device.Serial}: {(c.Verdict.Passed ? "PASSED" : "FAILED")}, valid until {c.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
        text.WriteLine("  Intrinsics: " + c.IntrinsicsCheck + ".");
        if (c.Chessboard is { } board)
        {
            text.WriteLine(F($"  Chessboard: reprojection error {board.RmsReprojectionPx:0.000} px RMS on {board.UsedViews} of {board.Views.Count} views; distortion k1 {board.Distortion[0]:+0.0000;-0.0000}, k2 {board.Distortion[1]:+0.0000;-0.0000}."));
            foreach (var view in board.Views.Where(v => !v.Used))
            {
                text.WriteLine($"    {view.Name}: not used ({view.Reason}).");
            }
        }
        foreach (var pose in new[] { c.Standing, c.ForwardBend })
        {
            if (pose is not null)
            {
                var wall = pose.WallDistanceMm is { } w ? F($"{w:0} mm to the wall") : "no wall in view";
                text.WriteLine(F($"  Camera ({DepthCapture.PoseName(pose.Pose)} head): pitch {pose.PitchDeg:+0.00;-0.00} deg, roll {pose.RollDeg:+0.00;-0.00} deg, {pose.HeightMm:0} mm above the floor, {wall} (floor fit {pose.FloorResidualMm:0.0} mm RMS on {pose.FloorSamples} samples)."));
            }
        }

        text.WriteLine(c.Boards.Count == 0
            ? "  Depth scale: not measured (no board captures); taken as exact."
            : F($"  Depth scale: the camera reads {100 * (c.DepthScale - 1):+0.00;-0.00} % (corrected in every analysis)."));
        foreach (var b in c.Boards)
        {
            text.WriteLine(F($"  Board at {b.NominalDistanceMm:0} mm: read {b.MeasuredDistanceMm:0.0} mm, bias after correction {b.BiasMm:+0.0;-0.0} mm, noise {b.NoiseMm:0.0} mm per frame, flatness {b.FlatnessMm:0.0} mm RMS."));
        }

        foreach (var failure in c.Verdict.Failures)
        {
            text.WriteLine("  FAILED: " + failure);
        }
    }
}
