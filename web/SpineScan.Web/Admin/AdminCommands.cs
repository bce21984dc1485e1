using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SpineScan.Contracts;
using SpineScan.ServerStore;
using SpineScan.Web.Api;
using SpineScan.Web.Services;

namespace SpineScan.Web.Admin;

/// <summary>
/// Headless set-up verbs on the server executable: <c>admin add-programme|issue-pseudonym-key|add-school|add-clinician|add-device|revoke-device|add-ehr-client</c>.
/// The database comes from the same configuration as the server (<c>--ConnectionStrings:Default=...</c>,
/// <c>--Database:Provider=Postgres</c>, or the environment).
/// </summary>
public static class AdminCommands
{
    public static bool IsAdminInvocation(string[] args) =>
        args.Length > 0 && string.Equals(args[0], "admin", StringComparison.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (configArgs, verbArgs) = SplitConfiguration(args);

        var root = new RootCommand("SpineScan server. Without 'admin' it serves the dashboard and the API.");
        var admin = new Command("admin", "Set-up verbs for administrators and tests.");
        root.Subcommands.Add(admin);

        var code = new Option<string>("--code") { Description = "A short unique code (letters, digits, '-', '_').", Required = true };
        var name = new Option<string>("--name") { Description = "The display name.", Required = true };
        var addProgramme = new Command("add-programme", "Adds a screening programme.") { code, name };
        addProgramme.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            // A new programme gets its pupil-pseudonym key at once; its devices fetch it when they register.
            var added = new Programme { Code = p.GetValue(code)!, Name = p.GetValue(name)! };
            sp.GetRequiredService<ProgrammeKeys>().Issue(added, ProgrammeKeys.NewKey());
            db.Programmes.Add(added);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Added programme {p.GetValue(code)} with its pupil-pseudonym key (devices fetch it with 'spinescan register').").ConfigureAwait(false);
            return 0;
        }));

        var keyProgramme = new Option<string>("--programme") { Description = "The programme's code.", Required = true };
        var keyFile = new Option<string?>("--key-file") { Description = "Import the key IT already copied onto the programme's devices (base64, at least 32 bytes) from this file, or '-' for standard input, so their pseudonyms stay; without it a new key is made." };
        var issueKey = new Command("issue-pseudonym-key", "Gives a programme made before keys were issued its pupil-pseudonym key (a new one, or the devices' existing one imported); never replaces a key.") { keyProgramme, keyFile };
        issueKey.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            var target = await db.Programmes.FirstOrDefaultAsync(x => x.Code == p.GetValue(keyProgramme), ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No programme '{p.GetValue(keyProgramme)}'.");
            var key = ProgrammeKeys.NewKey();
            if (p.GetValue(keyFile) is { } file)
            {
                var text = file == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
                key = ProgrammeKeys.Parse(text)
                    ?? throw new InvalidOperationException($"The key in {(file == "-" ? "standard input" : file)} is not base64 of at least {PupilPseudonym.MinKeyBytes} bytes; nothing was changed.");
            }

            sp.GetRequiredService<ProgrammeKeys>().Issue(target, key);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Programme {target.Code} now issues its pupil-pseudonym key to its devices.").ConfigureAwait(false);
            return 0;
        }));

        var programme = new Option<string>("--programme") { Description = "The programme's code.", Required = true };
        var schoolCode = new Option<string>("--code") { Description = "The school's code, as devices send it.", Required = true };
        var schoolName = new Option<string>("--name") { Description = "The school's name.", Required = true };
        var addSchool = new Command("add-school", "Adds a school to a programme.") { programme, schoolCode, schoolName };
        addSchool.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            var programmeId = await ProgrammeIdAsync(db, p.GetValue(programme)!, ct).ConfigureAwait(false);
            db.Schools.Add(new School { ProgrammeId = programmeId, Code = p.GetValue(schoolCode)!, Name = p.GetValue(schoolName)! });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Added school {p.GetValue(schoolCode)}.").ConfigureAwait(false);
            return 0;
        }));

        var email = new Option<string>("--email") { Description = "The clinician's e-mail, used to sign in.", Required = true };
        var password = new Option<string?>("--password") { Description = "The password; when absent it is read from standard input." };
        var clinicianProgramme = new Option<string>("--programme") { Description = "The programme's code.", Required = true };
        var addClinician = new Command("add-clinician", "Adds a clinician who sees the schools of one programme.") { clinicianProgramme, email, password };
        addClinician.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            var programmeId = await ProgrammeIdAsync(db, p.GetValue(clinicianProgramme)!, ct).ConfigureAwait(false);
            var secret = p.GetValue(password) ?? (await Console.In.ReadLineAsync(ct).ConfigureAwait(false))?.Trim() ?? "";
            var users = sp.GetRequiredService<UserManager<Clinician>>();
            var user = new Clinician { UserName = p.GetValue(email), Email = p.GetValue(email), EmailConfirmed = true, ProgrammeId = programmeId };
            var result = await users.CreateAsync(user, secret).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, result.Errors.Select(e => e.Description))).ConfigureAwait(false);
                return 1;
            }

            await output.WriteLineAsync($"Added clinician {p.GetValue(email)}.").ConfigureAwait(false);
            return 0;
        }));

        var deviceId = new Option<string>("--device-id") { Description = "The device's id (letters, digits, '-', '_', '.').", Required = true };
        var deviceProgramme = new Option<string>("--programme") { Description = "The programme's code.", Required = true };
        var label = new Option<string?>("--label") { Description = "A note on where the device is." };
        var addDevice = new Command("add-device", "Registers a device; prints its credential once, alone on the last line.") { deviceProgramme, deviceId, label };
        addDevice.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            var id = p.GetValue(deviceId)!;
            var programmeId = await ProgrammeIdAsync(db, p.GetValue(deviceProgramme)!, ct).ConfigureAwait(false);
            var (credential, hash) = DeviceCredentials.Create(id);
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            db.Devices.Add(new Device { Id = id, ProgrammeId = programmeId, SecretSha256 = hash, Label = p.GetValue(label), CreatedAtUtc = now });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Added device {id}. Its credential follows; it is shown only this once.").ConfigureAwait(false);
            await output.WriteLineAsync(credential).ConfigureAwait(false);
            return 0;
        }));

        var revokeId = new Option<string>("--device-id") { Description = "The device's id.", Required = true };
        var revokeDevice = new Command("revoke-device", "Revokes a device's credential: its next request gets 401.") { revokeId };
        revokeDevice.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == p.GetValue(revokeId), ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No device '{p.GetValue(revokeId)}'.");
            device.RevokedAtUtc ??= sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Revoked device {device.Id}.").ConfigureAwait(false);
            return 0;
        }));

        admin.Subcommands.Add(addProgramme);
        admin.Subcommands.Add(issueKey);
        admin.Subcommands.Add(addSchool);
        admin.Subcommands.Add(addClinician);
        admin.Subcommands.Add(addDevice);
        admin.Subcommands.Add(revokeDevice);

        var clientId = new Option<string>("--client-id") { Description = "The EHR client's id (letters, digits, '-', '_', '.').", Required = true };
        var clientProgramme = new Option<string>("--programme") { Description = "The programme's code.", Required = true };
        var addEhrClient = new Command("add-ehr-client", "Registers an EHR's export client; prints its credential once, alone on the last line.") { clientProgramme, clientId };
        addEhrClient.SetAction((p, ct) => WithDatabaseAsync(configArgs, output, async (sp, db) =>
        {
            var id = p.GetValue(clientId)!;
            var programmeId = await ProgrammeIdAsync(db, p.GetValue(clientProgramme)!, ct).ConfigureAwait(false);
            var (credential, hash) = DeviceCredentials.Create(id);
            db.EhrClients.Add(new EhrClient { Id = id, ProgrammeId = programmeId, SecretSha256 = hash, CreatedAtUtc = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"Added EHR client {id}. Its credential follows; it is shown only this once.").ConfigureAwait(false);
            await output.WriteLineAsync(credential).ConfigureAwait(false);
            return 0;
        }));
        admin.Subcommands.Add(addEhrClient);

        var configuration = new InvocationConfiguration { Output = output };
        return await root.Parse(verbArgs).InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>Separates configuration tokens (<c>--Section:Key=value</c> or <c>--Section:Key value</c>) from the verb's own.</summary>
    internal static (string[] Configuration, string[] Verb) SplitConfiguration(string[] args)
    {
        var configuration = new List<string>();
        var verb = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal))
            {
                if (a.Contains('=', StringComparison.Ordinal))
                {
                    configuration.Add(a);
                }
                else if (i + 1 < args.Length)
                {
                    configuration.Add($"{a}={args[++i]}");
                }
            }
            else
            {
                verb.Add(a);
            }
        }

        return ([.. configuration], [.. verb]);
    }

    private static async Task<int> WithDatabaseAsync(string[] configArgs, TextWriter output, Func<IServiceProvider, SpineScanDbContext, Task<int>> action)
    {
        var builder = WebApplication.CreateBuilder(configArgs);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSpineScanServer();
        await using var app = builder.Build();
        await ServerStoreServiceCollectionExtensions.MigrateAsync(app.Services).ConfigureAwait(false);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpineScanDbContext>();
        try
        {
            return await action(scope.ServiceProvider, db).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DbUpdateException)
        {
            await Console.Error.WriteLineAsync(ex.InnerException?.Message ?? ex.Message).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> ProgrammeIdAsync(SpineScanDbContext db, string code, CancellationToken ct) =>
        await db.Programmes.Where(p => p.Code == code).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"No programme '{code}'.");
}
