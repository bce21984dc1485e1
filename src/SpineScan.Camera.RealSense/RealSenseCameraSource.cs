using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Core.Ports;

namespace SpineScan.Camera.RealSense;

/// <summary>The RealSense source (<c>realsense</c>): librealsense2 probed once; the camera made with the bound options.</summary>
public sealed class RealSenseCameraSource(IOptions<RealSenseCameraOptions> options) : IDepthCameraSource
{
    public const string SourceName = "realsense";

    public string Name => SourceName;

    public DepthCameraSourceState Probe()
    {
        var probe = RealSenseProbe.Probe();
        return new DepthCameraSourceState(probe.HasCamera || options.Value.PlaybackFile is not null && probe.Status != RealSenseProbeStatus.LibraryMissing, probe.Message);
    }

    public IDepthCamera Create() => new RealSenseCamera(options.Value);
}

/// <summary>Registers the RealSense camera source.</summary>
public static class RealSenseServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>realsense</c> camera source with <see cref="RealSenseCameraOptions"/> bound from
    /// <c>Cameras:RealSense</c> (serial, playback file, size, rate, frame timeout), validated on start.
    /// </summary>
    public static IServiceCollection AddRealSenseCamera(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RealSenseCameraOptions>()
            .Bind(configuration.GetSection(RealSenseCameraOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IDepthCameraSource, RealSenseCameraSource>();
        return services;
    }
}
