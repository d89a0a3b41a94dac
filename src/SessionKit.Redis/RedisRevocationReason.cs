namespace SessionKit.Redis;

/// <summary>Why a revocation message was published.</summary>
internal enum RedisRevocationReason
{
    /// <summary>The session was deleted (logout, rotation, revocation of one session).</summary>
    Deleted,

    /// <summary>The session was evicted to keep its subject within the per-subject maximum.</summary>
    Evicted,

    /// <summary>All of the subject's sessions were deleted.</summary>
    SubjectDeleted,

    /// <summary>The session's claims and permissions changed (its cached copy is stale, not revoked).</summary>
    ClaimsUpdated,

    /// <summary>Every session of the store was deleted.</summary>
    All,
}
