using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Camera.RealSense;
using SpineScan.Device;
using SpineScan.Device.Cameras;
using SpineScan.Imaging.Cameras;

namespace SpineScan.Host.Composition;

/// <summary>
/// The device's one composition root, for the headless verbs and the kiosk alike: configuration from the environment
/// (<c>SPINESCAN_Station__*</c>, <c>SPINESCAN_Cameras__*</c>), then <c>--Key=value</c> settings, then the verb's own
/// flags (later sources win); the application layer with the camera sources this host offers.
/// </summary>
internal static class DeviceComposition
{
    /// <summary>The camera sources this host registers, by name.</summary>
    public static IReadOnlyList<string> CameraSources { get; } = [PhantomCameraSource.SourceName, ReplayCameraSource.SourceName, RealSenseCameraSource.SourceName];

    /// <summary>Adds the configuration sources in their order of precedence.</summary>
    public static IConfigurationBuilder AddDeviceConfiguration(this IConfigurationBuilder builder, IReadOnlyList<string> settings, IReadOnlyDictionary<string, string?> flags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddEnvironmentVariables("SPINESCAN_")
            .AddCommandLine([.. settings])
            .AddInMemoryCollection(flags.Where(f => f.Value is not null));
    }

    /// <summary>The station and its camera sources.</summary>
    public static IServiceCollection AddDevice(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddScreeningStation(configuration)
            .AddPhantomCamera(configuration)
            .AddReplayCamera(configuration)
            .AddRealSenseCamera(configuration);

    /// <summary>A provider for a headless verb, with no log output (the verbs print their own lines) and its options validated at once.</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong; the failures say which and what to do.</exception>
    public static ServiceProvider ForVerb(IReadOnlyDictionary<string, string?> flags)
    {
        var configuration = new ConfigurationBuilder().AddDeviceConfiguration([], flags).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDevice(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }

    /// <summary>The validation failures as one line.</summary>
    public static string Describe(OptionsValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return string.Join(" ", exception.Failures.Select(f => f.Trim()));
    }

    // Settings that are secrets: on a command line every user of the machine reads them in `ps`.
    private static readonly string[] SecretSettings = [Station(nameof(StationOptions.DeviceKey)), Station(nameof(StationOptions.ProgrammeKey))];

    /// <summary>A plain line when a secret setting was given on the command line (null when none was), saying where it goes instead.</summary>
    public static string? SecretOnCommandLine(IEnumerable<string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var token in settings)
        {
            var key = token.TrimStart('-', '/').Split('=', 2)[0].Replace("__", ":", StringComparison.Ordinal);
            if (SecretSettings.FirstOrDefault(s => string.Equals(s, key, StringComparison.OrdinalIgnoreCase)) is { } secret)
            {
                return $"{secret} may not be given on the command line, where every user of this machine sees it (ps). " +
                    "Register the device once ('spinescan register --data DIR --server URL', the credential read from standard input) " +
                    $"or set SPINESCAN_{secret.Replace(":", "__", StringComparison.Ordinal)} in the kiosk's environment.";
            }
        }

        return null;
    }

    /// <summary>The configuration key of a station setting.</summary>
    public static string Station(string key) => StationOptions.Section + ":" + key;
}
