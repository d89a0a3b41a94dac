using SessionKit.Jwt;
using SessionKit.Sample.Hosting;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.JwtScenario;

/// <summary>Scenario A, session over JWT: <c>POST /login</c>, <c>GET /member</c>, <c>POST /logout</c>.</summary>
internal static class JwtEndpoints
{
    public const string Tag = "Scenario A: session over JWT";

    private const string CredentialsShape = """{"username":"root","password":"password"}""";

    public static IEndpointRouteBuilder MapJwtScenario(this IEndpointRouteBuilder endpoints)
    {
        var scenario = endpoints.MapGroup("").WithTags(Tag);
        scenario.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimiting.PolicyName)
            .AcceptsJson<LoginRequest>()
            .Produces<LoginResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesStoreUnavailable()
            .WithSummary("Signs in: returns a session token (a new session; the caller's current one, if any, is revoked).");

        scenario.MapGet("/member", () => Results.Text("Hello World!"))
            .RequireAuthorization()
            .Produces<string>(contentType: "text/plain")
            .ProducesSessionProblems()
            .WithSummary("A members-only resource.");

        scenario.MapPost("/logout", LogoutAsync)
            .RequireAuthorization()
            .Produces<string>(contentType: "text/plain")
            .ProducesSessionProblems()
            .WithSummary("Ends this session: its token is refused from now on.");
        return endpoints;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, UserDirectory users, UserSessions sessions)
    {
        var (login, error) = await JsonBody.ReadAsync<LoginRequest>(context, CredentialsShape);
        if (error is not null)
        {
            return error;
        }

        if (CredentialRules.ForSignIn(login!.Username, login.Password) is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors);
        }

        if (await users.AuthenticateAsync(login.Username!, login.Password!, context.RequestAborted) is not { } user)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Invalid username or password.");
        }

        // The token response says Cache-Control: no-store, so that no cache keeps the credential.
        return (await sessions.IssueTokenAsync(context, user)).ToHttpResult();
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, UserSessions sessions)
    {
        await sessions.LogoutTokenAsync(context);
        return Results.Text("success logout");
    }
}
