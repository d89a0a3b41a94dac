using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Cookies;

/// <summary>What <see cref="SessionCookieEvents.OnSigningIn"/> is given, before the session is created.</summary>
public sealed class SessionCookieSigningInContext : PrincipalContext<SessionCookieOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="principal">The principal passed to <c>SignInAsync</c>.</param>
    /// <param name="properties">The properties passed to <c>SignInAsync</c>.</param>
    /// <param name="cookieOptions">The options the cookie will be written with.</param>
    public SessionCookieSigningInContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, ClaimsPrincipal principal, AuthenticationProperties? properties, CookieOptions cookieOptions)
        : base(context, scheme, options, properties)
    {
        ArgumentNullException.ThrowIfNull(cookieOptions);
        Principal = principal;
        CookieOptions = cookieOptions;
    }

    /// <summary>The options the session cookie will be written with; changes apply to this response's cookie.</summary>
    public CookieOptions CookieOptions { get; set; }
}
