using Microsoft.Extensions.Options;
using SpineScan.Device.Workflow;

namespace SpineScan.Host.Station;

/// <summary>Runs a station verb and turns the station's exceptions into one clear line and an exit code.</summary>
internal static class StationVerb
{
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> settings, TextWriter error, Func<IServiceProvider, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        StationComposition composition;
        try
        {
            composition = StationComposition.Create(settings);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("error: " + StationComposition.Describe(ex)).ConfigureAwait(false);
            return 2;
        }

        await using (composition.ConfigureAwait(false))
        {
            try
            {
                return await body(composition.Services).ConfigureAwait(false);
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
