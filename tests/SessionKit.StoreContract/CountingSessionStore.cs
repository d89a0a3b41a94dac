namespace SessionKit.StoreContract;

/// <summary>
/// Wraps the app's real <see cref="ISessionStore"/>: counts every call (to prove bad tokens never reach the store) and
/// can simulate an outage (every call fails, or never completes).
/// </summary>
public sealed class CountingSessionStore(ISessionStore inner) : ISessionStore
{
    private int _calls;
    private int _touches;

    /// <summary>How many store calls were made so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>How many of them were touches (sliding-expiry writes).</summary>
    public int Touches => Volatile.Read(ref _touches);

    /// <summary>The simulated outage, or <see cref="StoreOutage.None"/>.</summary>
    public StoreOutage Outage { get; set; }

    /// <summary>The wrapped store.</summary>
    public ISessionStore Inner => inner;

    public Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => Call(() => inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken));

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Call(() => inner.GetAsync(key, cancellationToken));

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _touches);
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

    private Task<T> Call<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls);
        return Outage switch
        {
            StoreOutage.Throws => Task.FromException<T>(new IOException("Simulated store outage: connection refused.")),
            StoreOutage.Hangs => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously).Task,
            _ => call(),
        };
    }
}

/// <summary>How <see cref="CountingSessionStore"/> fails.</summary>
public enum StoreOutage
{
    /// <summary>The store works.</summary>
    None,

    /// <summary>Every call fails at once (connection refused).</summary>
    Throws,

    /// <summary>Every call never completes (a black-holed server): the manager's store timeout applies.</summary>
    Hangs,
}
