using System.Collections.Concurrent;

namespace SessionKit.Sample.Users;

/// <summary>
/// The sample's users, in memory, seeded with <c>root</c>/<c>password</c> (who holds <c>sessions:admin</c>). A real app
/// would use its user database; SessionKit only needs the user id (the session subject) and the permissions.
/// </summary>
internal sealed class UserDirectory
{
    // Verified against when the user does not exist, so that an unknown user costs the same time as a wrong password.
    private static readonly PasswordHash DecoyHash = PasswordHash.Create(Guid.NewGuid().ToString());

    private readonly ConcurrentDictionary<string, SampleUser> _users = new(StringComparer.Ordinal);

    public UserDirectory()
    {
        Add("root", "password", [SamplePermissions.SessionsAdmin]);
    }

    /// <summary>Adds a user; returns <see langword="false"/> when the name is taken.</summary>
    public bool Add(string username, string password, IReadOnlyList<string> permissions)
        => _users.TryAdd(username, new SampleUser(username, PasswordHash.Create(password), permissions));

    public bool Exists(string username) => _users.ContainsKey(username);

    /// <summary>The user, when the password matches; otherwise <see langword="null"/>.</summary>
    public SampleUser? Authenticate(string username, string password)
    {
        if (_users.TryGetValue(username, out var user))
        {
            return user.PasswordHash.Verify(password) ? user : null;
        }

        DecoyHash.Verify(password);
        return null;
    }
}
