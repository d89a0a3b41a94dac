namespace SessionKit;

/// <summary>
/// Persists sessions. Implementations must be thread-safe and make each method atomic: no concurrent caller
/// may observe a half-done change.
/// </summary>
/// <remarks>
/// <para>The contract every store keeps (and the shared contract test suite checks):</para>
/// <list type="bullet">
/// <item>A key the store never saw, or a malformed one, is "not found" (<see langword="null"/>, <see langword="false"/>, 0) — never an exception.</item>
/// <item>An expired session (<see cref="SessionRecord.ExpiresAt"/> at or before the store's clock) is "not found" on
/// every read, even before the store has physically purged it; expired records are purged eventually.</item>
/// <item>Delete is idempotent: deleting a missing session returns <see langword="false"/> and does nothing.</item>
/// <item>The subject index is exact: <see cref="ListBySubjectAsync"/> returns exactly the live sessions of the subject.</item>
/// <item>Infrastructure failures (server unreachable, timeouts) surface as exceptions; the session manager turns
/// them into <see cref="SessionStoreUnavailableException"/> so requests fail closed.</item>
/// </list>
/// </remarks>
public interface ISessionStore
{
    /// <summary>
    /// Stores a new session. When <paramref name="maxSessionsPerSubject"/> is positive, first evicts the subject's
    /// oldest sessions (by <see cref="SessionRecord.CreatedAt"/>) so that, with the new one, the subject holds at most
    /// that many — atomically, so parallel creations never exceed the limit.
    /// </summary>
    /// <param name="session">The session to store, with <see cref="SessionRecord.Version"/> 1.</param>
    /// <param name="maxSessionsPerSubject">The per-subject maximum; 0 or less means no limit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keys of the sessions evicted to make room (empty when none).</returns>
    Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken);

    /// <summary>Reads a live session.</summary>
    /// <param name="key">The session key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session, or <see langword="null"/> when it is missing, expired or the key is malformed.</returns>
    Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Records activity: sets <see cref="SessionRecord.LastSeenAt"/> and <see cref="SessionRecord.IdleExpiresAt"/>
    /// (and the store's own expiry) of a live session, without changing its version.
    /// </summary>
    /// <param name="key">The session key.</param>
    /// <param name="lastSeenAt">The new last-seen time.</param>
    /// <param name="idleExpiresAt">The new idle expiry; never later than the absolute expiry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the session existed and was touched.</returns>
    Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a live session's record if, and only if, its stored version is <paramref name="expectedVersion"/>
    /// (compare-and-set). The stored record gets version <paramref name="expectedVersion"/> + 1.
    /// The key and subject of <paramref name="session"/> must be those of the stored record.
    /// </summary>
    /// <param name="session">The new content of the record.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when missing or the version differs.</returns>
    Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes a session (idempotent).</summary>
    /// <param name="key">The session key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live session was deleted.</returns>
    Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Lists a subject's live sessions, oldest first.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sessions; empty when the subject has none.</returns>
    Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken);

    /// <summary>Deletes all of a subject's sessions, at a cost proportional to that subject's sessions only.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keys of the live sessions deleted.</returns>
    Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the claims and permissions of all of a subject's live sessions (incrementing each version), so that a
    /// permission change reaches sessions that are in use without a new sign-in.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <param name="claims">The new claims.</param>
    /// <param name="permissions">The new permissions.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keys of the sessions updated.</returns>
    Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken);

    /// <summary>Deletes every session in the store ("log everyone out").</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of sessions deleted, when the store can tell; otherwise -1.</returns>
    Task<long> DeleteAllAsync(CancellationToken cancellationToken);
}
