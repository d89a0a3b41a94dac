using System.Collections.Concurrent;

namespace SessionKit.Sample.Users;

/// <summary>
/// The sample's users, in memory: <c>admin</c>/<c>admin</c> (id 1, groups Admin and Manager) and <c>root</c>/<c>password</c>
/// (id 2, holds <c>sessions:admin</c>); new users get the next ids. A real app would use its user database; SessionKit
/// only needs the user id (the session subject) and the permissions.
/// </summary>
internal sealed class UserDirectory
{
    // Verified against when the user does not exist, so that an unknown user costs the same time as a wrong password.
    private static readonly PasswordHash DecoyHash = PasswordHash.Create(Guid.NewGuid().ToString());

    private readonly ConcurrentDictionary<string, SampleUser> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<int, SampleUser> _byId = new();
    private readonly Lock _writeLock = new();
    private int _lastId;

    public UserDirectory()
    {
        Add("admin", "admin", [], [UserGroups.Admin, UserGroups.Manager]);
        Add("root", "password", [SamplePermissions.SessionsAdmin], []);
    }

    /// <summary>Adds a user with the next id; returns <see langword="null"/> when the name is taken.</summary>
    public SampleUser? Add(string username, string password, IReadOnlyList<string> permissions, IReadOnlyList<int> groupIds)
    {
        var hash = PasswordHash.Create(password);
        lock (_writeLock)
        {
            if (_byName.ContainsKey(username))
            {
                return null;
            }

            var user = new SampleUser(++_lastId, username, hash, permissions, groupIds);
            _byName[username] = user;
            _byId[user.Id] = user;
            return user;
        }
    }

    public SampleUser? Find(string username) => _byName.GetValueOrDefault(username);

    public SampleUser? Find(int id) => _byId.GetValueOrDefault(id);

    public bool Exists(string username) => _byName.ContainsKey(username);

    /// <summary>Adds the user to the groups (keeping the ones they have); returns the updated user.</summary>
    public SampleUser AssignGroups(SampleUser user, IEnumerable<int> groupIds)
    {
        lock (_writeLock)
        {
            var current = _byId[user.Id];
            var updated = current with { GroupIds = [.. current.GroupIds.Concat(groupIds).Distinct().Order()] };
            _byId[user.Id] = updated;
            _byName[updated.Username] = updated;
            return updated;
        }
    }

    /// <summary>The user, when the password matches; otherwise <see langword="null"/>.</summary>
    public SampleUser? Authenticate(string username, string password)
    {
        if (_byName.TryGetValue(username, out var user))
        {
            return user.PasswordHash.Verify(password) ? user : null;
        }

        DecoyHash.Verify(password);
        return null;
    }
}
