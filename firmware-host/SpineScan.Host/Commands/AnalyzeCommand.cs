using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SpineScan.CommandLine;
using SpineScan.Contracts;
using SpineScan.Core.Analysis.Landmarks;
using SpineScan.Core.Analysis;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Device.Calibration;
using SpineScan.Device.Analysis;
using SpineScan.Imaging.Replay;
using SpineScan.Inference;
using SpineScan.Models;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan analyze</c>: runs the measurement pipeline on captures in the replay format.</summary>
internal static class AnalyzeCommand
{
    private const string Classical = "classical";
    private const string Model = "model";

    public static Command Create()
    {
        var standing = new Argument<DirectoryInfo>("STANDING_DIR")
        {
            Description = "The standing capture folder (capture.json + depth PNGs), or a phantom child folder holding standing/ and forward_bend/.",
        };
        var bend = new Option<DirectoryInfo?>("--forward-bend") { Description = "The forward-bend capture folder (Adam's test); gives the angle of trunk rotation." };
        var json = new Option<bool>("--json") { Description = "Print the versioned analysis result as JSON." };
        var calibrationFile = new Option<FileInfo?>("--calibration") { Description = "The device's calibration file (spinescan calibrate): the analysis then works in its gravity-aligned frame and depth scale. Without it the result is marked 'uncalibrated'." };
        var method = new Option<string>("--method")
        {
            Description = $"Where the vertebral-body centres come from: {Classical} (the reconstruction from the symmetry line, the default) or {Model} (the learned back-to-spine network under models/, falling back to {Classical} when it is unsure of a capture).",
            DefaultValueFactory = _ => Classical,
        };
        method.AcceptOnlyFromAmong(Classical, Model);
        var command = new Command("analyze", "Analyse a screening's depth captures: Cobb estimate, ATR, posture metrics, quality and category.")
        {
            standing,
            bend,
            json,
            calibrationFile,
            method,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var standingDir = parseResult.GetValue(standing)!.FullName;
            var bendDir = parseResult.GetValue(bend)?.FullName;
            if (bendDir is null && Directory.Exists(Path.Combine(standingDir, "standing")))
            {
                // A phantom child (or any screening folder) holding both poses.
                var childBend = Path.Combine(standingDir, "forward_bend");
                bendDir = Directory.Exists(childBend) ? childBend : null;
                standingDir = Path.Combine(standingDir, "standing");
            }

            DepthCapture? standingCapture = null;
            DepthCapture? bendCapture = null;
            DeviceCalibration? calibration = null;
            try
            {
                calibration = parseResult.GetValue(calibrationFile) is { } file ? CalibrationFile.Read(file.FullName) : null;
                standingCapture = ReplayCaptureReader.Read(standingDir);
                bendCapture = bendDir is null ? null : ReplayCaptureReader.Read(bendDir);
                if (calibration is not null && (CalibrationMismatch(calibration, standingCapture) ?? (bendCapture is null ? null : CalibrationMismatch(calibration, bendCapture))) is { } mismatch)
                {
                    throw new InvalidDataException(mismatch);
                }
            }
            catch (Exception e) when (e is InvalidCaptureException or InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                standingCapture?.Dispose();
                bendCapture?.Dispose();
                error.WriteLine("error: " + e.Message);
                return 2;
            }

            OnnxSpineCentreModel? centreModel = null;
            if (parseResult.GetValue(method) == Model)
            {
                try
                {
                    centreModel = OnnxSpineCentreModel.FromCatalog(ModelCatalog.Shipped);
                }
                catch (ModelLoadException e)
                {
                    standingCapture.Dispose();
                    bendCapture?.Dispose();
                    error.WriteLine("error: " + e.Message);
                    return 2;
                }

                if (centreModel is null)
                {
                    standingCapture.Dispose();
                    bendCapture?.Dispose();
                    error.WriteLine($"error: {ModelCatalog.Shipped.Directory} holds no learned spine model ('{OnnxSpineCentreModel.Kind}'); use --method {Classical}, or train one with models/train-spine-cnn.sh.");
                    return 2;
                }

                // The provider in one plain line (and why the CPU runs it when CUDA was asked for).
                if (centreModel.ProviderNote is { } note)
                {
                    error.WriteLine(note);
                }

                error.WriteLine(centreModel.Describe());
            }

            using (centreModel)
            using (standingCapture)
            using (bendCapture)
            {
                var analyzer = new ScreeningAnalyzer(ModelCatalog.Shipped.Settings() with { Calibration = calibration }, new ClassicLandmarkDetector(), centreModel);
                var result = analyzer.Analyze(standingCapture, bendCapture);
                if (centreModel is not null && result.Cobb is not null)
                {
                    error.WriteLine(result.CentresFromModel
                        ? $"Vertebral-body centres from {centreModel.Info.Id}."
                        : $"Vertebral-body centres from the classical reconstruction: {centreModel.Info.Id} was unsure of this capture.");
                }

                var contract = calibration is null ? ContractMapper.MarkUncalibrated(ContractMapper.ToContract(result)) : ContractMapper.ToContract(result);
                if (parseResult.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(contract, SpineScanJsonContext.Default.AnalysisResult));
                }
                else
                {
                    WriteTable(contract, output);
                }

                return 0;
            }
        });
        return command;
    }

    // A calibration belongs to one camera: a capture from another (or at another resolution) cannot use it.
    private static string? CalibrationMismatch(DeviceCalibration calibration, DepthCapture capture) =>
        !string.Equals(capture.Device.Serial, calibration.Device.Serial, StringComparison.Ordinal)
            ? $"the capture comes from camera {capture.Device.Serial} but the calibration {calibration.Id} from {calibration.Device.Serial}: analyse with that camera's own calibration, or without --calibration (the result is then marked uncalibrated)."
            : capture.Intrinsics.Width != calibration.Intrinsics.Width || capture.Intrinsics.Height != calibration.Intrinsics.Height
                ? $"the capture is {capture.Intrinsics.Width}x{capture.Intrinsics.Height}, the calibration was made at {calibration.Intrinsics.Width}x{calibration.Intrinsics.Height}: capture at the calibrated resolution."
                : null;

    private static void WriteTable(AnalysisResult result, TextWriter output)
    {
        var console = Terminal.For(output);
        console.MarkupLine($"Category: [bold]{Markup.Escape(result.Category.ToString().ToUpperInvariant())}[/]");
        foreach (var reason in result.Quality.Reasons)
        {
            console.MarkupLine($"  [yellow]{Markup.Escape(reason.Code)}[/]: {Markup.Escape(reason.Message)}");
        }

        var table = new Table().AddColumns("metric", "value", "confidence");
        foreach (var (i, curve) in result.Metrics.CobbDeg.Index())
        {
            table.AddRow(
                i == 0 ? "Cobb estimate (largest)" : "Cobb estimate",
                string.Create(CultureInfo.InvariantCulture, $"{curve.Value:0.0} deg, apex {curve.ApexLevel}, {curve.UpperEndLevel}-{curve.LowerEndLevel}"),
                curve.Confidence.ToString("0.00", CultureInfo.InvariantCulture));
        }

        void Row(string name, Metric? metric)
        {
            if (metric is not null)
            {
                table.AddRow(name, string.Create(CultureInfo.InvariantCulture, $"{metric.Value:0.0} {metric.Unit}"), metric.Confidence.ToString("0.00", CultureInfo.InvariantCulture));
            }
        }

        var m = result.Metrics;
        Row("ATR (forward bend)", m.AtrDeg);
        Row("surface rotation", m.SurfaceRotationDeg);
        Row("kyphosis", m.KyphosisDeg);
        Row("lordosis", m.LordosisDeg);
        Row("trunk inclination", m.TrunkInclinationDeg);
        Row("shoulder height difference", m.ShoulderHeightDifferenceMm);
        Row("scapula asymmetry", m.ScapulaAsymmetryMm);
        Row("waist-triangle asymmetry", m.WaistTriangleAsymmetryPct);
        Row("pelvic obliquity", m.PelvicObliquityDeg);
        Row("trunk imbalance", m.TrunkImbalanceMm);
        if (table.Rows.Count > 0)
        {
            console.Write(table);
        }

        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Analysis took {result.TimingsMs.GetValueOrDefault("total"):0} ms."));
    }
}
