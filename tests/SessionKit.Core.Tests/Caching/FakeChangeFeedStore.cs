namespace SessionKit.Core.Tests.Caching;

/// <summary>A store with a change feed the test fires by hand, standing for another instance's revocations.</summary>
internal sealed class FakeChangeFeedStore(ISessionStore inner) : ISessionStore, ISessionChangeFeed
{
    private Action<SessionKey>? _changed;
    private Action? _reset;

    public int Gets { get; private set; }

    public TaskCompletionSource? GateGets { get; set; }

    public void Publish(SessionKey key) => _changed?.Invoke(key);

    public bool IsCurrent { get; private set; }

    /// <summary>The feed is (again) receiving: caches empty themselves and may cache.</summary>
    public void Listening()
    {
        _reset?.Invoke();
        IsCurrent = true;
    }

    /// <summary>The feed lost its connection: caches serve nothing from memory.</summary>
    public void Disconnected() => IsCurrent = false;

    /// <summary>Everything was deleted: caches empty themselves.</summary>
    public void Reset() => _reset?.Invoke();

    public IDisposable Subscribe(Action<SessionKey> changed, Action reset)
    {
        _changed = changed;
        _reset = reset;
        return new Unsubscriber(this);
    }

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        Gets++;
        var result = await inner.GetAsync(key, cancellationToken);
        if (GateGets is { } gate)
        {
            await gate.Task;
        }

        return result;
    }

    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken) => inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken);

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) => inner.TouchAsync(key, lastSeenAt, idleExpiresAt, cancellationToken);

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken) => inner.UpdateAsync(session, expectedVersion, cancellationToken);

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken) => inner.ListBySubjectAsync(subject, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken) => inner.DeleteBySubjectAsync(subject, except, cancellationToken);

    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken) => inner.UpdateSubjectClaimsAsync(subject, claims, retainUntil, cancellationToken);

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken) => inner.DeleteAllAsync(cancellationToken);

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    private sealed class Unsubscriber(FakeChangeFeedStore owner) : IDisposable
    {
        public void Dispose()
        {
            owner._changed = null;
            owner._reset = null;
        }
    }
}
