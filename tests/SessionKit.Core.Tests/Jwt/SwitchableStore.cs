namespace SessionKit.Core.Tests.Jwt;

/// <summary>An <see cref="ISessionStore"/> that can be switched off: every call then fails like a refused connection.</summary>
internal sealed class SwitchableStore(ISessionStore inner) : ISessionStore
{
    public bool Down { get; set; }

    /// <summary>When set, every call fails with this exception (a store bug rather than an outage).</summary>
    public Exception? Fault { get; set; }

    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<SessionCreateResult>() : inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken);

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<SessionRecord?>() : inner.GetAsync(key, cancellationToken);

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<bool>() : inner.TouchAsync(key, lastSeenAt, idleExpiresAt, cancellationToken);

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<bool>() : inner.UpdateAsync(session, expectedVersion, cancellationToken);

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<bool>() : inner.DeleteAsync(key, cancellationToken);

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<IReadOnlyList<SessionRecord>>() : inner.ListBySubjectAsync(subject, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<IReadOnlyList<SessionKey>>() : inner.DeleteBySubjectAsync(subject, except, cancellationToken);

    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<SubjectClaimsUpdateResult>() : inner.UpdateSubjectClaimsAsync(subject, claims, retainUntil, cancellationToken);

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<SessionQueryPage>() : inner.QueryAsync(query, cancellationToken);

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
        => Down || Fault is not null ? Fail<long>() : inner.DeleteAllAsync(cancellationToken);

    private Task<T> Fail<T>() => Task.FromException<T>(Fault ?? new SessionStoreUnavailableException("Simulated outage: connection refused."));
}
