using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using SessionKit.Cookies;
using SessionKit.Jwt;

namespace SessionKit.Sample;

/// <summary>The sample's authorization policies; each names the scheme its endpoints accept.</summary>
internal static class SampleAuthorization
{
    /// <summary>A signed-in cookie session (scenario B).</summary>
    public const string CookieSession = "cookie-session";

    /// <summary>A signed-in session of either kind: bearer token or cookie (see <see cref="AnySessionScheme"/>).</summary>
    public const string AnySession = "any-session";

    /// <summary>
    /// A policy scheme that forwards to the JWT scheme when the request carries an Authorization header and to the
    /// cookie scheme otherwise, so that exactly one handler answers (401, 403 or 503) for endpoints open to both.
    /// </summary>
    public const string AnySessionScheme = "SessionJwtOrCookie";

    public static AuthenticationBuilder AddAnySessionScheme(this AuthenticationBuilder builder)
        => builder.AddPolicyScheme(AnySessionScheme, "Session token or cookie", o => o.ForwardDefaultSelector = context =>
            context.Request.Headers.Authorization.Count > 0 ? SessionOverJwtDefaults.AuthenticationScheme : SessionCookieDefaults.AuthenticationScheme);

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(SamplePermissions.SessionsAdmin, policy => policy
            .AddAuthenticationSchemes(AnySessionScheme)
            .RequirePermission(SamplePermissions.SessionsAdmin));
        options.AddPolicy(AnySession, policy => policy
            .AddAuthenticationSchemes(AnySessionScheme)
            .RequireAuthenticatedUser());
        options.AddPolicy(CookieSession, policy => policy
            .AddAuthenticationSchemes(SessionCookieDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser());
    }
}
