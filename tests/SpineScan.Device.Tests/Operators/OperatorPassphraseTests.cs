using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SpineScan.Device.Operators;
using SpineScan.Device.Storage;
using SpineScan.Device.Tests.Support;
using SpineScan.Device.Workflow;
using SpineScan.Testing;

namespace SpineScan.Device.Tests.Operators;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OperatorPassphraseTests
{
    private const string Passphrase = "school hall 2026";

    private static TestStation Station(ManualTimeProvider time) => TestStation.Create(configure: s => s.AddSingleton<TimeProvider>(time));

    [Fact]
    public async Task SignIn_FiveWrongInARow_LocksEveryAttemptOutThenDoublesTheWait()
    {
        var time = new ManualTimeProvider();
        await using var test = Station(time);
        var passphrase = test.Services.GetRequiredService<OperatorPassphrase>();
        await passphrase.SetAsync(Passphrase, CancellationToken.None, iterations: 1_000);

        for (var i = 0; i < OperatorPassphrase.AttemptsBeforeLockout - 1; i++)
        {
            Assert.Equal(SignInVerdict.Wrong, (await passphrase.SignInAsync("guess " + i, CancellationToken.None)).Verdict);
        }

        var locked = await passphrase.SignInAsync("guess 5", CancellationToken.None);
        Assert.Equal(SignInVerdict.LockedOut, locked.Verdict);
        Assert.Equal(TimeSpan.FromSeconds(30), locked.RetryAfter);
        // Locked out, even the right passphrase is not checked.
        Assert.Equal(SignInVerdict.LockedOut, (await passphrase.SignInAsync(Passphrase, CancellationToken.None)).Verdict);

        time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < OperatorPassphrase.AttemptsBeforeLockout - 1; i++)
        {
            await passphrase.SignInAsync("guess", CancellationToken.None);
        }

        Assert.Equal(TimeSpan.FromSeconds(60), (await passphrase.SignInAsync("guess", CancellationToken.None)).RetryAfter);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await passphrase.SignInAsync(Passphrase, CancellationToken.None)).Accepted);

        var store = test.Services.GetRequiredService<LocalStore>();
        await using var db = store.CreateContext();
        var actions = await db.Audit.AsNoTracking().Select(a => a.Action).ToListAsync();
        Assert.Equal(2, actions.Count(a => a == "operator_locked_out"));
        Assert.Single(actions, a => a == "operator_signed_in");
        Assert.DoesNotContain(await db.Audit.AsNoTracking().Select(a => a.Detail).ToListAsync(), d => d.Contains(Passphrase, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Passphrase_IsKeptOnlyAsASaltedHashInAnOwnerOnlyFile()
    {
        await using var test = Station(new ManualTimeProvider());
        var passphrase = test.Services.GetRequiredService<OperatorPassphrase>();
        Assert.Equal(SignInVerdict.NotSet, (await passphrase.SignInAsync(Passphrase, CancellationToken.None)).Verdict);

        await passphrase.SetAsync(Passphrase, CancellationToken.None, iterations: 1_000);

        var file = Path.Combine(test.DataDirectory, DataFolder.KeysFolderName, DataFolder.PassphraseFileName);
        Assert.DoesNotContain(Passphrase, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.StartsWith("pbkdf2-sha256:1000:", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Throws<StationInputException>(() => passphrase.SetAsync("12345", CancellationToken.None).GetAwaiter().GetResult());
    }
}
