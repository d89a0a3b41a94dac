namespace SessionKit.Sample.Users;

/// <summary>
/// What a new user database starts with — scenario B's users and groups: groups Admin (id 1: CREATE_ROLE,
/// CREATE_GROUP) and Manager (id 2: ASSIGN_USERS); users <c>admin</c>/<c>admin</c> (id 1, in both groups) and
/// <c>root</c>/<c>password</c> (id 2, holding <c>sessions:admin</c>). Inserted in this order into empty tables, so the
/// database gives them exactly these ids; new users get the next ones.
/// </summary>
internal static class UsersSeed
{
    public const int AdminGroupId = 1;
    public const int ManagerGroupId = 2;

    public static IReadOnlyList<GroupRow> Groups() =>
    [
        new() { Name = "Admin", Permissions = [SamplePermissions.CreateRole, SamplePermissions.CreateGroup] },
        new() { Name = "Manager", Permissions = [SamplePermissions.AssignUsers] },
    ];

    public static IReadOnlyList<UserRow> Users(IReadOnlyList<GroupRow> groups) =>
    [
        User("admin", "admin", [], groups),
        User("root", "password", [SamplePermissions.SessionsAdmin], []),
    ];

    private static UserRow User(string username, string password, List<string> permissions, IEnumerable<GroupRow> groups) => new()
    {
        Username = username,
        NormalizedUsername = UserDirectory.Normalize(username),
        PasswordHash = PasswordHash.Create(password).Encode(),
        Permissions = permissions,
        Groups = [.. groups],
    };
}
