namespace SessionKit.Jwt;

/// <summary>Why a bearer token was refused (for logs and metrics; clients only ever see <c>invalid_token</c>).</summary>
internal enum SessionTokenRejection
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>Longer than <see cref="SessionOverJwtOptions.MaxTokenLength"/>; not read.</summary>
    TooLong,

    /// <summary>Not a compact JWS: wrong number of segments, empty segment, characters outside base64url, bad JSON.</summary>
    Malformed,

    /// <summary>The <c>alg</c> header is not allowed, or a header the scheme does not support (<c>crit</c>) is present.</summary>
    Header,

    /// <summary>No configured key has this <c>kid</c> and <c>alg</c>, or the signature does not verify.</summary>
    Signature,

    /// <summary>The <c>typ</c> header is not <see cref="SessionOverJwtDefaults.TokenType"/>.</summary>
    Type,

    /// <summary>Wrong or missing <c>iss</c>.</summary>
    Issuer,

    /// <summary>Wrong or missing <c>aud</c>.</summary>
    Audience,

    /// <summary>Missing or past <c>exp</c>, or <c>nbf</c> in the future.</summary>
    Lifetime,

    /// <summary>Missing or non-string <c>sid</c> or <c>sub</c>.</summary>
    Claims,

    /// <summary>The <c>sid</c> is not a session id SessionKit issues; the store was not asked.</summary>
    MalformedSessionId,

    /// <summary>No live session has this id (never issued, logged out, revoked, purged).</summary>
    SessionNotFound,

    /// <summary>The session is past its idle or absolute expiry.</summary>
    SessionExpired,

    /// <summary>The token's <c>sub</c> is not the session's subject.</summary>
    SubjectMismatch,
}
