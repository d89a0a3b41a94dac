using Microsoft.AspNetCore.Authentication;
using SessionKit.Cookies;
using SessionKit.Sample.Hosting;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.CookieScenario;

/// <summary>
/// Scenario B, cookie sessions: <c>POST /user</c>, <c>POST /user/login</c>,
/// <c>POST /user/assign</c> (needs ASSIGN_USERS), <c>POST /user/logout</c>, and <c>GET /user/me</c>.
/// </summary>
internal static class UserEndpoints
{
    public const string Tag = "Scenario B: cookie sessions";

    private const string CredentialsShape = """{"username":"john.doe@email.com","password":"…"}""";

    public static IEndpointRouteBuilder MapCookieScenario(this IEndpointRouteBuilder endpoints)
    {
        var user = endpoints.MapGroup("/user").WithTags(Tag);
        user.MapPost("/", CreateAsync)
            .AllowAnonymous()
            .AcceptsJson<CreateUserRequest>()
            .Produces<UserCreatedResponse>()
            .WithSummary("Creates a user (username: an e-mail address of at most 256 characters; password: not empty, at most 1024).");
        user.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimiting.PolicyName)
            .AcceptsJson<CreateUserRequest>()
            .Produces<UserSessionResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesStoreUnavailable()
            .WithSummary("Signs in: sets the session cookie (a new session id every time).");
        user.MapPost("/assign", AssignAsync)
            .RequirePermission(SamplePermissions.AssignUsers, SessionCookieDefaults.AuthenticationScheme)
            .AcceptsJson<AssignGroupsRequest>()
            .Produces<GroupsAssignedResponse>()
            .ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Adds a user to groups (needs ASSIGN_USERS); the user's live sessions get the new permissions at once.");
        // The cast keeps the handler a Delegate (its result is then executed), not a RequestDelegate.
        user.MapPost("/logout", (Delegate)LogoutAsync)
            .RequireAuthorization(SampleAuthorization.CookieSession)
            .Produces<string>(contentType: "text/plain")
            .ProducesSessionProblems()
            .WithSummary("Ends this session and expires the cookie.");
        user.MapGet("/me", Me)
            .RequireAuthorization(SampleAuthorization.CookieSession)
            .Produces<UserSessionResponse>()
            .ProducesSessionProblems()
            .WithSummary("The signed-in user and the permissions of this session, as the store holds them now.");
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, UserDirectory users)
    {
        var (request, error) = await JsonBody.ReadAsync<CreateUserRequest>(context, CredentialsShape);
        if (error is not null)
        {
            return error;
        }

        if (CredentialRules.ForNewUser(request!.Username, request.Password) is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors);
        }

        return await users.AddAsync(request.Username!, request.Password!, context.RequestAborted) is { } created
            ? Results.Ok(new UserCreatedResponse(created.Id))
            : Results.ValidationProblem(new Dictionary<string, string[]> { ["username"] = ["This username is already taken."] });
    }

    private static async Task<IResult> LoginAsync(HttpContext context, UserDirectory users, UserSessions sessions)
    {
        var (user, error) = await CookieSignIn.SignInAsync(context, users, sessions, SessionCookieDefaults.AuthenticationScheme, CredentialsShape);
        return error ?? Results.Ok(new UserSessionResponse(user!.Id, user.Username, user.Permissions));
    }

    private static async Task<IResult> AssignAsync(HttpContext context, UserDirectory users, UserSessions sessions)
    {
        var (request, error) = await JsonBody.ReadAsync<AssignGroupsRequest>(context, """{"userId":3,"groupIds":[2]}""");
        if (error is not null)
        {
            return error;
        }

        var cancellationToken = context.RequestAborted;
        var errors = new Dictionary<string, string[]>();
        var target = request!.UserId is { } id ? await users.FindAsync(id, cancellationToken) : null;
        if (target is null)
        {
            errors["userId"] = [request.UserId is null ? "The userId is required." : $"No user with id {request.UserId}."];
        }

        if (request.GroupIds is not { Length: > 0 } groupIds)
        {
            errors["groupIds"] = ["At least one group id is required."];
        }
        else if (groupIds.Length > AssignGroupsRequest.MaxGroupIds)
        {
            errors["groupIds"] = [$"At most {AssignGroupsRequest.MaxGroupIds} group ids."];
        }
        else if (await users.UnknownGroupsAsync(groupIds, cancellationToken) is { Count: > 0 } unknown)
        {
            errors["groupIds"] = [$"Unknown group ids: {string.Join(", ", unknown)}. Groups: {await users.DescribeGroupsAsync(cancellationToken)}."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        // The user's groups and version change in one transaction; then the user's live sessions get the new permissions.
        if (await users.AssignGroupsAsync(target!.Id, request.GroupIds!, cancellationToken) is not { } updated)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = [$"No user with id {request.UserId}."] });
        }

        var sessionsUpdated = await sessions.UpdateClaimsAsync(updated, cancellationToken);
        return Results.Ok(new GroupsAssignedResponse(updated.Id, updated.GroupIds, updated.Permissions, updated.Version, sessionsUpdated));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(SessionCookieDefaults.AuthenticationScheme);
        return Results.Text("success logout");
    }

    private static IResult Me(HttpContext context)
    {
        var session = context.GetSession()!;
        var name = session.Claims.FirstOrDefault(c => c.Type == SessionKitClaimTypes.Name).Value ?? "";
        return Results.Ok(new UserSessionResponse(int.Parse(session.Subject, System.Globalization.CultureInfo.InvariantCulture), name, session.Permissions));
    }
}
