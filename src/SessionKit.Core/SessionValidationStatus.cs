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
}
