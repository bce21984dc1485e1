using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SpineScan.Device.Store;

/// <summary>The station's local store (SQLite): sessions, roster, consents, screenings, raw-depth captures, results, outbox, audit.</summary>
internal sealed class StationDbContext(DbContextOptions<StationDbContext> options) : DbContext(options)
{
    public DbSet<SessionRow> Sessions => Set<SessionRow>();

    public DbSet<PupilRow> Pupils => Set<PupilRow>();

    public DbSet<ConsentRow> Consents => Set<ConsentRow>();

    public DbSet<ScreeningRow> Screenings => Set<ScreeningRow>();

    public DbSet<CaptureRow> Captures => Set<CaptureRow>();

    public DbSet<ResultRow> Results => Set<ResultRow>();

    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    public DbSet<AuditRow> Audit => Set<AuditRow>();

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
            e.HasIndex(p => new { p.SessionId, p.PupilNumber }).IsUnique();
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
    }
}

/// <summary>Lets <c>dotnet ef</c> build the model without the station's host.</summary>
internal sealed class StationDesignTimeFactory : IDesignTimeDbContextFactory<StationDbContext>
{
    public StationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<StationDbContext>().UseSqlite("Data Source=design.db").Options);
}
