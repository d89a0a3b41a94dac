using System.Collections.Concurrent;

namespace SessionKit.InMemory;

/// <summary>
/// The default <see cref="ISessionStore"/>: process memory, for development and single-instance apps. Sessions
/// are lost on restart and are not shared between instances (use the Redis or MongoDB store for that).
/// </summary>
/// <remarks>
/// Reads are lock-free. Every change takes the lock of the subject's index entry, which makes the per-subject
/// maximum, compare-and-set and the subject index exact under concurrency without a global lock. Expired records
/// are invisible at once and purged by a timer, so memory stays bounded by the live sessions.
/// </remarks>
internal sealed class InMemorySessionStore : ISessionStore, IDisposable
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubjectIndex> _subjects = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _purgeTimer;

    public InMemorySessionStore(TimeProvider time, TimeSpan purgeInterval)
    {
        _time = time;
        _purgeTimer = time.CreateTimer(static state => ((InMemorySessionStore)state!).PurgeExpired(), this, purgeInterval, purgeInterval);
    }

    /// <summary>How many records are held, expired or not (for tests and diagnostics).</summary>
    internal int RecordCount => _sessions.Count;

    /// <summary>How many subject index entries are held (for tests and diagnostics).</summary>
    internal int SubjectCount => _subjects.Count;

    public Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var evicted = WithSubject(session.Subject, create: true, index =>
        {
            var now = _time.GetUtcNow();
            PruneExpired(index, now);
            var evicted = new List<SessionKey>();
            if (maxSessionsPerSubject > 0)
            {
                var live = LiveRecords(index, now);
                for (var i = 0; i <= live.Count - maxSessionsPerSubject; i++)
                {
                    Remove(index, live[i].Key.Hash);
                    evicted.Add(live[i].Key);
                }
            }

            if (!_sessions.TryAdd(session.Key.Hash, session with { Version = 1 }))
            {
                throw new InvalidOperationException("A session with this key already exists.");
            }

            index.Hashes.Add(session.Key.Hash);
            return evicted;
        });
        return Task.FromResult<IReadOnlyList<SessionKey>>(evicted ?? []);
    }

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Task.FromResult(FindLive(key, _time.GetUtcNow()));

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
        => Task.FromResult(Mutate(key, current => current with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt }));

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Task.FromResult(Mutate(session.Key, current =>
            current.Version == expectedVersion && string.Equals(current.Subject, session.Subject, StringComparison.Ordinal)
                ? session with { Version = expectedVersion + 1 }
                : null));
    }

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(key.Hash, out var found) || !SamePartition(found, key))
        {
            return Task.FromResult(false);
        }

        var deleted = WithSubject(found.Subject, create: false, index =>
            _sessions.TryGetValue(key.Hash, out var current) && Remove(index, key.Hash) && !current.IsExpiredAt(_time.GetUtcNow()));
        return Task.FromResult(deleted);
    }

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var list = WithSubject(subject, create: false, index => LiveRecords(index, _time.GetUtcNow()));
        return Task.FromResult<IReadOnlyList<SessionRecord>>(list ?? []);
    }

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var deleted = WithSubject(subject, create: false, index =>
        {
            var live = LiveRecords(index, _time.GetUtcNow());
            foreach (var hash in index.Hashes.ToArray())
            {
                Remove(index, hash);
            }

            return live.ConvertAll(r => r.Key);
        });
        return Task.FromResult<IReadOnlyList<SessionKey>>(deleted ?? []);
    }

    public Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        var updated = WithSubject(subject, create: false, index =>
        {
            var live = LiveRecords(index, _time.GetUtcNow());
            foreach (var record in live)
            {
                _sessions[record.Key.Hash] = record with { Claims = claims, Permissions = permissions, Version = record.Version + 1 };
            }

            return live.ConvertAll(r => r.Key);
        });
        return Task.FromResult<IReadOnlyList<SessionKey>>(updated ?? []);
    }

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        foreach (var subject in _subjects.Keys)
        {
            count += DeleteBySubjectAsync(subject, cancellationToken).Result.Count;
        }

        return Task.FromResult(count);
    }

    /// <summary>Removes every expired record and every emptied subject entry.</summary>
    internal void PurgeExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (hash, record) in _sessions)
        {
            if (record.IsExpiredAt(now))
            {
                WithSubject(record.Subject, create: false, index =>
                {
                    if (_sessions.TryGetValue(hash, out var current) && current.IsExpiredAt(now))
                    {
                        Remove(index, hash);
                    }

                    return true;
                });
            }
        }
    }

    public void Dispose() => _purgeTimer.Dispose();

    private SessionRecord? FindLive(SessionKey key, DateTimeOffset now)
        => _sessions.TryGetValue(key.Hash, out var record) && SamePartition(record, key) && !record.IsExpiredAt(now) ? record : null;

    private static bool SamePartition(SessionRecord record, SessionKey key)
        => string.Equals(record.Key.Partition, key.Partition, StringComparison.Ordinal);

    /// <summary>Replaces a live record under its subject's lock; <paramref name="change"/> returns null to refuse.</summary>
    private bool Mutate(SessionKey key, Func<SessionRecord, SessionRecord?> change)
    {
        if (FindLive(key, _time.GetUtcNow()) is not { } found)
        {
            return false;
        }

        return WithSubject(found.Subject, create: false, _ =>
        {
            if (FindLive(key, _time.GetUtcNow()) is not { } current || change(current) is not { } next)
            {
                return false;
            }

            _sessions[key.Hash] = next;
            return true;
        });
    }

    private List<SessionRecord> LiveRecords(SubjectIndex index, DateTimeOffset now)
    {
        var live = new List<SessionRecord>(index.Hashes.Count);
        foreach (var hash in index.Hashes)
        {
            if (_sessions.TryGetValue(hash, out var record) && !record.IsExpiredAt(now))
            {
                live.Add(record);
            }
        }

        live.Sort(static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return live;
    }

    private void PruneExpired(SubjectIndex index, DateTimeOffset now)
    {
        foreach (var hash in index.Hashes.ToArray())
        {
            if (!_sessions.TryGetValue(hash, out var record) || record.IsExpiredAt(now))
            {
                Remove(index, hash);
            }
        }
    }

    private bool Remove(SubjectIndex index, string hash)
    {
        index.Hashes.Remove(hash);
        return _sessions.TryRemove(hash, out _);
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the lock of the subject's index entry, and drops the entry when it
    /// is left empty. A concurrent caller that finds a dropped entry retries with a fresh one.
    /// </summary>
    private T? WithSubject<T>(string subject, bool create, Func<SubjectIndex, T> action)
    {
        while (true)
        {
            SubjectIndex? index;
            if (create)
            {
                index = _subjects.GetOrAdd(subject, static _ => new SubjectIndex());
            }
            else if (!_subjects.TryGetValue(subject, out index))
            {
                return default;
            }

            lock (index)
            {
                if (index.Dropped)
                {
                    continue;
                }

                var result = action(index);
                if (index.Hashes.Count == 0)
                {
                    index.Dropped = true;
                    _subjects.TryRemove(new KeyValuePair<string, SubjectIndex>(subject, index));
                }

                return result;
            }
        }
    }

    private sealed class SubjectIndex
    {
        public HashSet<string> Hashes { get; } = new(StringComparer.Ordinal);

        public bool Dropped { get; set; }
    }
}
