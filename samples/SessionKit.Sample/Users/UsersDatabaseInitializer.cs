using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace SessionKit.Sample.Users;

/// <summary>
/// Creates the user database's tables and seeds them (<see cref="UsersSeed"/>) when the app starts, before the server
/// takes requests. Several instances may start at once against one database: the work runs in one transaction under a
/// database-wide lock (SQLite: an immediate write transaction; PostgreSQL: a transaction-scoped advisory lock), so
/// exactly one instance creates and seeds, and the others find it done.
/// </summary>
/// <remarks>
/// The schema comes from EF Core's model (<c>EnsureCreated</c>'s two steps, <c>HasTables</c> and <c>CreateTables</c>,
/// run inside that transaction): tables are created only in a database that has none, so give the sample a database
/// of its own. An app with a schema that evolves would use migrations instead.
/// </remarks>
internal sealed partial class UsersDatabaseInitializer(IDbContextFactory<UsersDbContext> contexts, ILogger<UsersDatabaseInitializer> logger)
    : IHostedLifecycleService
{
    // Any constant shared by every instance: the key of the PostgreSQL advisory lock that serializes initialization.
    private const long InitializationLockKey = 0x53_65_73_73_69_6F_6E_4B;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (DbException)
            {
                // Another instance may have created it a moment ago.
                if (!await creator.ExistsAsync(cancellationToken))
                {
                    throw;
                }
            }
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers of other instances go on while one instance writes; it is a property of the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({InitializationLockKey})", cancellationToken);
        }

        if (!await creator.HasTablesAsync(cancellationToken))
        {
            await creator.CreateTablesAsync(cancellationToken);
            LogSchemaCreated(logger);
        }

        if (!await db.Groups.AnyAsync(cancellationToken))
        {
            // One row per SaveChanges, in order, so that the database hands out exactly the ids the walkthrough uses (admin 1, root 2, groups 1 and 2).
            var groups = UsersSeed.Groups();
            foreach (var group in groups)
            {
                db.Groups.Add(group);
                await db.SaveChangesAsync(cancellationToken);
            }

            foreach (var user in UsersSeed.Users(groups))
            {
                db.Users.Add(user);
                await db.SaveChangesAsync(cancellationToken);
            }

            LogSeeded(logger);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, EventName = "UsersSchemaCreated", Level = LogLevel.Information, Message = "Created the user database's tables.")]
    private static partial void LogSchemaCreated(ILogger logger);

    [LoggerMessage(EventId = 2, EventName = "UsersSeeded", Level = LogLevel.Information,
        Message = "Seeded the user database: groups Admin (1) and Manager (2), users admin (1) and root (2).")]
    private static partial void LogSeeded(ILogger logger);
}
