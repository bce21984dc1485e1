using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpineScan.Device.Workflow;

namespace SpineScan.Host.Composition;

/// <summary>Runs a station verb and turns the station's exceptions into one clear line and an exit code.</summary>
internal static class StationVerb
{
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> flags, TextWriter error, Func<IServiceProvider, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        ServiceProvider provider;
        try
        {
            provider = DeviceComposition.ForVerb(flags);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("error: " + DeviceComposition.Describe(ex)).ConfigureAwait(false);
            return 2;
        }

        await using (provider.ConfigureAwait(false))
        {
            try
            {
                return await body(provider).ConfigureAwait(false);
            }
            catch (StationInputException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 2;
            }
            catch (StationStorageException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        }
    }
}
