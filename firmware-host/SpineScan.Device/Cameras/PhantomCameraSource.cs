using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpineScan.Phantom;
using SpineScan.Core.Capture;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;

namespace SpineScan.Device.Cameras;

/// <summary>The <c>Cameras:Phantom</c> section.</summary>
public sealed class PhantomCameraOptions
{
    public const string Section = "Cameras:Phantom";

    /// <summary>Batch seed of the phantom's children.</summary>
    public int Seed { get; set; } = 1;
}

/// <summary>
/// The phantom source (<c>phantom</c>): synthetic children rendered live, no hardware. A staged camera: the station
/// shows it the pose it captures, and a new child for each pupil and after a refused capture (the same frames would fail
/// the same way).
/// </summary>
public sealed class PhantomCameraSource(IOptions<PhantomCameraOptions> options, TimeProvider timeProvider) : IDepthCameraSource
{
    public const string SourceName = "phantom";

    public string Name => SourceName;

    public DepthCameraSourceState Probe() => new(true, "Phantom camera (synthetic children, no hardware)");

    public IDepthCamera Create() => new StagedPhantom(new PhantomCamera(new PhantomCameraSettings(BatchSeed: options.Value.Seed), timeProvider));

    private sealed class StagedPhantom(PhantomCamera phantom) : IDepthCamera, IStagedCamera
    {
        public DepthCameraInfo? Info => phantom.Info;

        public CapturePose Pose
        {
            get => phantom.Pose;
            set => phantom.Pose = value;
        }

        public bool RetakeShowsNewSubject => true;

        public async ValueTask NextSubjectAsync(CancellationToken cancellationToken) => await phantom.NextChildAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask<DepthCameraInfo> StartAsync(CancellationToken cancellationToken) => phantom.StartAsync(cancellationToken);

        public ValueTask<DepthFrame> NextFrameAsync(CancellationToken cancellationToken) => phantom.NextFrameAsync(cancellationToken);

        public ValueTask DisposeAsync() => phantom.DisposeAsync();
    }
}

/// <summary>Registers the phantom camera source.</summary>
public static class PhantomCameraServiceCollectionExtensions
{
    /// <summary>Adds the <c>phantom</c> camera source, its seed bound from <c>Cameras:Phantom</c>.</summary>
    public static IServiceCollection AddPhantomCamera(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PhantomCameraOptions>().Bind(configuration.GetSection(PhantomCameraOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IDepthCameraSource, PhantomCameraSource>();
        return services;
    }
}
