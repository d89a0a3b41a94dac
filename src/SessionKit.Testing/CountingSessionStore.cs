namespace SessionKit.Testing;

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

    /// <inheritdoc />
    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => Call(() => inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken));

    /// <inheritdoc />
    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Read(() => inner.GetAsync(key, cancellationToken));

    /// <inheritdoc />
    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _touches);
        return Call(() => inner.TouchAsync(key, lastSeenAt, idleExpiresAt, cancellationToken));
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
        => Call(() => inner.UpdateAsync(session, expectedVersion, cancellationToken));

    /// <inheritdoc />
    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
        => Call(() => inner.DeleteAsync(key, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
        => Read(() => inner.ListBySubjectAsync(subject, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
        => Call(() => inner.DeleteBySubjectAsync(subject, except, cancellationToken));

    /// <inheritdoc />
    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
        => Call(() => inner.UpdateSubjectClaimsAsync(subject, claims, retainUntil, cancellationToken));

    /// <inheritdoc />
    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
        => Call(() => inner.DeleteAllAsync(cancellationToken));

    /// <inheritdoc />
    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
        => Read(() => inner.QueryAsync(query, cancellationToken));

    private Task<T> Read<T>(Func<Task<T>> call)
        => Outage == StoreOutage.ThrowsOnWrites ? Counted(call) : Call(call);

    private Task<T> Counted<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls);
        return call();
    }

    private Task<T> Call<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls);
        return Outage switch
        {
            StoreOutage.Throws or StoreOutage.ThrowsOnWrites => Task.FromException<T>(new SessionStoreUnavailableException("Simulated store outage: connection refused.")),
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

    /// <summary>Every call fails at once, as a store reports a refused connection (<see cref="SessionStoreUnavailableException"/>).</summary>
    Throws,

    /// <summary>Reads work, every change fails (a primary lost, replicas still answering), as <see cref="Throws"/>.</summary>
    ThrowsOnWrites,

    /// <summary>Every call never completes (a black-holed server): the manager's store timeout applies.</summary>
    Hangs,
}
