using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SpineScan.ServerStore;

/// <summary>
/// The server's store. Provider-specific subclasses (<see cref="SqliteSpineScanDbContext"/>,
/// <see cref="PostgresSpineScanDbContext"/>) carry their own migrations; everything else uses this type.
/// Data Protection keys live here too, so any node can serve any request.
/// </summary>
public abstract class SpineScanDbContext(DbContextOptions options)
    : IdentityDbContext<Clinician>(options), IDataProtectionKeyContext
{
    public DbSet<Programme> Programmes => Set<Programme>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<EhrClient> EhrClients => Set<EhrClient>();
    public DbSet<Screening> Screenings => Set<Screening>();
    public DbSet<ScreeningPayload> ScreeningPayloads => Set<ScreeningPayload>();
    public DbSet<ParentLink> ParentLinks => Set<ParentLink>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<Programme>(e =>
        {
            e.Property(p => p.Code).HasMaxLength(32);
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.PseudonymKeyProtected).HasMaxLength(1000);
            e.HasIndex(p => p.Code).IsUnique();
        });
        builder.Entity<School>(e =>
        {
            e.Property(s => s.Code).HasMaxLength(32);
            e.Property(s => s.Name).HasMaxLength(200);
            e.HasIndex(s => new { s.ProgrammeId, s.Code }).IsUnique();
            e.HasOne(s => s.Programme).WithMany().HasForeignKey(s => s.ProgrammeId);
        });
        builder.Entity<Device>(e =>
        {
            e.Property(d => d.Id).HasMaxLength(64);
            e.Property(d => d.SecretSha256).HasMaxLength(64);
            e.Property(d => d.Label).HasMaxLength(200);
            e.HasOne<Programme>().WithMany().HasForeignKey(d => d.ProgrammeId);
        });
        builder.Entity<EhrClient>(e =>
        {
            e.Property(d => d.Id).HasMaxLength(64);
            e.Property(d => d.SecretSha256).HasMaxLength(64);
            e.Property(d => d.Label).HasMaxLength(200);
            e.HasOne<Programme>().WithMany().HasForeignKey(d => d.ProgrammeId);
        });
        builder.Entity<Clinician>(e => e.HasOne<Programme>().WithMany().HasForeignKey(c => c.ProgrammeId));
        builder.Entity<Screening>(e =>
        {
            e.Property(s => s.DeviceId).HasMaxLength(64);
            e.Property(s => s.PupilPseudonym).HasMaxLength(64);
            e.Property(s => s.Grade).HasMaxLength(16);
            e.Property(s => s.ReviewedBy).HasMaxLength(256);
            e.Property(s => s.ReviewNote).HasMaxLength(2000);
            e.Property(s => s.BodySha256).HasMaxLength(64);
            e.Property(s => s.Priority).HasComputedColumnSql(ScreeningCategories.PrioritySql, stored: true);
            e.Property(s => s.Reviewed).HasComputedColumnSql(ScreeningCategories.ReviewedSql, stored: true);
            e.HasIndex(s => s.ReportId).IsUnique();
            e.HasIndex(s => new { s.ProgrammeId, s.PupilPseudonym, s.CapturedAtUtc });
            e.HasIndex(s => s.SupersedesReportId);

            // The review queue: one index per sort order, each covering every filter column (reviewed, priority =
            // category, school, capture time, superseded), so a page of the ids of a million screenings is an index-only range scan
            // and only the page's rows are read; the date and school ones also carry the sort keys, so a date range or a
            // school sorts its ids without reading rows (ScreeningService.QueueAsync; figures in web/README.md).
            e.HasIndex(s => new { s.ProgrammeId, s.Priority, s.CapturedAtUtc, s.Id, s.Reviewed, s.SchoolId, s.Superseded });
            e.HasIndex(s => new { s.ProgrammeId, s.CapturedAtUtc, s.Id, s.Reviewed, s.Priority, s.SchoolId, s.LargestCobbDeg, s.AtrDeg, s.Superseded });
            e.HasIndex(s => new { s.ProgrammeId, s.LargestCobbDeg, s.Id, s.Reviewed, s.Priority, s.SchoolId, s.CapturedAtUtc, s.Superseded });
            e.HasIndex(s => new { s.ProgrammeId, s.AtrDeg, s.Id, s.Reviewed, s.Priority, s.SchoolId, s.CapturedAtUtc, s.Superseded });
            e.HasIndex(s => new { s.ProgrammeId, s.Priority, s.LargestCobbDeg, s.Id, s.Reviewed, s.SchoolId, s.CapturedAtUtc, s.Superseded });
            e.HasIndex(s => new { s.ProgrammeId, s.Priority, s.AtrDeg, s.Id, s.Reviewed, s.SchoolId, s.CapturedAtUtc, s.Superseded });
            e.HasIndex(s => new { s.SchoolId, s.Reviewed, s.Priority, s.CapturedAtUtc, s.Id, s.ProgrammeId, s.LargestCobbDeg, s.AtrDeg, s.Superseded });
            e.HasOne(s => s.School).WithMany().HasForeignKey(s => s.SchoolId);
            e.HasOne<Programme>().WithMany().HasForeignKey(s => s.ProgrammeId);
            e.HasOne(s => s.Payload).WithOne().HasForeignKey<ScreeningPayload>(p => p.ScreeningId);
        });
        builder.Entity<ScreeningPayload>(e => e.HasKey(p => p.ScreeningId));
        builder.Entity<ParentLink>(e =>
        {
            e.Property(l => l.TokenSha256).HasMaxLength(64);
            e.HasIndex(l => l.TokenSha256).IsUnique();
            e.HasIndex(l => l.ScreeningId);
            e.HasOne(l => l.Screening).WithMany().HasForeignKey(l => l.ScreeningId);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.Property(a => a.Actor).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(2000);
            e.HasIndex(a => new { a.ScreeningId, a.AtUtc });
            e.HasIndex(a => new { a.ProgrammeId, a.AtUtc });
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

/// <summary>
/// The SQLite flavour (migrations in <c>Migrations/Sqlite</c>). Every save passes the file's <see cref="WriteGate"/>,
/// except inside a transaction the caller opened (its writes already hold SQLite's lock; waiting would deadlock).
/// </summary>
public sealed class SqliteSpineScanDbContext(DbContextOptions<SqliteSpineScanDbContext> options) : SpineScanDbContext(options)
{
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (Database.CurrentTransaction is not null)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        var gate = Gate();
        gate.Wait();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            gate.Release();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Database.CurrentTransaction is not null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }

        var gate = Gate();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim Gate() => WriteGate.For(Database.GetDbConnection().DataSource);
}

/// <summary>The PostgreSQL flavour (migrations in <c>Migrations/Postgres</c>).</summary>
public sealed class PostgresSpineScanDbContext(DbContextOptions<PostgresSpineScanDbContext> options) : SpineScanDbContext(options);
