using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace SessionKit.Sample.Users;

/// <summary>
/// The sample's users, in the database every instance shares (<see cref="UsersDbContext"/>): ids come from the
/// database, so two instances never hand out the same one. SessionKit itself only needs the user id (the session
/// subject), the claims and the permissions.
/// </summary>
internal sealed class UserDirectory(IDbContextFactory<UsersDbContext> contexts)
{
    // Verified against when the user does not exist, so that an unknown user costs the same time as a wrong password.
    private static readonly PasswordHash DecoyHash = PasswordHash.Create(Guid.NewGuid().ToString());

    // Group assignments race only when two operators change one user at the same moment; a few attempts settle it.
    private const int MaxAssignAttempts = 5;

    public static string Normalize(string username) => username.ToUpperInvariant();

    /// <summary>Adds a user with the next id from the database; returns <see langword="null"/> when the name is taken.</summary>
    public async Task<SampleUser?> AddAsync(string username, string password, CancellationToken cancellationToken)
    {
        var hash = PasswordHash.Create(password).Encode();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new UserRow { Username = username, NormalizedUsername = Normalize(username), PasswordHash = hash };
        db.Users.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SampleUser.From(row);
        }
        catch (DbUpdateException)
        {
            // Another request (on this instance or another) may have taken the name first: the unique index decided.
            if (await ExistsAsync(username, cancellationToken))
            {
                return null;
            }

            throw;
        }
    }

    public async Task<SampleUser?> FindAsync(string username, CancellationToken cancellationToken)
        => await LoadAsync(Normalize(username), cancellationToken) is { } row ? SampleUser.From(row) : null;

    public async Task<SampleUser?> FindAsync(int id, CancellationToken cancellationToken)
        => await LoadAsync(u => u.Id == id, cancellationToken) is { } row ? SampleUser.From(row) : null;

    public async Task<bool> ExistsAsync(string username, CancellationToken cancellationToken)
    {
        var normalized = Normalize(username);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, cancellationToken);
    }

    /// <summary>The ids among <paramref name="groupIds"/> that name no group.</summary>
    public async Task<IReadOnlyList<int>> UnknownGroupsAsync(IReadOnlyCollection<int> groupIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var known = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken);
        return [.. groupIds.Except(known).Distinct().Order()];
    }

    /// <summary>The groups, by id, as "1 (Admin), 2 (Manager)".</summary>
    public async Task<string> DescribeGroupsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = await db.Groups.OrderBy(g => g.Id).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken);
        return string.Join(", ", groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Id} ({g.Name})")));
    }

    /// <summary>
    /// Adds the user to the groups (keeping the ones they have) and, when that changes anything, increments the user's
    /// version in the same transaction. Returns the user as stored afterwards, or <see langword="null"/> when there is no
    /// such user. Unknown group ids are ignored (check them with <see cref="UnknownGroupsAsync"/>).
    /// </summary>
    public async Task<SampleUser?> AssignGroupsAsync(int userId, IReadOnlyCollection<int> groupIds, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var user = await db.Users.Include(u => u.Groups).SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
            if (user is null)
            {
                return null;
            }

            var missing = groupIds.Except(user.Groups.Select(g => g.Id)).ToList();
            if (missing.Count == 0)
            {
                return SampleUser.From(user);
            }

            user.Groups.AddRange(await db.Groups.Where(g => missing.Contains(g.Id)).ToListAsync(cancellationToken));
            // The version is the concurrency token: the UPDATE matches only the version read above, so of two concurrent
            // assignments exactly one commits and the other starts again from the new state.
            user.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return SampleUser.From(user);
            }
            catch (DbUpdateException) when (attempt < MaxAssignAttempts)
            {
                // A concurrent change of this user's groups (version mismatch or the same membership inserted): retry.
            }
        }
    }

    /// <summary>The user, when the password matches; otherwise <see langword="null"/>.</summary>
    public async Task<SampleUser?> AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (await LoadAsync(Normalize(username), cancellationToken) is { } row && PasswordHash.Parse(row.PasswordHash) is { } hash)
        {
            return hash.Verify(password) ? SampleUser.From(row) : null;
        }

        DecoyHash.Verify(password);
        return null;
    }

    private Task<UserRow?> LoadAsync(string normalizedUsername, CancellationToken cancellationToken)
        => LoadAsync(u => u.NormalizedUsername == normalizedUsername, cancellationToken);

    private async Task<UserRow?> LoadAsync(Expression<Func<UserRow, bool>> predicate, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Include(u => u.Groups).SingleOrDefaultAsync(predicate, cancellationToken);
    }
}
