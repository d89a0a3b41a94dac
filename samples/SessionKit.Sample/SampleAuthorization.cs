using Microsoft.AspNetCore.Authorization;
using SessionKit.Cookies;
using SessionKit.Jwt;

namespace SessionKit.Sample;

/// <summary>The sample's authorization policies; each names the scheme its endpoints accept.</summary>
internal static class SampleAuthorization
{
    /// <summary>A signed-in cookie session (scenario B).</summary>
    public const string CookieSession = "cookie-session";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(SamplePermissions.SessionsAdmin, policy => policy
            .AddAuthenticationSchemes(SessionJwtDefaults.AuthenticationScheme)
            .RequirePermission(SamplePermissions.SessionsAdmin));
        options.AddPolicy(CookieSession, policy => policy
            .AddAuthenticationSchemes(SessionCookieDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser());
    }
}
