using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Core.Analysis;
using SpineScan.Core.Calibration;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Device.Calibration;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;
using Xunit;

namespace SpineScan.Device.Tests.Calibration;

public class CalibrationGateTests
{
    private static readonly DateTimeOffset Made = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    // A calibration as the solver makes it (the values are a level camera 1 m above the floor).
    internal static DeviceCalibration Sample(bool passed = true) => new()
    {
        Id = "SN1-20260901T080000Z",
        Device = new CaptureDevice("Intel RealSense D435", "SN1"),
        CreatedAt = Made,
        Intrinsics = CameraIntrinsics.RealSenseD435,
        IntrinsicsCheck = "plausible",
        Standing = new CameraPoseCalibration(CapturePose.Standing, new Plane(new Vector3d(0, -1, 0), -1000), new Plane(new Vector3d(0, 0, -1), -3000), 0, 0, 1000, 3000, 3.1, 900),
        DepthScale = 1.004,
        Boards = [new BoardMeasurement(1000, 1004.2, 0.2, 2.1, 1.0, 700)],
        Tolerances = CalibrationTolerances.Default,
        Verdict = new CalibrationVerdict(passed, passed ? [] : ["The camera reads depth +4.00 % off (at most 3 %): check the board distances."]),
    };

    [Fact]
    public void Read_SchemaOneFileWithoutChessboard_StillLoads()
    {
        var path = Path.Combine(Path.GetTempPath(), "spinescan-cal-" + Guid.NewGuid().ToString("N"), "calibration.json");
        CalibrationFile.Write(path, Sample());
        var old = File.ReadAllText(path).Replace("spinescan.calibration/2", "spinescan.calibration/1", StringComparison.Ordinal)
            .Replace("\"maxFocalErrorPct\": 2,", string.Empty, StringComparison.Ordinal);
        File.WriteAllText(path, old);

        var back = CalibrationFile.Read(path);

        Assert.Null(back.Chessboard);
        Assert.Equal(2, back.Tolerances.MaxFocalErrorPct);
    }

    [Fact]
    public void WriteRead_RoundTripsEveryValue()
    {
        var path = Path.Combine(Path.GetTempPath(), "spinescan-cal-" + Guid.NewGuid().ToString("N"), "calibration.json");
        var calibration = Sample();

        CalibrationFile.Write(path, calibration);
        var back = CalibrationFile.Read(path);

        Assert.Contains("\"schema\": \"spinescan.calibration/2\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(calibration.Id, back.Id);
        Assert.Equal(calibration.Device, back.Device);
        Assert.Equal(calibration.Intrinsics, back.Intrinsics);
        Assert.Equal(calibration.Standing, back.Standing);
        Assert.Equal(calibration.DepthScale, back.DepthScale);
        Assert.Equal(calibration.Boards, back.Boards);
        Assert.Equal(calibration.Tolerances, back.Tolerances);
        Assert.Equal(calibration.Verdict.Passed, back.Verdict.Passed);
        Assert.Equal(calibration.ExpiresAt, back.ExpiresAt);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Read_AnotherSchema_NamesItAndWhatToDo()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "{\"schema\":\"spinescan.calibration/9\"}");

        var e = Assert.Throws<InvalidDataException>(() => CalibrationFile.Read(path));

        Assert.Contains("'spinescan.calibration/9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("run spinescan calibrate again", e.Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Theory]
    [InlineData("missing", CalibrationState.Missing, "not calibrated")]
    [InlineData("failed", CalibrationState.Failed, "failed")]
    [InlineData("expired", CalibrationState.Expired, "expired on 2027-02-28")]
    [InlineData("valid", CalibrationState.Valid, "Calibrated (SN1-20260901T080000Z")]
    [InlineData("garbage", CalibrationState.Unreadable, "cannot be read")]
    public void Status_SaysWhichStateAndWhatToDo(string kind, CalibrationState state, string says)
    {
        var folder = TestStation.NewFolder();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, CalibrationFile.FileName);
        if (kind is "failed" or "expired" or "valid")
        {
            CalibrationFile.Write(path, Sample(passed: kind != "failed"));
        }
        else if (kind == "garbage")
        {
            File.WriteAllText(path, "{ not json");
        }

        var now = kind == "expired" ? Made.AddDays(200) : Made.AddDays(10);
        var gate = new CalibrationGate(Options.Create(new StationOptions { DataDirectory = folder, Source = "realsense" }), new FixedTime(now));

        var status = gate.Status();

        Assert.Equal(state, status.State);
        Assert.Contains(says, status.Line, StringComparison.Ordinal);
        Assert.Equal(state == CalibrationState.Valid, status.AllowsScreening);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Status_DemoOnThePhantomCamera_AllowsScreeningWithoutACalibration()
    {
        var gate = new CalibrationGate(Options.Create(new StationOptions { DataDirectory = TestStation.NewFolder(), Source = "phantom", Demo = true }), TimeProvider.System);

        Assert.Equal(CalibrationState.Demo, gate.Status().State);
        Assert.True(gate.Status().AllowsScreening);
    }

    [Fact]
    public void Options_DemoOnARealCamera_AreRefused()
    {
        var validator = new StationOptionsValidator();

        var result = validator.Validate(null, new StationOptions { DataDirectory = TestStation.NewFolder(), Source = "realsense", Demo = true });

        Assert.True(result.Failed);
        Assert.Contains("Station:Demo works only on the phantom camera", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureNext_KioskWithoutCalibration_RefusesSayingWhatToDo()
    {
        await using var test = TestStation.Create(new Dictionary<string, string?> { ["RequireCalibration"] = "true" });
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        await test.Station.RecordConsentAsync(pupil.Id, true, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<StationInputException>(() => test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None));

        Assert.Contains("This device is not calibrated", refused.Message, StringComparison.Ordinal);
        Assert.Contains("spinescan calibrate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureNext_KioskInDemoModeOnThePhantom_Screens()
    {
        await using var test = TestStation.Create(new Dictionary<string, string?> { ["RequireCalibration"] = "true", ["Demo"] = "true", ["Source"] = "phantom" });
        var session = await test.SessionWithRosterAsync("P001,Ada Sample,F,2014-03-27,P5A");
        var pupil = Assert.Single(await test.Station.FindPupilsAsync(session.Id, null, CancellationToken.None));
        await test.Station.RecordConsentAsync(pupil.Id, true, CancellationToken.None);

        var step = await test.Station.CaptureNextAsync(pupil.Id, CancellationToken.None);

        Assert.NotNull(step);
        Assert.Null(test.Services.GetRequiredService<ScreeningAnalyzer>().Settings.Calibration);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
