using System.Text.Json;
using System.Text.Json.Serialization;
using SpineScan.Core.Analysis;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Device.Calibration;

/// <summary>
/// The calibration file (<c>spinescan.calibration/2</c>; <c>/1</c>, without the chessboard, still reads): one device's calibration as versioned JSON, written by
/// <c>spinescan calibrate</c>. Reading refuses another schema, a malformed file or impossible values with a message that
/// names the file and says what to do; writing goes through a temporary file, so an interrupted write leaves the old one.
/// </summary>
public static class CalibrationFile
{
    public const string Schema = "spinescan.calibration/2";

    /// <summary>The schema before the chessboard result was added; still read (no chessboard).</summary>
    public const string SchemaV1 = "spinescan.calibration/1";

    /// <summary>The file's name in a data folder.</summary>
    public const string FileName = "calibration.json";

    public static void Write(string path, DeviceCalibration calibration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(calibration);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(ToDocument(calibration), CalibrationJsonContext.Default.CalibrationDocument));
        File.Move(temporary, full, overwrite: true);
    }

    /// <exception cref="InvalidDataException">The file is not a calibration this version reads; the message says why.</exception>
    /// <exception cref="FileNotFoundException">There is no file.</exception>
    public static DeviceCalibration Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CalibrationDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllText(path), CalibrationJsonContext.Default.CalibrationDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a calibration file ({e.Message}): run spinescan calibrate again to write a new one.", e);
        }

        if (document is null || (document.Schema != Schema && document.Schema != SchemaV1))
        {
            throw new InvalidDataException($"{path} has schema '{document?.Schema}', this device reads '{Schema}': run spinescan calibrate again.");
        }

        if (document.Standing is null || document.Device is null || document.Intrinsics is null || document.Tolerances is null || document.Verdict is null
            || !double.IsFinite(document.DepthScale) || document.DepthScale is < 0.5 or > 2 || string.IsNullOrWhiteSpace(document.Id))
        {
            throw new InvalidDataException($"{path} lacks a required value (id, device, intrinsics, standing pose, depth scale 0.5-2, tolerances or verdict): run spinescan calibrate again.");
        }

        return FromDocument(document);
    }

    private static CalibrationDocument ToDocument(DeviceCalibration c) => new()
    {
        Schema = Schema,
        Id = c.Id,
        Device = new DeviceDocument(c.Device.Model, c.Device.Serial),
        CreatedAt = c.CreatedAt,
        ExpiresAt = c.ExpiresAt,
        Intrinsics = new IntrinsicsDocument(c.Intrinsics.Width, c.Intrinsics.Height, c.Intrinsics.Fx, c.Intrinsics.Fy, c.Intrinsics.Cx, c.Intrinsics.Cy, c.Intrinsics.Model.ToString(), [c.Intrinsics.K1, c.Intrinsics.K2, c.Intrinsics.P1, c.Intrinsics.P2, c.Intrinsics.K3]),
        IntrinsicsCheck = c.IntrinsicsCheck,
        Chessboard = c.Chessboard is not { } b ? null : new ChessboardDocument(
            b.Width, b.Height, b.Fx, b.Fy, b.Cx, b.Cy, [.. b.Distortion], b.RmsReprojectionPx, b.Pattern.Cols, b.Pattern.Rows, b.Pattern.SquareMm, [.. b.Views],
            c.ChessboardComparison?.FxErrorPct ?? 0, c.ChessboardComparison?.FyErrorPct ?? 0, c.ChessboardComparison?.PrincipalPointErrorPx ?? 0, c.ChessboardComparison?.Failures ?? []),
        Standing = Pose(c.Standing),
        ForwardBend = c.ForwardBend is null ? null : Pose(c.ForwardBend),
        DepthScale = c.DepthScale,
        Boards = [.. c.Boards],
        Tolerances = c.Tolerances,
        Verdict = c.Verdict,
    };

    private static PoseDocument Pose(CameraPoseCalibration p) => new(
        DepthCapture.PoseName(p.Pose), PlaneOf(p.Floor), p.Wall is { } w ? PlaneOf(w) : null, p.PitchDeg, p.RollDeg, p.HeightMm, p.WallDistanceMm, p.FloorResidualMm, p.FloorSamples);

    private static PlaneDocument PlaneOf(Plane p) => new([p.Normal.X, p.Normal.Y, p.Normal.Z], p.Distance);

    private static DeviceCalibration FromDocument(CalibrationDocument d)
    {
        var i = d.Intrinsics!;
        if (i.Coeffs is not { Length: 5 } || !Enum.TryParse<DistortionModel>(i.Model, out var model))
        {
            throw new InvalidDataException("The calibration's intrinsics need a known model and five coefficients: run spinescan calibrate again.");
        }

        return new DeviceCalibration
        {
            Id = d.Id!,
            Device = new CaptureDevice(d.Device!.Model, d.Device.Serial),
            CreatedAt = d.CreatedAt,
            Intrinsics = new CameraIntrinsics(i.Width, i.Height, i.Fx, i.Fy, i.Cx, i.Cy, model, i.Coeffs[0], i.Coeffs[1], i.Coeffs[2], i.Coeffs[3], i.Coeffs[4]),
            IntrinsicsCheck = d.IntrinsicsCheck ?? string.Empty,
            Chessboard = d.Chessboard is not { } b ? null : new ChessboardCalibration(
                b.Width, b.Height, b.Fx, b.Fy, b.Cx, b.Cy, b.Distortion ?? [], b.RmsReprojectionPx, new ChessboardPattern(b.Cols, b.Rows, b.SquareMm), b.Views ?? []),
            ChessboardComparison = d.Chessboard is not { } k ? null : new ChessboardComparison(k.FxErrorPct, k.FyErrorPct, k.PrincipalPointErrorPx, k.RmsReprojectionPx, k.Failures ?? []),
            Standing = PoseFrom(d.Standing!),
            ForwardBend = d.ForwardBend is null ? null : PoseFrom(d.ForwardBend),
            DepthScale = d.DepthScale,
            Boards = d.Boards ?? [],
            Tolerances = d.Tolerances!,
            Verdict = d.Verdict!,
        };
    }

    private static CameraPoseCalibration PoseFrom(PoseDocument p)
    {
        if (!DepthCapture.TryParsePose(p.Pose, out var pose) || p.Floor is null)
        {
            throw new InvalidDataException($"The calibration's head position '{p.Pose}' or its floor is missing: run spinescan calibrate again.");
        }

        return new CameraPoseCalibration(pose, PlaneFrom(p.Floor), p.Wall is null ? null : PlaneFrom(p.Wall), p.PitchDeg, p.RollDeg, p.HeightMm, p.WallDistanceMm, p.FloorResidualMm, p.FloorSamples);
    }

    private static Plane PlaneFrom(PlaneDocument p)
    {
        if (p.Normal is not { Length: 3 } n || !double.IsFinite(p.DistanceMm) || Math.Abs(Math.Sqrt((n[0] * n[0]) + (n[1] * n[1]) + (n[2] * n[2])) - 1) > 1e-3)
        {
            throw new InvalidDataException("A plane in the calibration file has no unit normal: run spinescan calibrate again.");
        }

        return new Plane(new Vector3d(n[0], n[1], n[2]), p.DistanceMm);
    }
}

/// <summary>The file's JSON shape.</summary>
public sealed record CalibrationDocument
{
    public string? Schema { get; init; }

    public string? Id { get; init; }

    public DeviceDocument? Device { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public IntrinsicsDocument? Intrinsics { get; init; }

    public string? IntrinsicsCheck { get; init; }

    /// <summary>The chessboard calibration of the infrared stream and its comparison (schema 2; null when none was given).</summary>
    public ChessboardDocument? Chessboard { get; init; }

    public PoseDocument? Standing { get; init; }

    public PoseDocument? ForwardBend { get; init; }

    public double DepthScale { get; init; }

    public IReadOnlyList<BoardMeasurement>? Boards { get; init; }

    public CalibrationTolerances? Tolerances { get; init; }

    public CalibrationVerdict? Verdict { get; init; }
}

public sealed record DeviceDocument(string Model, string Serial);

public sealed record IntrinsicsDocument(int Width, int Height, double Fx, double Fy, double Cx, double Cy, string Model, double[] Coeffs);

public sealed record ChessboardDocument(
    int Width, int Height, double Fx, double Fy, double Cx, double Cy, double[]? Distortion, double RmsReprojectionPx, int Cols, int Rows, double SquareMm,
    ChessboardView[]? Views, double FxErrorPct, double FyErrorPct, double PrincipalPointErrorPx, IReadOnlyList<string>? Failures);

public sealed record PlaneDocument(double[] Normal, double DistanceMm);

public sealed record PoseDocument(string Pose, PlaneDocument? Floor, PlaneDocument? Wall, double PitchDeg, double RollDeg, double HeightMm, double? WallDistanceMm, double FloorResidualMm, int FloorSamples);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CalibrationDocument))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
