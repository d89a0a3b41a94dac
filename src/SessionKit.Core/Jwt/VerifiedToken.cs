namespace SessionKit.Jwt;

/// <summary>What a token that passed its own checks says, and the store key of the live session it pointed to.</summary>
/// <param name="SessionId">The token's <c>sid</c>.</param>
/// <param name="Subject">The token's <c>sub</c>.</param>
/// <param name="Expires">The token's <c>exp</c> (UTC).</param>
/// <param name="NotBefore">The token's <c>nbf</c> (UTC), when it has one.</param>
/// <param name="Key">The session's store key (the hash of <paramref name="SessionId"/>).</param>
internal sealed record VerifiedToken(string SessionId, string Subject, DateTime Expires, DateTime? NotBefore, SessionKey Key);
