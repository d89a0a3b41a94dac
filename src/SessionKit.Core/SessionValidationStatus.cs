namespace SessionKit;

/// <summary>Why a session id was accepted or refused.</summary>
public enum SessionValidationStatus
{
    /// <summary>The session is live.</summary>
    Valid,

    /// <summary>The id is not one this library issues (wrong length or alphabet); the store was not asked.</summary>
    Malformed,

    /// <summary>No live session has this id: never issued, revoked, rotated away, or already purged.</summary>
    NotFound,

    /// <summary>The session existed but is past its idle or absolute expiry under the current policy.</summary>
    Expired,

    /// <summary>
    /// The session was issued for another authentication scheme (a token's session presented as a cookie, or the other
    /// way round). Callers are told <see cref="NotFound"/>; the metrics and logs keep the reason.
    /// </summary>
    SchemeMismatch,
}
