namespace SessionKit;

/// <summary>
/// A server-side session as stores keep it. Immutable: changes produce a new record (<c>with</c> expressions).
/// </summary>
public sealed record SessionRecord
{
    /// <summary>The store key (hashed id and partition).</summary>
    public required SessionKey Key { get; init; }

    /// <summary>The subject (user id) the session belongs to.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The authentication scheme that created the session and is the only one that accepts it (a token's session is
    /// never accepted as a cookie, and the other way round), or <see langword="null"/> when it was created outside any
    /// scheme (then no scheme accepts it).
    /// </summary>
    public string? Scheme { get; init; }

    /// <summary>When the session was created (sign-in). Rotation keeps it, so the absolute lifetime holds.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session was last seen by a request that wrote to the store (touches are coalesced).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When the session expires if it is not used again (sliding).</summary>
    public required DateTimeOffset IdleExpiresAt { get; init; }

    /// <summary>When the session expires whatever its use.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>Claims issued with the session, other than permissions.</summary>
    public IReadOnlyList<SessionClaim> Claims { get; init; } = [];

    /// <summary>Permissions granted to the session; drive <c>RequirePermission</c> authorization policies.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];

    /// <summary>
    /// The version of <see cref="Claims"/> and <see cref="Permissions"/>: a claims update with a higher version replaces
    /// them, one with a lower or equal version does not (see <see cref="ISessionStore.UpdateSubjectClaimsAsync"/>).
    /// 0 when the app never gave one.
    /// </summary>
    public long ClaimsVersion { get; init; }

    /// <summary>Client metadata captured at creation.</summary>
    public SessionClientInfo Client { get; init; } = SessionClientInfo.None;

    /// <summary>
    /// The session's key/value data (string keys, byte values), at most <see cref="SessionKitOptions.MaxDataBytes"/> in
    /// all (see <see cref="SessionDataSize"/>). Removed with the session; kept by rotation; empty at sign-in.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Data { get; init; } = SessionDataSize.Empty;

    /// <summary>
    /// The record's version for compare-and-set: 1 at creation, incremented by the store on every
    /// <see cref="ISessionStore.UpdateAsync"/> and claims update (touches leave it unchanged).
    /// </summary>
    public long Version { get; init; } = 1;

    /// <summary>The earlier of <see cref="IdleExpiresAt"/> and <see cref="AbsoluteExpiresAt"/>.</summary>
    public DateTimeOffset ExpiresAt => IdleExpiresAt < AbsoluteExpiresAt ? IdleExpiresAt : AbsoluteExpiresAt;

    /// <summary>Whether the session has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when <paramref name="now"/> is at or past <see cref="ExpiresAt"/>.</returns>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}
