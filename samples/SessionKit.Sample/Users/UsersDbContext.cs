using Microsoft.EntityFrameworkCore;

namespace SessionKit.Sample.Users;

/// <summary>
/// The sample's user database (EF Core): tables <c>users</c>, <c>groups</c> and <c>user_groups</c>, with lower-case
/// snake_case names so that they read naturally in <c>psql</c> and <c>sqlite3</c>. Permission lists are stored as JSON
/// text columns (EF Core's primitive collections), the same on SQLite and PostgreSQL.
/// </summary>
internal sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public DbSet<UserRow> Users => Set<UserRow>();

    public DbSet<GroupRow> Groups => Set<GroupRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRow>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.Id).HasColumnName("id");
            user.Property(u => u.Username).HasColumnName("username").HasMaxLength(UserLimits.MaxUsernameLength);
            user.Property(u => u.NormalizedUsername).HasColumnName("normalized_username").HasMaxLength(UserLimits.MaxUsernameLength);
            user.HasIndex(u => u.NormalizedUsername).IsUnique();
            user.Property(u => u.PasswordHash).HasColumnName("password_hash");
            user.Property(u => u.Version).HasColumnName("version").IsConcurrencyToken();
            user.PrimitiveCollection(u => u.Permissions).HasColumnName("permissions");
            user.HasMany(u => u.Groups).WithMany(g => g.Users).UsingEntity<Dictionary<string, object>>(
                "user_groups",
                membership => membership.HasOne<GroupRow>().WithMany().HasForeignKey("group_id"),
                membership => membership.HasOne<UserRow>().WithMany().HasForeignKey("user_id"));
        });
        modelBuilder.Entity<GroupRow>(group =>
        {
            group.ToTable("groups");
            group.Property(g => g.Id).HasColumnName("id");
            group.Property(g => g.Name).HasColumnName("name").HasMaxLength(64);
            group.HasIndex(g => g.Name).IsUnique();
            group.PrimitiveCollection(g => g.Permissions).HasColumnName("permissions");
        });
    }
}
