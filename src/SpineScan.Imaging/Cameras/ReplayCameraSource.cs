using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpineScan.Core.Ports;

namespace SpineScan.Imaging.Cameras;

/// <summary>The <c>Cameras:Replay</c> section: the capture folder the replay source plays.</summary>
public sealed class ReplayCameraOptions
{
    public const string Section = "Cameras:Replay";

    /// <summary>A capture folder (replay format), or a screening's folder holding <c>standing/</c> and <c>forward_bend/</c>.</summary>
    public string? Directory { get; set; }
}

/// <summary>
/// The replay source (<c>replay</c>): a folder with <c>standing/</c> and <c>forward_bend/</c> plays the pose the station
/// asks for (<see cref="PoseReplayCamera"/>); a single capture folder loops (<see cref="ReplayCamera"/>).
/// </summary>
public sealed class ReplayCameraSource(IOptions<ReplayCameraOptions> options, TimeProvider timeProvider) : IDepthCameraSource
{
    public const string SourceName = "replay";

    public string Name => SourceName;

    public DepthCameraSourceState Probe()
    {
        var folder = options.Value.Directory;
        if (string.IsNullOrWhiteSpace(folder))
        {
            return new(false, "No replay folder is configured (Cameras:Replay:Directory, or --replay): use --source phantom, or give a capture folder");
        }

        if (!System.IO.Directory.Exists(folder))
        {
            return new(false, $"The replay folder '{folder}' does not exist: give a capture folder, or use --source phantom");
        }

        return PoseReplayCamera.HoldsBothPoses(folder)
            ? new(true, "Replay of the screening in " + folder)
            : new(true, "Replay of " + folder + " (one pose)");
    }

    public IDepthCamera Create()
    {
        var folder = options.Value.Directory ?? throw new InvalidOperationException("No replay folder is configured.");
        return PoseReplayCamera.HoldsBothPoses(folder) ? new PoseReplayCamera(folder, timeProvider) : new ReplayCamera(folder, framesPerSecond: null, timeProvider);
    }
}

/// <summary>Registers the replay camera source.</summary>
public static class ReplayCameraServiceCollectionExtensions
{
    /// <summary>Adds the <c>replay</c> camera source, its folder bound from <c>Cameras:Replay</c>.</summary>
    public static IServiceCollection AddReplayCamera(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ReplayCameraOptions>().Bind(configuration.GetSection(ReplayCameraOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IDepthCameraSource, ReplayCameraSource>();
        return services;
    }
}
