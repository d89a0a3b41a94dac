using Microsoft.AspNetCore.Http;

namespace SessionKit.Jwt;

/// <summary>A signed session token as issued by <see cref="SessionOverJwtTokenService"/>.</summary>
/// <param name="AccessToken">The compact JWS to send as <c>Authorization: Bearer</c>. Never log it.</param>
/// <param name="ExpiresAt">The token's <c>exp</c>: at most the session's absolute expiry (the session may end sooner).</param>
/// <param name="Session">The session the token points to.</param>
public sealed record SessionOverJwtToken(string AccessToken, DateTimeOffset ExpiresAt, SessionRecord Session)
{
    /// <summary>The token type for OAuth-style responses: <c>Bearer</c>.</summary>
    public const string TokenType = "Bearer";

    /// <summary>
    /// The token as an endpoint's response, in the shape of an OAuth 2.0 token response (RFC 6749 §5.1):
    /// <c>{"access_token":"…","token_type":"Bearer","expires_in":…,"expires_at":"…"}</c>, with
    /// <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c> so that no cache keeps a credential. Return it from a
    /// minimal API endpoint or an MVC action; an app that writes its own body must send those headers itself.
    /// </summary>
    /// <returns>The result.</returns>
    public IResult ToHttpResult() => new SessionOverJwtTokenResult(this);
}
