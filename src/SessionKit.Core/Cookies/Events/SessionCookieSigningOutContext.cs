using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Cookies;

/// <summary>What <see cref="SessionCookieEvents.OnSigningOut"/> is given, before the session is revoked.</summary>
public sealed class SessionCookieSigningOutContext : PropertiesContext<SessionCookieOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="properties">The properties passed to <c>SignOutAsync</c>.</param>
    /// <param name="cookieOptions">The options the expired cookie will be written with.</param>
    public SessionCookieSigningOutContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, AuthenticationProperties? properties, CookieOptions cookieOptions)
        : base(context, scheme, options, properties)
    {
        ArgumentNullException.ThrowIfNull(cookieOptions);
        CookieOptions = cookieOptions;
    }

    /// <summary>The options the expired cookie will be written with (path and domain must match the cookie's).</summary>
    public CookieOptions CookieOptions { get; set; }
}
