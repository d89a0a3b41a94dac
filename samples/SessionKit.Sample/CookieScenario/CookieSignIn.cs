using SessionKit.Sample.Users;

namespace SessionKit.Sample.CookieScenario;

/// <summary>
/// Checks the credentials in a JSON body and signs the user in with a cookie scheme (<see cref="UserSessions.SignInWithCookieAsync"/>).
/// </summary>
internal static class CookieSignIn
{
    public static async Task<(SampleUser? User, IResult? Error)> SignInAsync(
        HttpContext context, UserDirectory users, UserSessions sessions, string scheme, string expectedShape)
    {
        var (request, error) = await JsonBody.ReadAsync<CreateUserRequest>(context, expectedShape);
        if (error is not null)
        {
            return (null, error);
        }

        if (CredentialRules.ForSignIn(request!.Username, request.Password) is { Count: > 0 } errors)
        {
            return (null, Results.ValidationProblem(errors));
        }

        if (await users.AuthenticateAsync(request.Username!, request.Password!, context.RequestAborted) is not { } user)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Invalid username or password."));
        }

        await sessions.SignInWithCookieAsync(context, user, scheme);
        return (user, null);
    }
}
