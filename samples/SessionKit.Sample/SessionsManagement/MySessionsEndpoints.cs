namespace SessionKit.Sample.SessionsManagement;

/// <summary>
/// "My sessions", for whichever scheme the caller uses (bearer token or cookie): list them, revoke one, revoke all
/// the others.
/// </summary>
internal static class MySessionsEndpoints
{
    public static IEndpointRouteBuilder MapMySessions(this IEndpointRouteBuilder endpoints)
    {
        var mine = endpoints.MapGroup("/sessions")
            .RequireAuthorization(SampleAuthorization.AnySession)
            .WithTags("Sessions management")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        mine.MapGet("/", ListAsync)
            .Produces<SessionInfo[]>()
            .WithSummary("Lists the caller's live sessions (created, last seen, expiry, IP address, user agent).");
        mine.MapDelete("/{id}", RevokeAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes one of the caller's sessions by the id that GET /sessions shows.");
        mine.MapPost("/revoke-others", RevokeOthersAsync)
            .WithSummary("Revokes all of the caller's sessions except this one (\"sign out of all other devices\").");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, SessionManager sessions)
    {
        var current = context.GetSession()!;
        var all = await sessions.ListAsync(current.Subject, context.RequestAborted);
        return Results.Ok(all.Select(s => SessionInfo.From(s, current.Key)).ToArray());
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, SessionManager sessions)
    {
        var current = context.GetSession()!;
        var all = await sessions.ListAsync(current.Subject, context.RequestAborted);
        // Only the caller's own sessions can be revoked here: the id is looked up among them, never used blindly.
        return all.FirstOrDefault(s => string.Equals(s.Key.Hash, id, StringComparison.Ordinal)) is { } target
               && await sessions.RevokeAsync(target.Key, SessionRevocationReason.Logout, context.RequestAborted)
            ? Results.Ok(new { revoked = 1 })
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "You have no live session with this id.");
    }

    private static async Task<IResult> RevokeOthersAsync(HttpContext context, SessionManager sessions)
    {
        var current = context.GetSession()!;
        var revoked = await sessions.RevokeOthersAsync(current, context.RequestAborted);
        return Results.Ok(new { revoked });
    }
}
