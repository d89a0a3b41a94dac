using System.Collections.Concurrent;
using SessionKit.Diagnostics;

namespace SessionKit.Caching;

/// <summary>
/// Serves recently read sessions from process memory, for at most <see cref="SessionCacheOptions.MaxStaleness"/> and
/// only while the store's <see cref="ISessionChangeFeed"/> is current. Every change made through this instance evicts
/// the entry at once; changes made on other instances arrive through the feed.
/// </summary>
/// <remarks>
/// Any invalidation bumps a generation counter, and a read only caches what it fetched if no invalidation happened
/// while it was in flight: otherwise a revocation racing with a read could be undone by the read's stale result.
/// </remarks>
internal sealed class CachingSessionStore : ISessionStore, IDisposable
{
    private readonly ISessionStore _inner;
    private readonly ISessionChangeFeed _feed;
    private readonly SessionCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly SessionKitMetrics _metrics;
    private readonly ConcurrentDictionary<string, CachedSession> _entries = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private long _generation;

    public CachingSessionStore(ISessionStore inner, ISessionChangeFeed feed, SessionCacheOptions options, TimeProvider time, SessionKitMetrics metrics)
    {
        _inner = inner;
        _feed = feed;
        _options = options;
        _time = time;
        _metrics = metrics;
        _subscription = feed.Subscribe(Invalidate, Clear);
    }

    internal int Count => _entries.Count;

    /// <summary>The cache hit path: no store call, no timer. A miss is counted by the read that follows.</summary>
    public bool TryGetFresh(SessionKey key, out SessionRecord session)
    {
        if (_feed.IsCurrent
            && _entries.TryGetValue(key.Hash, out var cached)
            && _time.GetElapsedTime(cached.CachedAt) < _options.MaxStaleness
            && !cached.Session.IsExpiredAt(_time.GetUtcNow())
            && string.Equals(cached.Session.Key.Partition, key.Partition, StringComparison.Ordinal))
        {
            _metrics.CacheHit();
            session = cached.Session;
            return true;
        }

        session = null!;
        return false;
    }

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (TryGetFresh(key, out var fresh))
        {
            return fresh;
        }

        _metrics.CacheMiss();
        _entries.TryRemove(key.Hash, out _);
        var generation = Volatile.Read(ref _generation);
        var session = await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (session is not null && _feed.IsCurrent && _entries.Count < _options.MaxEntries)
        {
            _entries[key.Hash] = new CachedSession(session, _time.GetTimestamp());
            if (Volatile.Read(ref _generation) != generation)
            {
                // An invalidation raced with this read: what we fetched may already be stale.
                _entries.TryRemove(key.Hash, out _);
            }
        }

        return session;
    }

    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => InvalidateAroundAsync(() => _inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken), static r => r.Evicted);

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        Invalidate(key);
        return _inner.TouchAsync(key, lastSeenAt, idleExpiresAt, cancellationToken);
    }

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        Invalidate(session.Key);
        return _inner.UpdateAsync(session, expectedVersion, cancellationToken);
    }

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        Invalidate(key);
        return _inner.DeleteAsync(key, cancellationToken);
    }

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
        => _inner.ListBySubjectAsync(subject, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
        => InvalidateAroundAsync(() => _inner.DeleteBySubjectAsync(subject, except, cancellationToken), static keys => keys);

    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
        => InvalidateAroundAsync(() => _inner.UpdateSubjectClaimsAsync(subject, claims, retainUntil, cancellationToken), static r => r.Updated);

    public async Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        Clear();
        try
        {
            return await _inner.DeleteAllAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Clear();
        }
    }

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
        => _inner.QueryAsync(query, cancellationToken);

    public void Dispose() => _subscription.Dispose();

    private void Invalidate(SessionKey key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key.Hash, out _);
    }

    private void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    // Subject-wide changes invalidate the keys the store reports (evicted, deleted or updated sessions), and bump the
    // generation before the call so that reads in flight do not cache pre-change records.
    private async Task<T> InvalidateAroundAsync<T>(Func<Task<T>> change, Func<T, IReadOnlyList<SessionKey>> changedKeys)
    {
        Interlocked.Increment(ref _generation);
        var result = await change().ConfigureAwait(false);
        foreach (var key in changedKeys(result))
        {
            Invalidate(key);
        }

        return result;
    }

    private sealed record CachedSession(SessionRecord Session, long CachedAt);
}
