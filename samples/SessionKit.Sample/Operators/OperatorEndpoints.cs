using SessionKit.Sample.Users;

namespace SessionKit.Sample.Operators;

/// <summary>
/// Operator endpoints, for callers holding <c>sessions:admin</c> with either a token or a cookie: the force logout of
/// scenario A's step 5 (<c>POST /admin/sessions/revoke-all</c>, <c>POST /admin/users/{username}/logout</c>), and a
/// paged, filtered list of all sessions with revocation by key (<c>GET /admin/sessions</c>, <c>DELETE /admin/sessions/{key}</c>).
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
        admin.MapGet("/sessions", QueryAsync)
            .Produces<OperatorSessionPage>()
            .ProducesValidationProblem()
            .ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("One page of all sessions, optionally of one user id and within creation / last-seen times (needs sessions:admin). On Redis pages are unordered and a session may appear twice; follow 'continuation' until it is null.");
        admin.MapDelete("/sessions/{key}", RevokeByKeyAsync)
            .Produces<RevokedResponse>()
            .ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes one session by the key GET /admin/sessions shows (needs sessions:admin).");
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(
        UserSessions sessions,
        string? userId,
        DateTimeOffset? createdFrom,
        DateTimeOffset? createdBefore,
        DateTimeOffset? lastSeenFrom,
        DateTimeOffset? lastSeenBefore,
        int? pageSize,
        string? continuation,
        CancellationToken cancellationToken)
    {
        var query = new SessionQuery
        {
            Subject = string.IsNullOrEmpty(userId) ? null : userId,
            CreatedFrom = createdFrom,
            CreatedBefore = createdBefore,
            LastSeenFrom = lastSeenFrom,
            LastSeenBefore = lastSeenBefore,
            PageSize = pageSize ?? 100,
            ContinuationToken = string.IsNullOrEmpty(continuation) ? null : continuation,
        };
        if (query.PageSize is < 1 or > SessionQuery.MaxPageSize)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["pageSize"] = [$"Between 1 and {SessionQuery.MaxPageSize}."] });
        }

        try
        {
            var page = await sessions.QueryAsync(query, cancellationToken);
            return Results.Ok(new OperatorSessionPage([.. page.Sessions.Select(OperatorSession.From)], page.ContinuationToken));
        }
        catch (ArgumentException)
        {
            // A continuation this store did not issue (edited, or from another store).
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["continuation"] = ["Not a continuation this server issued: start again without it."] });
        }
    }

    private static async Task<IResult> RevokeByKeyAsync(string key, UserSessions sessions, CancellationToken cancellationToken)
        => SessionKey.TryParse(key, out var parsed) && await sessions.RevokeByKeyAsync(parsed, cancellationToken)
            ? Results.Ok(new RevokedResponse(1))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No live session has this key.");

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
