using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.CookieScenario;

/// <summary>
/// Checks the credentials in a JSON body and signs the user in with a cookie scheme, with the claims scenario B's
/// sessions carry: subject (the user id), name, and one claim per permission.
/// </summary>
internal static class CookieSignIn
{
    public static async Task<(SampleUser? User, IResult? Error)> SignInAsync(HttpContext context, UserDirectory users, string scheme, string expectedShape)
    {
        var (request, error) = await JsonBody.ReadAsync<CreateUserRequest>(context, expectedShape);
        if (error is not null)
        {
            return (null, error);
        }

        if (string.IsNullOrEmpty(request!.Username) || string.IsNullOrEmpty(request.Password)
            || users.Authenticate(request.Username, request.Password) is not { } user)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Invalid username or password."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(SessionKitClaimTypes.Subject, user.Subject), new Claim(SessionKitClaimTypes.Name, user.Username)],
            authenticationType: "password");
        identity.AddClaims(user.Permissions.Select(p => new Claim(SessionKitClaimTypes.Permission, p)));
        await context.SignInAsync(scheme, new ClaimsPrincipal(identity));
        return (user, null);
    }
}
