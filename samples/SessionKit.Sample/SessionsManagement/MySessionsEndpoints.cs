namespace SessionKit.Sample.SessionsManagement;

/// <summary>
/// "My sessions", for whichever scheme the caller uses (bearer token or cookie): list them, revoke one, revoke all
/// the others, and read or change this session's preferences (kept in the session's data).
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
        mine.MapGet("/current/preferences", GetPreferences)
            .Produces<SessionPreferences>()
            .ProducesSessionProblems()
            .WithSummary("This session's preferences (a label naming the device), kept in the session's data: they end with the session.");
        // The cast keeps the handler a Delegate (its result is then executed), not a RequestDelegate.
        mine.MapPut("/current/preferences", (Delegate)PutPreferencesAsync)
            .AcceptsJson<SessionPreferences>()
            .Produces<SessionPreferences>()
            .ProducesSessionProblems()
            .WithSummary($"Sets this session's preferences: deviceLabel, at most {SessionPreferences.MaxDeviceLabelLength} characters without control characters (null or \"\" removes it). Other sessions keep theirs.");
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

    private static IResult GetPreferences(HttpContext context) => Results.Ok(SessionPreferences.Read(context.GetSessionData()!));

    private static async Task<IResult> PutPreferencesAsync(HttpContext context)
    {
        var (preferences, error) = await JsonBody.ReadAsync<SessionPreferences>(context, """{"deviceLabel":"Work laptop"}""");
        if (error is not null)
        {
            return error;
        }

        if (preferences!.Errors() is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors);
        }

        // Saved with compare-and-set before the response's first byte: a concurrent request of this session keeps its own keys.
        return Results.Ok(preferences.WriteTo(context.GetSessionData()!));
    }

    private static async Task<IResult> RevokeOthersAsync(HttpContext context, UserSessions sessions)
        => Results.Ok(new RevokedResponse(await sessions.RevokeOthersAsync(context.GetSession()!, context.RequestAborted)));
}
