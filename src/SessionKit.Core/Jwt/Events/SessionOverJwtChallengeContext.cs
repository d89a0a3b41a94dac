using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Jwt;

/// <summary>What <see cref="SessionOverJwtEvents.OnChallenge"/> is given, before the scheme writes its 401 (or 503).</summary>
public sealed class SessionOverJwtChallengeContext : PropertiesContext<SessionOverJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="properties">The challenge's properties.</param>
    /// <param name="authenticateFailure">Why authentication failed, or <see langword="null"/> when no token was sent.</param>
    public SessionOverJwtChallengeContext(HttpContext context, AuthenticationScheme scheme, SessionOverJwtOptions options, AuthenticationProperties properties, Exception? authenticateFailure)
        : base(context, scheme, options, properties)
        => AuthenticateFailure = authenticateFailure;

    /// <summary>
    /// Why authentication failed (never holding the token), or <see langword="null"/> when the request carried no token.
    /// A <see cref="SessionStoreUnavailableException"/> means the store could not answer: the default response is 503.
    /// </summary>
    public Exception? AuthenticateFailure { get; }

    /// <summary>Whether <see cref="HandleResponse"/> was called.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's own response (call it after writing yours).</summary>
    public void HandleResponse() => Handled = true;
}
