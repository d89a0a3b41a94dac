using System.Collections.Concurrent;
using SessionKit.Diagnostics;

namespace SessionKit.Caching;

/// <summary>
/// Serves recently read sessions from process memory for at most <see cref="SessionCacheOptions.MaxStaleness"/>.
/// Every change made through this instance evicts the entry at once; changes made on other instances arrive
/// through the store's <see cref="ISessionChangeFeed"/> when it has one.
/// </summary>
/// <remarks>
/// Any invalidation bumps a generation counter, and a read only caches what it fetched if no invalidation happened
/// while it was in flight: otherwise a revocation racing with a read could be undone by the read's stale result.
/// </remarks>
internal sealed class CachingSessionStore : ISessionStore, IDisposable
{
    private readonly ISessionStore _inner;
    private readonly SessionCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly SessionKitMetrics _metrics;
    private readonly ConcurrentDictionary<string, CachedSession> _entries = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;
    private long _generation;

    // With a change feed, entries are trusted only while the feed is receiving; without one, staleness is bounded
    // by MaxStaleness alone (and changes made through this instance evict at once).
    private volatile bool _trusted;

    public CachingSessionStore(ISessionStore inner, SessionCacheOptions options, TimeProvider time, SessionKitMetrics metrics)
    {
        _inner = inner;
        _options = options;
        _time = time;
        _metrics = metrics;
        _trusted = inner is not ISessionChangeFeed;
        _subscription = (inner as ISessionChangeFeed)?.Subscribe(Invalidate, Reset);
    }

    internal int Count => _entries.Count;

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!_trusted)
        {
            _metrics.CacheMiss();
            return await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }

        if (_entries.TryGetValue(key.Hash, out var cached))
        {
            if (_time.GetElapsedTime(cached.CachedAt) < _options.MaxStaleness
                && !cached.Session.IsExpiredAt(_time.GetUtcNow())
                && string.Equals(cached.Session.Key.Partition, key.Partition, StringComparison.Ordinal))
            {
                _metrics.CacheHit();
                return cached.Session;
            }

            _entries.TryRemove(new KeyValuePair<string, CachedSession>(key.Hash, cached));
        }

        _metrics.CacheMiss();
        var generation = Volatile.Read(ref _generation);
        var session = await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (session is not null && _trusted && _entries.Count < _options.MaxEntries)
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

    public Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
        => InvalidateAfterAsync(_inner.CreateAsync(session, maxSessionsPerSubject, cancellationToken));

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

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken)
        => InvalidateAfterAsync(_inner.DeleteBySubjectAsync(subject, cancellationToken));

    public Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
        => InvalidateAfterAsync(_inner.UpdateClaimsBySubjectAsync(subject, claims, permissions, cancellationToken));

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

    public void Dispose() => _subscription?.Dispose();

    private void Invalidate(SessionKey key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key.Hash, out _);
    }

    private void Reset(bool listening)
    {
        _trusted = listening;
        Clear();
    }

    private void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    // Subject-wide changes invalidate the keys the store reports (evicted, deleted or updated sessions), and bump
    // the generation before the call so that reads in flight do not cache pre-change records.
    private async Task<IReadOnlyList<SessionKey>> InvalidateAfterAsync(Task<IReadOnlyList<SessionKey>> change)
    {
        Interlocked.Increment(ref _generation);
        var keys = await change.ConfigureAwait(false);
        foreach (var key in keys)
        {
            Invalidate(key);
        }

        return keys;
    }

    private sealed record CachedSession(SessionRecord Session, long CachedAt);
}
