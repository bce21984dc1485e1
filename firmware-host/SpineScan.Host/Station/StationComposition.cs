using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Device;

namespace SpineScan.Host.Station;

/// <summary>
/// The station as the headless verbs compose it: the <c>Station</c> section from the verb's flags (over environment
/// variables <c>SPINESCAN_Station__*</c>), no log output (the verbs print their own progress and summary), and the
/// options validated at once so a bad flag is one clear line before anything starts.
/// </summary>
internal sealed class StationComposition : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private StationComposition(ServiceProvider provider) => _provider = provider;

    public IServiceProvider Services => _provider;

    /// <exception cref="OptionsValidationException">A setting is wrong; the failures say which and what to do.</exception>
    public static StationComposition Create(IReadOnlyDictionary<string, string?> station)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("SPINESCAN_")
            .AddInMemoryCollection(station.Where(s => s.Value is not null).Select(s => KeyValuePair.Create("Station:" + s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddScreeningStation(configuration);
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

        return new StationComposition(provider);
    }

    /// <summary>The validation failures as one line.</summary>
    public static string Describe(OptionsValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return string.Join(" ", exception.Failures.Select(f => f.Trim()));
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
