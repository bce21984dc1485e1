using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Workflow;
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
            builder => builder.Services.AddSingleton<IScreeningStation>(new FakeScreeningStation()));
        using var client = new HttpClient { BaseAddress = kiosk.Url };

        using var response = await client.GetAsync(new Uri($"/slips/42.pdf?lang={lang}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var expected = KioskText.For(SpineScan.Reports.Pdf.ReportLanguages.FromCode(lang)).SlipNotFound;
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }
}
