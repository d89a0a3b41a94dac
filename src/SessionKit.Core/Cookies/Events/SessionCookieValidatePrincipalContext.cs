using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Cookies;

/// <summary>What <see cref="SessionCookieEvents.OnValidatePrincipal"/> is given: the session and the principal built from it.</summary>
public sealed class SessionCookieValidatePrincipalContext : PrincipalContext<SessionCookieOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="session">The live session the cookie named.</param>
    /// <param name="principal">The principal built from the session.</param>
    public SessionCookieValidatePrincipalContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionRecord session, ClaimsPrincipal principal)
        : base(context, scheme, options, new AuthenticationProperties())
    {
        ArgumentNullException.ThrowIfNull(session);
        Session = session;
        Principal = principal;
    }

    /// <summary>The session the request is authenticated with (its claims and permissions are the principal's).</summary>
    public SessionRecord Session { get; }

    /// <summary>Uses <paramref name="principal"/> for this request instead (the session is not changed).</summary>
    /// <param name="principal">The principal.</param>
    public void ReplacePrincipal(ClaimsPrincipal principal) => Principal = principal;

    /// <summary>
    /// Leaves the request unauthenticated (a 401 where authentication is required). The session itself stays: revoke it
    /// with <see cref="SessionManager.RevokeAsync(SessionKey, SessionRevocationReason, CancellationToken)"/> if it must end.
    /// </summary>
    public void RejectPrincipal() => Principal = null;
}
