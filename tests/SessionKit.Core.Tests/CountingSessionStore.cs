namespace SessionKit.Core.Tests;

/// <summary>Wraps a store and counts calls, or fails them on demand (to simulate an outage).</summary>
internal sealed class CountingSessionStore(ISessionStore inner) : ISessionStore
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public int Touches { get; private set; }

    /// <summary>When set, every call fails with this exception.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>When set, every call waits for this task first (a store that hangs).</summary>
    public Task? Hang { get; set; }

    public Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => Call(() => inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken));

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Call(() => inner.GetAsync(key, cancellationToken));

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        Touches++;
        return Call(() => inner.TouchAsync(key, lastSeenAt, idleExpiresAt, cancellationToken));
    }

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
        => Call(() => inner.UpdateAsync(session, expectedVersion, cancellationToken));

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
        => Call(() => inner.DeleteAsync(key, cancellationToken));

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Call(() => inner.ListBySubjectAsync(subject, cancellationToken));

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Call(() => inner.DeleteBySubjectAsync(subject, cancellationToken));

    public Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
        => Call(() => inner.UpdateClaimsBySubjectAsync(subject, claims, permissions, cancellationToken));

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
        => Call(() => inner.DeleteAllAsync(cancellationToken));

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls);
        if (Hang is { } hang)
        {
            await hang;
        }

        if (FailWith is { } failure)
        {
            throw failure;
        }

        return await call();
    }
}
