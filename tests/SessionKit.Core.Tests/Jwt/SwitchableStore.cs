namespace SessionKit.Core.Tests.Jwt;

/// <summary>An <see cref="ISessionStore"/> that can be switched off: every call then fails like a refused connection.</summary>
internal sealed class SwitchableStore(ISessionStore inner) : ISessionStore
{
    public bool Down { get; set; }

    public Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => Down ? Fail<IReadOnlyList<SessionKey>>() : inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken);

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Down ? Fail<SessionRecord?>() : inner.GetAsync(key, cancellationToken);

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
        => Down ? Fail<bool>() : inner.TouchAsync(key, lastSeenAt, idleExpiresAt, cancellationToken);

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
        => Down ? Fail<bool>() : inner.UpdateAsync(session, expectedVersion, cancellationToken);

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
        => Down ? Fail<bool>() : inner.DeleteAsync(key, cancellationToken);

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Down ? Fail<IReadOnlyList<SessionRecord>>() : inner.ListBySubjectAsync(subject, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Down ? Fail<IReadOnlyList<SessionKey>>() : inner.DeleteBySubjectAsync(subject, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
        => Down ? Fail<IReadOnlyList<SessionKey>>() : inner.UpdateClaimsBySubjectAsync(subject, claims, permissions, cancellationToken);

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
        => Down ? Fail<long>() : inner.DeleteAllAsync(cancellationToken);

    private static Task<T> Fail<T>() => Task.FromException<T>(new IOException("Simulated outage: connection refused."));
}
