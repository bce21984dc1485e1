using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SpineScan.Contracts;

namespace SpineScan.Device.Sync;

/// <summary>What the server said when the device asked about itself.</summary>
public abstract record WhoAmIAnswer
{
    /// <summary>The server knows the device and said what it needs.</summary>
    public sealed record Known(DeviceRegistrationInfo Info) : WhoAmIAnswer;

    /// <summary>The server refused the credential (401).</summary>
    public sealed record CredentialRefused(string Detail) : WhoAmIAnswer;

    /// <summary>The server has no such endpoint (an older server): the device goes on as before.</summary>
    public sealed record NotOffered : WhoAmIAnswer;

    /// <summary>The server could not be reached or answered with an error; the message says which.</summary>
    public sealed record Unreachable(string Message) : WhoAmIAnswer;
}

/// <summary>The device API calls other than the report upload: <c>GET /api/v1/devices/me</c>.</summary>
public sealed class DeviceServerClient(IHttpClientFactory httpClients)
{
    public const string DevicesMePath = "api/v1/devices/me";

    /// <summary>Asks the server who this device is, its programme's pseudonym key and the parents' public address.</summary>
    public async Task<WhoAmIAnswer> WhoAmIAsync(Uri serverUrl, DeviceCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(credential);
        using var http = httpClients.CreateClient(OutboxSync.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serverUrl, DevicesMePath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Value);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var info = await response.Content.ReadFromJsonAsync(SpineScanJsonContext.Default.DeviceRegistrationInfo, cancellationToken).ConfigureAwait(false);
                    return info is null
                        ? new WhoAmIAnswer.Unreachable("The server's answer about this device was empty.")
                        : new WhoAmIAnswer.Known(info);
                case HttpStatusCode.Unauthorized:
                    return new WhoAmIAnswer.CredentialRefused(await OutboxSync.ProblemDetailAsync(response, cancellationToken).ConfigureAwait(false));
                case HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                    return new WhoAmIAnswer.NotOffered();
                default:
                    return new WhoAmIAnswer.Unreachable(FormattableString.Invariant($"The server answered {(int)response.StatusCode} ({await OutboxSync.ProblemDetailAsync(response, cancellationToken).ConfigureAwait(false)})."));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or JsonException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new WhoAmIAnswer.Unreachable($"The server at {serverUrl.GetLeftPart(UriPartial.Authority)} could not be reached ({ex.Message.TrimEnd('.')}).");
        }
    }
}
