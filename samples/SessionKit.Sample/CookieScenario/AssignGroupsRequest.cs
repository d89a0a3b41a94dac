namespace SessionKit.Sample.CookieScenario;

/// <summary>The body of <c>POST /user/assign</c>.</summary>
/// <param name="UserId">The user to add to the groups.</param>
/// <param name="GroupIds">The groups: 1 (Admin) or 2 (Manager).</param>
internal sealed record AssignGroupsRequest(int? UserId, int[]? GroupIds);
