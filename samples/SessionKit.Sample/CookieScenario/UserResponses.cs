namespace SessionKit.Sample.CookieScenario;

/// <summary>The answer of <c>POST /user</c>: the new user's id, given by the database.</summary>
internal sealed record UserCreatedResponse(int UserId);

/// <summary>The answer of <c>POST /user/login</c> and <c>GET /user/me</c>.</summary>
internal sealed record UserSessionResponse(int UserId, string Username, IReadOnlyList<string> Permissions);

/// <summary>
/// The answer of <c>POST /user/assign</c>: the user's groups and permissions, the version of the user's data they were
/// read at, and how many live sessions got them.
/// </summary>
internal sealed record GroupsAssignedResponse(int UserId, IReadOnlyList<int> GroupIds, IReadOnlyList<string> Permissions, int Version, int SessionsUpdated);
