using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SpineScan.DeviceStore;

/// <summary>
/// The device's local store (SQLite): sessions, roster, consents, screenings, raw-depth captures, results, outbox,
/// audit and the registration. Roster identifiers, parent-link tokens, the credential and the programme key pass
/// through the <see cref="FieldProtector"/> on their way in and out.
/// </summary>
public sealed class DeviceDbContext(DbContextOptions<DeviceDbContext> options, FieldProtector protector) : DbContext(options)
{
    public DbSet<SessionRow> Sessions => Set<SessionRow>();

    public DbSet<PupilRow> Pupils => Set<PupilRow>();

    public DbSet<ConsentRow> Consents => Set<ConsentRow>();

    public DbSet<ScreeningRow> Screenings => Set<ScreeningRow>();

    public DbSet<CaptureRow> Captures => Set<CaptureRow>();

    public DbSet<ResultRow> Results => Set<ResultRow>();

    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    public DbSet<AuditRow> Audit => Set<AuditRow>();

    public DbSet<RegistrationRow> Registration => Set<RegistrationRow>();

    /// <summary>The protector whose key this context's model encrypts with (the model cache is per protector).</summary>
    internal FieldProtector Protector => protector;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: times are stored as UTC ticks so the outbox and the purge can compare them in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SessionRow>(e =>
        {
            e.ToTable("sessions");
            e.Property(s => s.SchoolCode).HasMaxLength(32);
            e.Property(s => s.ClassName).HasMaxLength(16);
            e.Property(s => s.OperatorName).HasMaxLength(100);
        });
        modelBuilder.Entity<PupilRow>(e =>
        {
            e.ToTable("pupils");
            e.Property(p => p.PupilNumber).HasConversion(Protected("pupil_number"));
            e.Property(p => p.Name).HasConversion(Protected("name"));
            e.Property(p => p.DateOfBirth).HasConversion(new ValueConverter<DateOnly, string>(
                d => protector.Protect(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "date_of_birth"),
                s => DateOnly.ParseExact(protector.Unprotect(s, "date_of_birth"), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            e.HasIndex(p => new { p.SessionId, p.PupilNumberKey }).IsUnique();
            e.HasIndex(p => new { p.SessionId, p.RosterOrder });
            e.HasOne<SessionRow>().WithMany().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ConsentRow>(e =>
        {
            e.ToTable("consents");
            e.HasIndex(c => c.PupilId);
            e.HasOne<PupilRow>().WithMany().HasForeignKey(c => c.PupilId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ScreeningRow>(e =>
        {
            e.ToTable("screenings");
            e.Property(s => s.ParentLinkToken).HasConversion(ProtectedOptional("parent_link_token"));
            e.HasIndex(s => s.ReportId).IsUnique();
            e.HasIndex(s => s.PupilId);
            e.HasOne<PupilRow>().WithMany().HasForeignKey(s => s.PupilId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<SessionRow>().WithMany().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<CaptureRow>(e =>
        {
            e.ToTable("captures");
            e.HasIndex(c => c.ScreeningId);
            e.HasOne<ScreeningRow>().WithMany().HasForeignKey(c => c.ScreeningId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ResultRow>(e =>
        {
            e.ToTable("results");
            e.HasIndex(r => r.ScreeningId).IsUnique();
            e.HasOne<ScreeningRow>().WithMany().HasForeignKey(r => r.ScreeningId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<OutboxRow>(e =>
        {
            e.ToTable("outbox");
            e.HasIndex(o => o.ReportId).IsUnique();
            e.HasIndex(o => new { o.State, o.Id });
            e.HasOne<ScreeningRow>().WithMany().HasForeignKey(o => o.ScreeningId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<AuditRow>(e => e.ToTable("audit"));
        modelBuilder.Entity<RegistrationRow>(e =>
        {
            e.ToTable("registration");
            e.Property(r => r.Credential).HasConversion(Protected("credential"));
            e.Property(r => r.ProgrammeKey).HasConversion(ProtectedOptional("programme_key"));
        });
    }

    private ValueConverter<string, string> Protected(string column) =>
        new(plain => protector.Protect(plain, column), stored => protector.Unprotect(stored, column));

    // EF Core never hands a null to a converter: a missing value stays NULL in the column.
    private ValueConverter<string?, string> ProtectedOptional(string column) =>
        new(plain => protector.Protect(plain!, column), stored => protector.Unprotect(stored, column));
}

/// <summary>One model per store key: the model's converters hold the key, so two data folders in one process never share it.</summary>
internal sealed class ProtectorModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is DeviceDbContext device ? (device.GetType(), device.Protector, designTime) : (context.GetType(), designTime);
}

/// <summary>Lets <c>dotnet ef</c> build the model without the device's host (a throwaway key: the schema does not depend on it).</summary>
internal sealed class DeviceDesignTimeFactory : IDesignTimeDbContextFactory<DeviceDbContext>
{
    public DeviceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DeviceDbContext>().UseSqlite("Data Source=design.db").Options, new FieldProtector(new byte[FieldProtector.KeyBytes]));
}
