using Microsoft.Extensions.Options;
using SpineScan.Kiosk.Security;
using SpineScan.Testing;

namespace SpineScan.Kiosk.Tests.Security;

public sealed class OperatorSessionsTests
{
    private readonly ManualTimeProvider _time = new();

    private OperatorSessions Sessions() => new(_time, Options.Create(new KioskOptions { IdleLockMinutes = 10 }));

    [Fact]
    public void SlipToken_IsRandomAndOpensOnlyInItsOwnSession()
    {
        var sessions = Sessions();
        string a = sessions.Start(), b = sessions.Start();

        var token = sessions.SlipToken(a, 1)!;

        Assert.Equal(token, sessions.SlipToken(a, 1));
        Assert.NotEqual(token, sessions.SlipToken(b, 1));
        Assert.NotEqual(token, sessions.SlipToken(a, 2));
        Assert.True(token.Length >= 22, "128 bits or more");
        Assert.Equal(1, sessions.ResolveSlip(a, token));
        Assert.Null(sessions.ResolveSlip(b, token));
        Assert.Null(sessions.ResolveSlip(null, token));
        Assert.Null(sessions.ResolveSlip(a, "1"));
    }

    [Fact]
    public void Session_EndedOrIdle_OpensNothing()
    {
        var sessions = Sessions();
        var locked = sessions.Start();
        var idle = sessions.Start();
        var token = sessions.SlipToken(locked, 5)!;
        var idleToken = sessions.SlipToken(idle, 5)!;

        sessions.End(locked);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(sessions.IsActive(locked));
        Assert.Null(sessions.ResolveSlip(locked, token));
        Assert.False(sessions.IsActive(idle));
        Assert.False(sessions.Touch(idle));
        Assert.Null(sessions.ResolveSlip(idle, idleToken));
        Assert.Null(sessions.SlipToken(idle, 5));
    }

    [Fact]
    public void Touch_BeforeTheLock_StartsTheIdleTimeAgain()
    {
        var sessions = Sessions();
        var id = sessions.Start();

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(sessions.Touch(id));
        _time.Advance(TimeSpan.FromMinutes(9));

        Assert.True(sessions.IsActive(id));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(sessions.IsActive(id));
    }
}
