namespace SessionKit.Jwt;

/// <summary>A signed session token as issued by <see cref="SessionOverJwtTokenService"/>.</summary>
/// <param name="AccessToken">The compact JWS to send as <c>Authorization: Bearer</c>. Never log it.</param>
/// <param name="ExpiresAt">The token's <c>exp</c>: at most the session's absolute expiry (the session may end sooner).</param>
/// <param name="Session">The session the token points to.</param>
public sealed record SessionOverJwtToken(string AccessToken, DateTimeOffset ExpiresAt, SessionRecord Session)
{
    /// <summary>The token type for OAuth-style responses: <c>Bearer</c>.</summary>
    public const string TokenType = "Bearer";
}
