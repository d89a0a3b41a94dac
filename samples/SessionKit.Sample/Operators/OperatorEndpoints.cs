using SessionKit.Sample.Users;

namespace SessionKit.Sample.Operators;

/// <summary>
/// The operator's force logout (scenario A's step 5), for callers holding <c>sessions:admin</c> with either a token or
/// a cookie: <c>POST /admin/sessions/revoke-all</c> and <c>POST /admin/users/{username}/logout</c>.
/// </summary>
internal static class OperatorEndpoints
{
    public const string Tag = "Operators";

    public static IEndpointRouteBuilder MapOperators(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").RequireAuthorization(SamplePermissions.SessionsAdmin).WithTags(Tag);
        admin.MapPost("/sessions/revoke-all", RevokeAllAsync)
            .Produces<RevokedResponse>()
            .ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Force logout of everyone: deletes every session in the store, the caller's own included (needs sessions:admin).");
        admin.MapPost("/users/{username}/logout", LogoutUserAsync)
            .Produces<RevokedResponse>()
            .ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Force logout of one user: deletes all of that user's sessions, the caller's own included if it is that user (needs sessions:admin).");
        return endpoints;
    }

    private static async Task<IResult> RevokeAllAsync(UserSessions sessions, CancellationToken cancellationToken)
        => Results.Ok(new RevokedResponse(await sessions.RevokeAllAsync(cancellationToken)));

    private static async Task<IResult> LogoutUserAsync(string username, UserDirectory users, UserSessions sessions, CancellationToken cancellationToken)
    {
        if (username.Length > UserLimits.MaxUsernameLength || await users.FindAsync(username, cancellationToken) is not { } user)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No user with this name.");
        }

        return Results.Ok(new RevokedResponse(await sessions.RevokeUserAsync(user, cancellationToken)));
    }
}
