namespace SessionKit.Sample.Users;

/// <summary>A user of the sample's in-memory directory. Only a PBKDF2 hash of the password is kept.</summary>
/// <param name="Id">The user id, also the session subject.</param>
/// <param name="Username">The login name.</param>
/// <param name="PasswordHash">The password hash.</param>
/// <param name="DirectPermissions">Permissions granted to the user outside any group.</param>
/// <param name="GroupIds">The groups the user belongs to (see <see cref="UserGroups"/>).</param>
internal sealed record SampleUser(int Id, string Username, PasswordHash PasswordHash, IReadOnlyList<string> DirectPermissions, IReadOnlyList<int> GroupIds)
{
    /// <summary>The session subject: the user id, stable even if the user name changes.</summary>
    public string Subject => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Direct permissions plus those of the user's groups.</summary>
    public IReadOnlyList<string> Permissions => [.. DirectPermissions.Concat(UserGroups.PermissionsOf(GroupIds)).Distinct(StringComparer.Ordinal)];
}
