using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineScan.Device;
using SpineScan.Device.Operators;
using SpineScan.Device.Workflow;
using SpineScan.Host.Composition;
using SpineScan.Host.Operations;
using SpineScan.Device.Calibration;
using SpineScan.Kiosk;

namespace SpineScan.Host.Commands;

/// <summary><c>spinescan run</c>: the kiosk UI on 127.0.0.1 over the screening station, until Ctrl+C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port of the kiosk (0: any free port).", DefaultValueFactory = _ => KioskComposition.DefaultPort };
        var data = new Option<DirectoryInfo?>("--data") { Description = "The station's data folder (local store, raw depth, slips); Station:DataDirectory when omitted." };
        var source = new Option<string?>("--source") { Description = "Camera source: phantom, replay or realsense; Station:Source when omitted." };
        source.AcceptOnlyFromAmong([.. DeviceComposition.CameraSources]);
        var demo = new Option<bool>("--demo") { Description = "Demo mode on the phantom camera: screen without a calibration (refused on a real camera)." };
        var command = new Command("run", "Start the kiosk UI on 127.0.0.1 and print its address. Other settings as --Station:Key=value (e.g. --Station:ServerUrl=https://...) or SPINESCAN_Station__Key; secrets (the device credential, the programme key) never on the command line: 'spinescan register' or the environment.")
        {
            port, data, source, demo,
        };
        // Station settings beyond the flags (--Station:ServerUrl=..., --Station:DeviceKey=...) pass through as configuration.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var portNumber = parseResult.GetValue(port);
            if (portNumber is < 0 or > 65535)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("error: --port must be between 0 and 65535.").ConfigureAwait(false);
                return 2;
            }

            if (DeviceComposition.SecretOnCommandLine(parseResult.UnmatchedTokens) is { } secret)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("error: " + secret).ConfigureAwait(false);
                return 2;
            }

            // The kiosk screens children: it refuses without a valid calibration, except in the explicit demo mode.
            var flags = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [$"{StationOptions.Section}:{nameof(StationOptions.RequireCalibration)}"] = "true",
            };
            if (parseResult.GetValue(demo))
            {
                flags[$"{StationOptions.Section}:{nameof(StationOptions.Demo)}"] = "true";
            }

            if (parseResult.GetValue(data) is { } folder)
            {
                flags[$"{StationOptions.Section}:{nameof(StationOptions.DataDirectory)}"] = folder.FullName;
            }

            if (parseResult.GetValue(source) is { } sourceName)
            {
                flags[$"{StationOptions.Section}:{nameof(StationOptions.Source)}"] = sourceName;
            }

            return await RunAsync(portNumber, [.. parseResult.UnmatchedTokens], flags, parseResult.InvocationConfiguration, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        int port, string[] settings, IReadOnlyDictionary<string, string?> flags, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        // The executable's own name finds its static web asset manifests, also when a test runs the verb in-process.
        var builder = KioskComposition.CreateKioskBuilder([], port, typeof(RunCommand).Assembly.GetName().Name);
        // The one composition root of the device: the same configuration order and services as the headless verbs.
        builder.Configuration.AddDeviceConfiguration(settings, flags);
        builder.Services.AddDevice(builder.Configuration);
        builder.Services.AddDeviceTelemetryExport(builder.Configuration);
        // A failed start (port taken, bad setting) is told below in one line, not as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        await using var app = builder.Build();
        app.MapKiosk();
        app.MapDeviceTelemetry();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            await console.Error.WriteLineAsync("error: " + string.Join(" ", e.Failures)).ConfigureAwait(false);
            return 2;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            await console.Error.WriteLineAsync($"error: 127.0.0.1:{port} is taken ({e.Message}); choose another with --port.").ConfigureAwait(false);
            return 1;
        }

        var station = app.Services.GetRequiredService<IScreeningStation>();
        var options = app.Services.GetRequiredService<IOptions<StationOptions>>().Value;
        await console.Output.WriteLineAsync($"SpineScan kiosk: {app.KioskUrl()}").ConfigureAwait(false);
        await console.Output.WriteLineAsync($"camera: {station.Camera.Source} ({station.Camera.Description})").ConfigureAwait(false);
        await console.Output.WriteLineAsync($"data: {Path.GetFullPath(options.DataDirectory)}").ConfigureAwait(false);
        await console.Output.WriteLineAsync("calibration: " + app.Services.GetRequiredService<CalibrationGate>().Status().Line).ConfigureAwait(false);
        if (!app.Services.GetRequiredService<IOperatorSignIn>().IsSet)
        {
            await console.Output.WriteLineAsync($"No operator passphrase is set: nobody can sign in. Set it first: spinescan passphrase --data {Path.GetFullPath(options.DataDirectory)}").ConfigureAwait(false);
        }

        await console.Output.WriteLineAsync("Open the address in the kiosk's browser and sign in with the operator's passphrase; Ctrl+C stops the kiosk.").ConfigureAwait(false);
        // Ctrl+C (the command line's token or the host's own console handler) stops the kiosk gracefully.
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
