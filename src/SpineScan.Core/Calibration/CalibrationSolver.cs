using System.Globalization;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Calibration;

/// <summary>A board capture with the distance the technician measured to it.</summary>
public sealed record BoardCapture(DepthCapture Capture, double NominalDistanceMm);

/// <summary>
/// Computes a device's calibration from its installation captures: the empty scene (floor and wall, nobody in view) at the
/// standing head position and optionally at the forward-bend one, and the flat board at one to three measured distances.
/// Pure: the captures in, a <see cref="DeviceCalibration"/> out, or a <see cref="CalibrationInputException"/> that says
/// what was wrong with the captures and what to do.
/// </summary>
public static class CalibrationSolver
{
    private const int SampleStep = 4;
    private const int MinFloorSamples = 150;
    private const int MinBoardSamples = 200;
    private const double MaxFloorConeDeg = 10;
    private const double MinFloorWidthShare = 0.4;
    private const double PlaneBandMm = 20;
    private const double OffBoardMm = 60;

    public static DeviceCalibration Solve(
        DepthCapture emptyStanding,
        DepthCapture? emptyForwardBend,
        IReadOnlyList<BoardCapture> boards,
        CalibrationTolerances tolerances,
        DateTimeOffset now,
        ChessboardCalibration? chessboard = null)
    {
        ArgumentNullException.ThrowIfNull(emptyStanding);
        ArgumentNullException.ThrowIfNull(boards);
        ArgumentNullException.ThrowIfNull(tolerances);
        var device = emptyStanding.Device;
        CheckCapture(emptyStanding, "the empty scene", device, emptyStanding.Intrinsics, CapturePose.Standing);
        if (emptyForwardBend is not null)
        {
            CheckCapture(emptyForwardBend, "the forward-bend empty scene", device, emptyStanding.Intrinsics, CapturePose.ForwardBend);
        }

        foreach (var board in boards)
        {
            CheckCapture(board.Capture, Named(board), device, emptyStanding.Intrinsics, null);
            if (!double.IsFinite(board.NominalDistanceMm) || board.NominalDistanceMm is < 400 or > 3000)
            {
                throw new CalibrationInputException(FormattableString.Invariant(
                    $"The board distance {board.NominalDistanceMm} mm is out of range: place the board 0.8 to 2 m from the camera and give the distance you measured in millimetres."));
            }
        }

        var intrinsics = emptyStanding.Intrinsics;
        if (intrinsics.Problems() is { Count: > 0 } problems)
        {
            throw new CalibrationInputException("The device's intrinsics are impossible (" + string.Join("; ", problems) + "): the camera's firmware reports a broken calibration; have it serviced.");
        }

        if (chessboard is not null && (chessboard.Width != intrinsics.Width || chessboard.Height != intrinsics.Height))
        {
            throw new CalibrationInputException(Invariant(
                $"The chessboard images are {chessboard.Width}x{chessboard.Height} but the depth stream's intrinsics are for {intrinsics.Width}x{intrinsics.Height}: capture the infrared views at the depth stream's resolution."));
        }

        // The boards first: they give the depth scale every other distance is corrected by.
        var measuredBoards = boards.Select(b => MeasureBoard(b, tolerances)).ToList();
        var scale = DepthScale(measuredBoards);
        measuredBoards = [.. measuredBoards.Select(b => b with { BiasMm = (b.MeasuredDistanceMm / scale) - b.NominalDistanceMm })];

        var standing = MeasureRoom(emptyStanding, scale, "the empty scene");
        var bend = emptyForwardBend is null ? null : MeasureRoom(emptyForwardBend, scale, "the forward-bend empty scene");

        var failures = new List<string>();
        if (Math.Abs(standing.PitchDeg) > tolerances.MaxStandTiltDeg || Math.Abs(standing.RollDeg) > tolerances.MaxStandTiltDeg)
        {
            failures.Add(Invariant($"The standing head is tilted {standing.PitchDeg:+0.0;-0.0} deg (pitch) and {standing.RollDeg:+0.0;-0.0} deg (roll); at most {tolerances.MaxStandTiltDeg:0.#} is allowed: level the stand with its feet and capture again."));
        }

        if (Math.Abs(scale - 1) * 100 > tolerances.MaxDepthScaleErrorPct)
        {
            failures.Add(Invariant($"The camera reads depth {100 * (scale - 1):+0.00;-0.00} % off (at most {tolerances.MaxDepthScaleErrorPct:0.#} %): check the board distances you measured; if they are right, the camera needs service."));
        }

        foreach (var b in measuredBoards)
        {
            if (Math.Abs(b.BiasMm) > tolerances.MaxBoardBiasMm)
            {
                failures.Add(Invariant($"At {b.NominalDistanceMm:0} mm the depth is {b.BiasMm:+0.0;-0.0} mm off after the scale correction (at most {tolerances.MaxBoardBiasMm:0.#}): measure the distance again from the camera's front glass to the board's centre."));
            }

            if (b.NoiseMm > tolerances.MaxBoardNoiseMm)
            {
                failures.Add(Invariant($"At {b.NominalDistanceMm:0} mm the depth noise is {b.NoiseMm:0.0} mm (at most {tolerances.MaxBoardNoiseMm:0.#}): shade the hall from direct sunlight, let the camera warm up 30 minutes and capture again."));
            }
        }

        var comparison = chessboard is null ? null : ChessboardComparison.Compare(chessboard, intrinsics, tolerances);
        if (comparison is not null)
        {
            failures.AddRange(comparison.Failures);
        }

        var check = comparison is not null ? comparison.Describe(chessboard!) : Invariant($"the device's own intrinsics ({intrinsics.Width}x{intrinsics.Height}, fx {intrinsics.Fx:0.0}, fy {intrinsics.Fy:0.0}, cx {intrinsics.Cx:0.0}, cy {intrinsics.Cy:0.0}, {intrinsics.Model}) are plausible; no infrared chessboard frames were given, so no reprojection error was measured");
        return new DeviceCalibration
        {
            Id = Invariant($"{device.Serial}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}"),
            Device = device,
            CreatedAt = now,
            Intrinsics = intrinsics,
            IntrinsicsCheck = check,
            Chessboard = chessboard,
            ChessboardComparison = comparison,
            Standing = standing,
            ForwardBend = bend,
            DepthScale = scale,
            Boards = measuredBoards,
            Tolerances = tolerances,
            Verdict = new CalibrationVerdict(failures.Count == 0, failures),
        };
    }

    /// <summary>
    /// The camera pose against floor and wall in one empty-scene capture, its distances divided by <paramref name="depthScale"/>.
    /// </summary>
    public static CameraPoseCalibration MeasureRoom(DepthCapture capture, double depthScale, string what)
    {
        ArgumentNullException.ThrowIfNull(capture);
        using var fused = Fuse(capture, what);
        var samples = RobustPlaneFit.Sample(fused, capture.Intrinsics, SampleStep);
        var nominal = capture.Pose == CapturePose.Standing ? ExpectedCameraPose.Standing : ExpectedCameraPose.ForwardBend;
        var expectedUp = BodyFrameUp(nominal.PitchDeg);
        // The floor: a plane as wide as the room whose normal lies within MaxFloorConeDeg of the nominal head's up (a stand
        // tilted further fails anyway; a wider cone would let a plane through the floor-wall corner pass for the floor).
        var cone = Math.Cos(MaxFloorConeDeg * Math.PI / 180);
        var floorFit = RobustPlaneFit.Fit(samples, PlaneBandMm, MinFloorSamples, n => Vector3d.Dot(n, expectedUp) > cone, seed: 1601);
        if (floorFit is null || floorFit.MaxU - floorFit.MinU < MinFloorWidthShare * capture.Intrinsics.Width)
        {
            throw new CalibrationInputException(Invariant(
                $"No floor in view in {what} ({Describe(capture)}; {(floorFit is null ? "no level plane" : $"a level plane across {100.0 * (floorFit.MaxU - floorFit.MinU) / capture.Intrinsics.Width:0} % of the width")}): a strip of bare floor must cross the whole bottom of the picture. Move the stand to its screening place at least 1.5 m from the wall, clear the floor (no mats or bags), check the head is level within {MaxFloorConeDeg:0} deg, and capture the empty scene again."));
        }

        var floor = Scaled(floorFit.Plane, depthScale);
        var up = floor.Normal;
        var rest = RobustPlaneFit.Outside(samples, floorFit.Plane, PlaneBandMm);
        var horizontal = Math.Sin(15 * Math.PI / 180);
        var wallFit = RobustPlaneFit.Fit(rest, PlaneBandMm, MinFloorSamples, n => Math.Abs(Vector3d.Dot(n, up)) < horizontal && n.Z < -0.3, seed: 1602);
        var wall = wallFit is null ? (Plane?)null : Scaled(wallFit.Plane, depthScale);
        var frame = BodyFrame.FromFloor(floor);
        return new CameraPoseCalibration(
            capture.Pose,
            floor,
            wall,
            frame.CameraPitchDeg,
            frame.CameraRollDeg,
            -floor.Distance,
            wall is { } w ? -w.Distance : null,
            floorFit.ResidualRmsMm / depthScale,
            floorFit.Inliers);
    }

    private static BoardMeasurement MeasureBoard(BoardCapture board, CalibrationTolerances tolerances)
    {
        var capture = board.Capture;
        var nominal = board.NominalDistanceMm;
        using var fused = Fuse(capture, Named(board));
        var near = RobustPlaneFit.Sample(fused, capture.Intrinsics, SampleStep).Where(s => s.Point.Z > 0.75 * nominal && s.Point.Z < 1.25 * nominal).ToList();
        var facing = Math.Cos(35 * Math.PI / 180);
        var fit = RobustPlaneFit.Fit(near, 25, MinBoardSamples, n => -n.Z > facing, seed: 1603);
        if (fit is null)
        {
            throw new CalibrationInputException(Invariant(
                $"No board found near {nominal:0} mm in {Named(board)} ({Describe(capture)}): stand the flat board square to the camera, its centre in the middle of the picture, at the distance you give, and nothing else that near."));
        }

        // Inside the board's outline (the rows and columns of samples where the board's plane holds at least a third of the
        // samples of its fullest row or column, around its middle, inset by a tenth away from its edges): how far the fused
        // board departs from its plane, and how much each frame differs from the fused depth (the per-frame noise).
        var onBoard = near.Where(p => Math.Abs(fit.Plane.SignedDistance(p.Point)) < 25).ToList();
        var (minU, maxU) = DenseRun(onBoard.Select(p => p.U).ToList());
        var (minV, maxV) = DenseRun(onBoard.Select(p => p.V).ToList());
        var insetU = (maxU - minU) / 10;
        var insetV = (maxV - minV) / 10;
        int u0 = minU + insetU, u1 = maxU - insetU, v0 = minV + insetV, v1 = maxV - insetV;
        var intrinsics = capture.Intrinsics;
        double flatSum = 0;
        int flatCount = 0, offBoard = 0;
        var unit = fused.DepthScaleMm;
        for (var v = v0; v <= v1; v += 2)
        {
            var row = fused.Row(v);
            for (var u = u0; u <= u1; u += 2)
            {
                if (row[u] != DepthFrame.NoMeasurement)
                {
                    var d = fit.Plane.SignedDistance(intrinsics.Deproject(u, v, row[u] * unit));
                    if (Math.Abs(d) > OffBoardMm)
                    {
                        offBoard++;
                        continue;
                    }

                    flatSum += d * d;
                    flatCount++;
                }
            }
        }

        if (offBoard > 0.2 * (offBoard + flatCount))
        {
            throw new CalibrationInputException(Invariant(
                $"The board at {nominal:0} mm is covered or has holes: {100.0 * offBoard / (offBoard + flatCount):0} % of its middle lies more than {OffBoardMm:0} mm off its plane. Clear anything in front of it, use a whole rigid board and capture again."));
        }

        var flatness = flatCount == 0 ? double.NaN : Math.Sqrt(flatSum / flatCount);
        if (!(flatness <= tolerances.MaxBoardFlatnessMm))
        {
            throw new CalibrationInputException(Invariant(
                $"The board at {nominal:0} mm is not flat: its surface departs from a plane by {flatness:0.0} mm RMS (at most {tolerances.MaxBoardFlatnessMm:0.#}). Use a rigid flat board (foam board or MDF, not card or cloth), stand it upright and capture again."));
        }

        var noises = new List<double>(capture.Frames.Count);
        foreach (var frame in capture.Frames)
        {
            double sum = 0;
            var count = 0;
            var frameUnit = frame.DepthScaleMm;
            for (var v = v0; v <= v1; v += 2)
            {
                var row = frame.Row(v);
                var fusedRow = fused.Row(v);
                for (var u = u0; u <= u1; u += 2)
                {
                    if (row[u] != DepthFrame.NoMeasurement && fusedRow[u] != DepthFrame.NoMeasurement)
                    {
                        var d = (row[u] * frameUnit) - (fusedRow[u] * unit);
                        sum += d * d;
                        count++;
                    }
                }
            }

            if (count > 0)
            {
                noises.Add(Math.Sqrt(sum / count));
            }
        }

        noises.Sort();
        var noise = noises.Count == 0 ? double.NaN : noises[noises.Count / 2];

        // A frame's spread about the mean of n frames is sqrt((n - 1) / n) of its spread about the truth.
        var n = capture.Frames.Count;
        noise = n > 1 ? noise * Math.Sqrt(n / (double)(n - 1)) : noise;
        var measured = fit.Plane.Distance / fit.Plane.Normal.Z;
        return new BoardMeasurement(nominal, measured, measured - nominal, noise, flatness, fit.Inliers);
    }

    // The contiguous run of sample positions (columns or rows) around the median whose counts reach a third of the largest.
    private static (int From, int To) DenseRun(List<int> positions)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var p in positions)
        {
            counts[p] = counts.GetValueOrDefault(p) + 1;
        }

        var keys = counts.Keys.ToList();
        positions.Sort();
        var median = positions[positions.Count / 2];
        var threshold = counts.Values.Max() / 3.0;
        var start = keys.BinarySearch(median);
        start = start < 0 ? Math.Min(~start, keys.Count - 1) : start;
        int lo = start, hi = start;
        while (lo > 0 && counts[keys[lo - 1]] >= threshold)
        {
            lo--;
        }

        while (hi < keys.Count - 1 && counts[keys[hi + 1]] >= threshold)
        {
            hi++;
        }

        return (keys[lo], keys[hi]);
    }

    // Depth read per true depth: with two or more boards the slope of measured on nominal (a constant offset, such as the
    // glass in front of the sensor, does not bend it); with one, the ratio; with none, 1 (uncorrected).
    private static double DepthScale(List<BoardMeasurement> boards)
    {
        if (boards.Count == 0)
        {
            return 1;
        }

        if (boards.Count == 1 || boards.Max(b => b.NominalDistanceMm) - boards.Min(b => b.NominalDistanceMm) < 200)
        {
            return boards.Sum(b => b.MeasuredDistanceMm) / boards.Sum(b => b.NominalDistanceMm);
        }

        double mx = boards.Average(b => b.NominalDistanceMm), my = boards.Average(b => b.MeasuredDistanceMm), sxy = 0, sxx = 0;
        foreach (var b in boards)
        {
            sxy += (b.NominalDistanceMm - mx) * (b.MeasuredDistanceMm - my);
            sxx += (b.NominalDistanceMm - mx) * (b.NominalDistanceMm - mx);
        }

        return sxy / sxx;
    }

    private static void CheckCapture(DepthCapture capture, string what, CaptureDevice device, CameraIntrinsics intrinsics, CapturePose? pose)
    {
        if (capture.Frames.Count == 0)
        {
            throw new CalibrationInputException($"{Capitalised(what)} has no frames: capture it again.");
        }

        if (!string.Equals(capture.Device.Serial, device.Serial, StringComparison.Ordinal))
        {
            throw new CalibrationInputException(
                $"{Capitalised(what)} comes from another camera (serial {capture.Device.Serial}, the empty scene's is {device.Serial}): every capture of a calibration must come from the one device being calibrated.");
        }

        if (capture.Intrinsics.Width != intrinsics.Width || capture.Intrinsics.Height != intrinsics.Height)
        {
            throw new CalibrationInputException(Invariant(
                $"{Capitalised(what)} is {capture.Intrinsics.Width}x{capture.Intrinsics.Height}, the empty scene {intrinsics.Width}x{intrinsics.Height}: capture everything at the screening resolution."));
        }

        if (pose is { } expected && capture.Pose != expected)
        {
            throw new CalibrationInputException(
                $"{Capitalised(what)} was captured with the head in the {DepthCapture.PoseName(capture.Pose)} position; it must be in the {DepthCapture.PoseName(expected)} position.");
        }
    }

    /// <summary>The fused depth of a capture (the caller disposes it).</summary>
    internal static DepthFrame Fuse(DepthCapture capture, string what)
    {
        var intrinsics = capture.Intrinsics;
        foreach (var frame in capture.Frames)
        {
            if (frame.Width != intrinsics.Width || frame.Height != intrinsics.Height)
            {
                throw new CalibrationInputException(Invariant($"{Capitalised(what)} holds a {frame.Width}x{frame.Height} frame but says {intrinsics.Width}x{intrinsics.Height}: capture it again."));
            }
        }

        var fused = DepthFrame.Create(intrinsics.Width, intrinsics.Height, capture.DepthScaleM);
        DepthFusion.Fuse(capture.Frames, fused);
        return fused;
    }

    // The up direction in camera coordinates of a camera pitched down by the given angle (no roll).
    private static Vector3d BodyFrameUp(double pitchDeg)
    {
        var (s, c) = Math.SinCos(pitchDeg * Math.PI / 180);
        return new Vector3d(0, -c, -s);
    }

    // A plane measured with depth read `scale` times too long, in true millimetres (uniform scaling keeps its normal).
    private static Plane Scaled(Plane plane, double scale) => new(plane.Normal, plane.Distance / scale);

    private static string Named(BoardCapture board) => Invariant($"the board capture at {board.NominalDistanceMm:0} mm");

    private static string Describe(DepthCapture capture) => Invariant($"{capture.Frames.Count} frames from {capture.Device.Model} {capture.Device.Serial}");

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
