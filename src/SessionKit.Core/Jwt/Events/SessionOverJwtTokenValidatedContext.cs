using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Jwt;

/// <summary>What <see cref="SessionOverJwtEvents.OnTokenValidated"/> is given: the live session and the principal built from it.</summary>
public sealed class SessionOverJwtTokenValidatedContext : ResultContext<SessionOverJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="session">The live session the token points to.</param>
    /// <param name="principal">The principal built from the session.</param>
    public SessionOverJwtTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, SessionOverJwtOptions options, SessionRecord session, ClaimsPrincipal principal)
        : base(context, scheme, options)
    {
        ArgumentNullException.ThrowIfNull(session);
        Session = session;
        Principal = principal;
    }

    /// <summary>The session the request is authenticated with.</summary>
    public SessionRecord Session { get; }
}
