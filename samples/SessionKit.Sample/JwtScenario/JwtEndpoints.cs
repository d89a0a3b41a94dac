using System.Text.Json;
using SessionKit.Jwt;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.JwtScenario;

/// <summary>
/// Scenario A of the design brief, session over JWT: <c>POST /login</c>, <c>GET /member</c>, <c>POST /logout</c>,
/// and the administrator's force logout.
/// </summary>
internal static class JwtEndpoints
{
    public static IEndpointRouteBuilder MapJwtScenario(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .Accepts<LoginRequest>("application/json")
            .Produces<LoginResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Signs in: returns a session token (a new session; the caller's current one, if any, is revoked).");

        endpoints.MapGet("/member", () => Results.Text("Hello World!"))
            .RequireAuthorization()
            .Produces<string>(contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("A members-only resource.");

        endpoints.MapPost("/logout", LogoutAsync)
            .RequireAuthorization()
            .Produces<string>(contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Ends this session: its token is refused from now on.");

        var admin = endpoints.MapGroup("/admin").RequireAuthorization(SamplePermissions.SessionsAdmin);
        admin.MapPost("/sessions/revoke-all", RevokeAllAsync)
            .WithSummary("Force logout of everyone: deletes every session in the store (needs sessions:admin).");
        admin.MapPost("/users/{username}/logout", LogoutUserAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Force logout of one user: deletes all of that user's sessions (needs sessions:admin).");
        return endpoints;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, UserDirectory users, SessionOverJwtTokenService tokens)
    {
        LoginRequest? login;
        try
        {
            login = await context.Request.ReadFromJsonAsync<LoginRequest>(context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid login request",
                detail: """The body must be JSON: {"username":"…","password":"…"}.""");
        }
        catch (InvalidOperationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the credentials as application/json.");
        }

        if (string.IsNullOrEmpty(login?.Username) || string.IsNullOrEmpty(login.Password))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = string.IsNullOrEmpty(login?.Username) ? ["The username is required."] : [],
                ["password"] = string.IsNullOrEmpty(login?.Password) ? ["The password is required."] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        if (users.Authenticate(login.Username, login.Password) is not { } user)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Invalid username or password.");
        }

        var token = await tokens.IssueAsync(
            user.Subject,
            claims: [new SessionClaim(SessionKitClaimTypes.Name, user.Username)],
            permissions: user.Permissions,
            client: new SessionClientInfo(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString()),
            currentToken: BearerToken(context.Request),
            cancellationToken: context.RequestAborted);
        var expiresIn = Math.Max(0, (long)(token.ExpiresAt - TimeProvider.System.GetUtcNow()).TotalSeconds);
        return Results.Ok(new LoginResponse(token.AccessToken, SessionOverJwtToken.TokenType, expiresIn, token.ExpiresAt));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionOverJwtTokenService tokens)
    {
        await tokens.LogoutAsync(context, context.RequestAborted);
        return Results.Text("success logout");
    }

    private static async Task<IResult> RevokeAllAsync(SessionAdminService admin, CancellationToken cancellationToken)
        => Results.Ok(new RevokedResponse(await admin.RevokeAllAsync(SessionRevocationReason.Administrative, cancellationToken)));

    private static async Task<IResult> LogoutUserAsync(string username, UserDirectory users, SessionOverJwtTokenService tokens, CancellationToken cancellationToken)
    {
        if (users.Find(username) is not { } user)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"No user named '{username}'.");
        }

        return Results.Ok(new RevokedResponse(await tokens.LogoutEverywhereAsync(user.Subject, cancellationToken)));
    }

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
