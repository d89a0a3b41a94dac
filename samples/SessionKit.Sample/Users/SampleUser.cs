namespace SessionKit.Sample.Users;

/// <summary>A user as the sample's endpoints see it: identity, effective permissions and the version they were read at.</summary>
/// <param name="Id">The user id (from the database), also the session subject.</param>
/// <param name="Username">The login name.</param>
/// <param name="GroupIds">The groups the user belongs to, in ascending order.</param>
/// <param name="Permissions">Direct permissions plus those of the user's groups, without duplicates, in ordinal order.</param>
/// <param name="Version">
/// The version of the user's authorization data (<see cref="UserRow.Version"/>): the claims and permissions above were
/// read at this version.
/// </param>
internal sealed record SampleUser(int Id, string Username, IReadOnlyList<int> GroupIds, IReadOnlyList<string> Permissions, int Version)
{
    /// <summary>The session subject: the user id, stable even if the user name changes.</summary>
    public string Subject => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static SampleUser From(UserRow row) => new(
        row.Id,
        row.Username,
        [.. row.Groups.Select(g => g.Id).Order()],
        [.. row.Permissions.Concat(row.Groups.SelectMany(g => g.Permissions)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        row.Version);
}
