using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor;
using SpineScan.Core.Ports;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Security;

namespace SpineScan.Kiosk.Components;

/// <summary>
/// Runs station calls for the components: the station's own errors (bad input, full disk, no camera) become a
/// plain snackbar line in the screener's language; anything else is logged and shown as one calm sentence.
/// </summary>
public sealed partial class StationCalls(ISnackbar snackbar, OperatorCircuit operatorCircuit, ILogger<StationCalls> logger)
{
    /// <summary>Runs a call that returns a value; null when it failed (the screener has been told why). An operator's action: the idle lock starts again.</summary>
    public async Task<T?> TryAsync<T>(KioskText text, Func<Task<T>> call)
        where T : class?
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(call);
        operatorCircuit.Touch();
        try
        {
            return await call().ConfigureAwait(true);
        }
        catch (Exception e) when (e is OperationCanceledException or JSDisconnectedException)
        {
            return null; // the view or the browser went away: nobody to tell
        }
        catch (Exception e)
        {
            var (message, severity) = Describe(text, e);
            snackbar.Add(message, severity);
            return null;
        }
    }

    /// <summary>Runs a call; false when it failed (the screener has been told why).</summary>
    public async Task<bool> TryAsync(KioskText text, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await TryAsync(text, async () =>
        {
            await call().ConfigureAwait(true);
            return string.Empty;
        }).ConfigureAwait(true) is not null;
    }

    /// <summary>Runs a background refresh: failures are logged when unexpected, never shown (the next refresh tries again).</summary>
    public async Task<T?> TryQuietlyAsync<T>(Func<Task<T>> call)
        where T : class?
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(true);
        }
        catch (Exception e) when (e is StationInputException or StationStorageException or DepthCameraUnavailableException)
        {
            return null;
        }
        catch (Exception e) when (e is OperationCanceledException or JSDisconnectedException)
        {
            return null;
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e.GetType().Name, e);
            return null;
        }
    }

    private (string Message, Severity Severity) Describe(KioskText text, Exception e)
    {
        switch (e)
        {
            case StationInputException:
                return (KioskText.Format(text.InputProblemFormat, e.Message), Severity.Warning);
            case StationStorageException:
                return (KioskText.Format(text.StorageProblemFormat, e.Message), Severity.Error);
            case DepthCameraUnavailableException:
                return (KioskText.Format(text.CameraProblemFormat, e.Message), Severity.Error);
            default:
                // Not the station's own words: they may hold a stack-trace-like detail, so the screener sees a plain line.
                LogUnexpected(logger, e.GetType().Name, e);
                return (text.UnexpectedProblem, Severity.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A station call failed unexpectedly ({ExceptionType}).")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, Exception exception);
}
