namespace SessionKit.Sample.Users;

/// <summary>
/// The groups of the cookie-session reference app: Admin (1) grants CREATE_ROLE and CREATE_GROUP, Manager (2)
/// grants ASSIGN_USERS. A user's permissions are the union of their groups' permissions.
/// </summary>
internal static class UserGroups
{
    public const int Admin = 1;
    public const int Manager = 2;

    public static IReadOnlyDictionary<int, (string Name, string[] Permissions)> All { get; } = new Dictionary<int, (string, string[])>
    {
        [Admin] = ("Admin", [SamplePermissions.CreateRole, SamplePermissions.CreateGroup]),
        [Manager] = ("Manager", [SamplePermissions.AssignUsers]),
    };

    public static bool Exists(int groupId) => All.ContainsKey(groupId);

    public static IEnumerable<string> PermissionsOf(IEnumerable<int> groupIds)
        => groupIds.SelectMany(id => All.TryGetValue(id, out var group) ? group.Permissions : []);
}
