using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Operators;
using SpineScan.Device.Workflow;
using SpineScan.Kiosk.Security;
using SpineScan.Kiosk.Localization;
using SpineScan.Kiosk.Tests.Browser;
using SpineScan.Kiosk.Tests.Fakes;

namespace SpineScan.Kiosk.Tests;

public sealed class SlipEndpointsTests
{
    [Theory]
    [InlineData("en")]
    [InlineData("zh-Hant")]
    [InlineData("zh-Hans")]
    public async Task GetSlip_UnknownScreening_Is404WithOnePlainLineInTheSlipsLanguage(string lang)
    {
        await using var kiosk = await KioskServer.StartAsync(
            new Dictionary<string, string?>(),
            builder => builder.Services.AddSingleton<IScreeningStation>(new FakeScreeningStation()).AddSingleton<IOperatorSignIn>(new FakeOperatorSignIn()));
        using var client = await kiosk.SignedInClientAsync(FakeOperatorSignIn.Passphrase);

        // The old address by screening id, and a token this session was never shown, name no slip.
        using var byId = await client.GetAsync(new Uri($"/slips/42.pdf?lang={lang}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        var token = kiosk.Services.GetRequiredService<OperatorSessions>().SlipToken(kiosk.Services.GetRequiredService<OperatorSessions>().Start(), 42);
        using var response = await client.GetAsync(new Uri($"/slips/{token}.pdf?lang={lang}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var expected = KioskText.For(SpineScan.Reports.Pdf.ReportLanguages.FromCode(lang)).SlipNotFound;
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }
}
