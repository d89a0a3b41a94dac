namespace SessionKit.Sample.CookieScenario;

/// <summary>The body of <c>POST /user/assign</c>.</summary>
/// <param name="UserId">The user to add to the groups.</param>
/// <param name="GroupIds">The groups: 1 (Admin) or 2 (Manager); at most <see cref="MaxGroupIds"/>.</param>
internal sealed record AssignGroupsRequest(int? UserId, int[]? GroupIds)
{
    /// <summary>The most group ids one request may name.</summary>
    public const int MaxGroupIds = 100;
}
