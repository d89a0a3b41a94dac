using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Jwt;

/// <summary>What <see cref="SessionOverJwtEvents.OnMessageReceived"/> is given, before the scheme looks for a token.</summary>
public sealed class SessionOverJwtMessageReceivedContext : ResultContext<SessionOverJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    public SessionOverJwtMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, SessionOverJwtOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>
    /// The token to check instead of the <c>Authorization</c> header's, or <see langword="null"/> to let the scheme read it.
    /// Never log it.
    /// </summary>
    public string? Token { get; set; }
}
