using System.Net.Mail;
using Microsoft.AspNetCore.Authentication;
using SessionKit.Cookies;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.CookieScenario;

/// <summary>
/// Scenario B of the design brief, cookie sessions: <c>POST /user</c>, <c>POST /user/login</c>,
/// <c>POST /user/assign</c> (needs ASSIGN_USERS), <c>POST /user/logout</c>, and <c>GET /user/me</c>.
/// </summary>
internal static class UserEndpoints
{
    private const string CredentialsShape = """{"username":"john.doe@email.com","password":"…"}""";

    public static IEndpointRouteBuilder MapCookieScenario(this IEndpointRouteBuilder endpoints)
    {
        var user = endpoints.MapGroup("/user").WithTags("Scenario B: cookie sessions");
        user.MapPost("/", CreateAsync)
            .AllowAnonymous()
            .Accepts<CreateUserRequest>("application/json")
            .Produces<UserCreatedResponse>()
            .ProducesValidationProblem()
            .WithSummary("Creates a user (username: an e-mail address; password: not empty).");
        user.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .Accepts<CreateUserRequest>("application/json")
            .Produces<UserSessionResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Signs in: sets the session cookie (a new session id every time).");
        user.MapPost("/assign", AssignAsync)
            .RequirePermission(SamplePermissions.AssignUsers, SessionCookieDefaults.AuthenticationScheme)
            .Accepts<AssignGroupsRequest>("application/json")
            .Produces<GroupsAssignedResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Adds a user to groups (needs ASSIGN_USERS); the user's live sessions get the new permissions at once.");
        user.MapPost("/logout", (Delegate)LogoutAsync)
            .RequireAuthorization(SampleAuthorization.CookieSession)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Ends this session and expires the cookie.");
        user.MapGet("/me", Me)
            .RequireAuthorization(SampleAuthorization.CookieSession)
            .Produces<UserSessionResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
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

        var errors = new Dictionary<string, string[]>();
        if (!IsEmailAddress(request!.Username))
        {
            errors["username"] = ["The username must be an e-mail address."];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["The password must not be empty."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        return users.Add(request.Username!, request.Password!, [], []) is { } created
            ? Results.Ok(new UserCreatedResponse(created.Id))
            : Results.ValidationProblem(new Dictionary<string, string[]> { ["username"] = ["This username is already taken."] });
    }

    private static async Task<IResult> LoginAsync(HttpContext context, UserDirectory users)
    {
        var (user, error) = await CookieSignIn.SignInAsync(context, users, SessionCookieDefaults.AuthenticationScheme, CredentialsShape);
        return error ?? Results.Ok(new UserSessionResponse(user!.Id, user.Username, user.Permissions));
    }

    private static async Task<IResult> AssignAsync(HttpContext context, UserDirectory users, SessionAdminService admin)
    {
        var (request, error) = await JsonBody.ReadAsync<AssignGroupsRequest>(context, """{"userId":3,"groupIds":[2]}""");
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        var target = request!.UserId is { } id ? users.Find(id) : null;
        if (target is null)
        {
            errors["userId"] = [request.UserId is null ? "The userId is required." : $"No user with id {request.UserId}."];
        }

        if (request.GroupIds is not { Length: > 0 } groupIds)
        {
            errors["groupIds"] = ["At least one group id is required."];
        }
        else if (groupIds.Where(g => !UserGroups.Exists(g)).ToArray() is { Length: > 0 } unknown)
        {
            errors["groupIds"] = [$"Unknown group ids: {string.Join(", ", unknown)}. Groups: 1 (Admin), 2 (Manager)."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var updated = users.AssignGroups(target!, request.GroupIds!);
        var claimsUpdate = await admin.UpdateSubjectClaimsAsync(
            updated.Subject, [new SessionClaim(SessionKitClaimTypes.Name, updated.Username)], updated.Permissions, cancellationToken: context.RequestAborted);
        return Results.Ok(new GroupsAssignedResponse(updated.Id, updated.GroupIds, updated.Permissions, claimsUpdate.Updated.Count));
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

    private static bool IsEmailAddress(string? value)
        => !string.IsNullOrWhiteSpace(value)
           && MailAddress.TryCreate(value, out var address)
           && string.Equals(address.Address, value, StringComparison.Ordinal)
           && value.Contains('.', StringComparison.Ordinal);
}
