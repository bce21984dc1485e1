namespace SpineScan.Kiosk.Tests.Fakes;

/// <summary>
/// Waits for a condition on a fake's own state. bunit re-checks its WaitFor assertions when the component renders, and
/// the fake station's state (which live views are watching) can change without a render, so those are polled instead.
/// </summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within 15 s: {what}.");
            }

            await Task.Delay(20);
        }
    }
}
