namespace SpineScan.Kiosk.Tests.Browser;

/// <summary>A fact that runs where Debian's Chromium is installed (<c>/usr/bin/chromium</c>), and says so when skipped.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
        {
            Skip = $"Browser tests need Chromium at {Executable} (apt-get install chromium).";
        }
    }
}
