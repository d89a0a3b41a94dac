namespace SessionKit.Sample.SessionsManagement;

/// <summary>
/// "My sessions", for whichever scheme the caller uses (bearer token or cookie): list them, revoke one, revoke all
/// the others.
/// </summary>
internal static class MySessionsEndpoints
{
    public const string Tag = "My sessions";

    public static IEndpointRouteBuilder MapMySessions(this IEndpointRouteBuilder endpoints)
    {
        var mine = endpoints.MapGroup("/sessions")
            .RequireAuthorization(SampleAuthorization.AnySession)
            .WithTags(Tag);
        mine.MapGet("/", ListAsync)
            .Produces<SessionInfo[]>()
            .ProducesSessionProblems()
            .WithSummary("Lists the caller's live sessions (created, last seen, expiry, IP address, user agent).");
        mine.MapDelete("/{id}", RevokeAsync)
            .Produces<RevokedResponse>()
            .ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes one of the caller's sessions by the id that GET /sessions shows.");
        mine.MapPost("/revoke-others", RevokeOthersAsync)
            .Produces<RevokedResponse>()
            .ProducesSessionProblems()
            .WithSummary("Revokes all of the caller's sessions except this one (\"sign out of all other devices\").");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, UserSessions sessions)
    {
        var current = context.GetSession()!;
        var all = await sessions.ListAsync(current, context.RequestAborted);
        return Results.Ok(all.Select(s => SessionInfo.From(s, current.Key)).ToArray());
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, UserSessions sessions)
        => await sessions.RevokeOwnAsync(context.GetSession()!, id, context.RequestAborted)
            ? Results.Ok(new RevokedResponse(1))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "You have no live session with this id.");

    private static async Task<IResult> RevokeOthersAsync(HttpContext context, UserSessions sessions)
        => Results.Ok(new RevokedResponse(await sessions.RevokeOthersAsync(context.GetSession()!, context.RequestAborted)));
}
