using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Jwt;

/// <summary>What <see cref="SessionOverJwtEvents.OnForbidden"/> is given (the status code is already 403).</summary>
public sealed class SessionOverJwtForbiddenContext : ResultContext<SessionOverJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    public SessionOverJwtForbiddenContext(HttpContext context, AuthenticationScheme scheme, SessionOverJwtOptions options)
        : base(context, scheme, options)
    {
    }
}
