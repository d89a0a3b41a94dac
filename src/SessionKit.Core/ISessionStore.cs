namespace SessionKit;

/// <summary>
/// Persists sessions. Implementations must be thread-safe and make each method atomic: no concurrent caller may
/// observe a half-done change. The shared contract suite (package <c>SessionKit.Testing</c>) checks every rule below.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A key the store never saw, a malformed one, or a record the store cannot decode (another format version, a
/// hand-edited value) is "not found" (<see langword="null"/>, <see langword="false"/>, empty) — never an exception.</item>
/// <item>An expired session (<see cref="SessionRecord.ExpiresAt"/> at or before the store's clock) is "not found" on
/// every read, even before the store has physically purged it; expired records are purged eventually.</item>
/// <item>Delete is idempotent: deleting a missing session returns <see langword="false"/> and does nothing.</item>
/// <item>The subject index is exact: <see cref="ListBySubjectAsync"/> returns exactly the live sessions of the subject.</item>
/// <item>Infrastructure failures (server unreachable, connection lost, server-side timeouts, failover) surface as
/// <see cref="SessionStoreUnavailableException"/> with the client's exception inside, so requests fail closed. Any
/// other exception is a bug.</item>
/// <item>Every method takes the caller's deadline as its <see cref="CancellationToken"/>. When it is cancelled, the method
/// throws <see cref="OperationCanceledException"/>; a change it could not take back must still be atomic (all or
/// nothing), and a <see cref="CreateAsync"/> cancelled after it may have reached the server must not leave a usable or
/// counted session: a store whose client cannot cancel a command already sent compensates (deletes it).</item>
/// </list>
/// </remarks>
public interface ISessionStore
{
    /// <summary>
    /// Stores a new session. When <paramref name="maxSessionsPerSubject"/> is positive, first evicts the subject's
    /// oldest live sessions (by <see cref="SessionRecord.CreatedAt"/>) so that, with the new one, the subject holds at most
    /// that many — atomically, so parallel creations never exceed the limit.
    /// </summary>
    /// <remarks>
    /// A store that keeps a subject's sessions together may replace <c>session.Key.Partition</c> with the partition it
    /// uses for the subject (the hash stays). When the store holds claims of the subject with a version higher than
    /// <see cref="SessionRecord.ClaimsVersion"/> (see <see cref="UpdateSubjectClaimsAsync"/>) and that version is not 0,
    /// the session is stored with those claims, permissions and version; when it is 0, the session keeps its claims and
    /// takes the subject's version.
    /// </remarks>
    /// <param name="session">The session to store, with <see cref="SessionRecord.Version"/> 1.</param>
    /// <param name="maxSessionsPerSubject">The per-subject maximum; 0 or less means no limit.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The record as stored and the keys of the sessions evicted to make room.</returns>
    Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken);

    /// <summary>Reads a live session.</summary>
    /// <param name="key">The session key.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The session, or <see langword="null"/> when it is missing, expired, undecodable or the key is malformed.</returns>
    Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Records activity: sets <see cref="SessionRecord.LastSeenAt"/> and <see cref="SessionRecord.IdleExpiresAt"/>
    /// (and the store's own expiry) of a live session, without changing its version or anything else.
    /// </summary>
    /// <param name="key">The session key.</param>
    /// <param name="lastSeenAt">The new last-seen time.</param>
    /// <param name="idleExpiresAt">The new idle expiry; never later than the absolute expiry.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns><see langword="true"/> when the session existed and was touched.</returns>
    Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a live session's record if, and only if, its stored version is <paramref name="expectedVersion"/>
    /// (compare-and-set). The stored record gets version <paramref name="expectedVersion"/> + 1. The key, subject and
    /// scheme of <paramref name="session"/> must be those of the stored record.
    /// </summary>
    /// <param name="session">The new content of the record.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when missing or the version differs.</returns>
    Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes a session (idempotent).</summary>
    /// <param name="key">The session key.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns><see langword="true"/> when a live session was deleted.</returns>
    Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Lists a subject's live sessions, oldest first.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The sessions; empty when the subject has none.</returns>
    Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes all of a subject's sessions but <paramref name="except"/>, atomically, at a cost proportional to that
    /// subject's sessions only.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <param name="except">A session to keep, or <see langword="null"/> to delete them all.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The keys of the live sessions deleted.</returns>
    Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a subject's claims, unless the store already holds claims of the same or a newer version for the subject:
    /// remembers them as the subject's latest (until <paramref name="retainUntil"/>, and as long as any of its sessions
    /// lives) and gives them to every live session of the subject whose <see cref="SessionRecord.ClaimsVersion"/> is lower
    /// (incrementing each one's <see cref="SessionRecord.Version"/>). Atomic with respect to <see cref="CreateAsync"/>: a
    /// session created concurrently ends with these claims if its own are older.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <param name="claims">The claims and their version; version 0 stands for the subject's latest version + 1.</param>
    /// <param name="retainUntil">The earliest time the store may forget the subject's latest claims.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>Whether the claims were applied, the subject's version, and the keys of the sessions updated.</returns>
    Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken);

    /// <summary>Deletes every session in the store ("log everyone out").</summary>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The number of sessions deleted, when the store can tell; otherwise -1.</returns>
    Task<long> DeleteAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads one page of the live sessions that match <paramref name="query"/>, without loading all sessions: by subject
    /// through the subject index; otherwise in a store-specific order. Every live session that matches and exists for the
    /// whole iteration appears at least once; a store that pages with a server cursor may return one twice (documented).
    /// </summary>
    /// <param name="query">The filter, page size and continuation token.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The page and the token of the next one.</returns>
    /// <exception cref="ArgumentException">The continuation token is not one this store issued.</exception>
    Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken);
}
