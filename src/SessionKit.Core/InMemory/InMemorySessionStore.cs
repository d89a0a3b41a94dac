using System.Collections.Concurrent;

namespace SessionKit.InMemory;

/// <summary>
/// The default <see cref="ISessionStore"/>: process memory, for development and single-instance apps. Sessions
/// are lost on restart and are not shared between instances (use the Redis or MongoDB store for that).
/// </summary>
/// <remarks>
/// Reads are lock-free. Every change takes the lock of the subject's entry, which makes the per-subject maximum,
/// compare-and-set, claims versions and the subject index exact under concurrency without a global lock. Expired
/// records are invisible at once and purged by a timer, so memory stays bounded by the live sessions. Operations
/// complete synchronously, so a cancelled call has either done everything or nothing.
/// </remarks>
internal sealed class InMemorySessionStore : ISessionStore, IDisposable
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubjectEntry> _subjects = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _purgeTimer;

    public InMemorySessionStore(TimeProvider time, TimeSpan purgeInterval)
    {
        _time = time;
        _purgeTimer = time.CreateTimer(static state => ((InMemorySessionStore)state!).PurgeExpired(), this, purgeInterval, purgeInterval);
    }

    /// <summary>How many records are held, expired or not (for tests and diagnostics).</summary>
    internal int RecordCount => _sessions.Count;

    /// <summary>How many subject entries are held (for tests and diagnostics).</summary>
    internal int SubjectCount => _subjects.Count;

    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        var result = WithSubject(session.Subject, create: true, entry =>
        {
            var now = _time.GetUtcNow();
            PruneExpired(entry, now);
            var evicted = new List<SessionKey>();
            if (maxSessionsPerSubject > 0)
            {
                var live = LiveRecords(entry, now);
                for (var i = 0; i <= live.Count - maxSessionsPerSubject; i++)
                {
                    Remove(entry, live[i].Key.Hash);
                    evicted.Add(live[i].Key);
                }
            }

            var stored = entry.Claims is { } latest ? WithSubjectClaims(session, latest) : session;
            stored = stored with { Version = 1 };
            if (!_sessions.TryAdd(session.Key.Hash, stored))
            {
                throw new InvalidOperationException("A session with this key already exists.");
            }

            entry.Hashes.Add(session.Key.Hash);
            return new SessionCreateResult(stored, evicted);
        });
        return Task.FromResult(result!);
    }

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        => Task.FromResult(FindLive(key, _time.GetUtcNow()));

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Mutate(key, current => current with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt }));
    }

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Mutate(session.Key, current =>
            current.Version == expectedVersion
            && string.Equals(current.Subject, session.Subject, StringComparison.Ordinal)
            && string.Equals(current.Scheme, session.Scheme, StringComparison.Ordinal)
                ? session with { Version = expectedVersion + 1 }
                : null));
    }

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_sessions.TryGetValue(key.Hash, out var found) || !SamePartition(found, key))
        {
            return Task.FromResult(false);
        }

        var deleted = WithSubject(found.Subject, create: false, entry =>
            _sessions.TryGetValue(key.Hash, out var current) && Remove(entry, key.Hash) && !current.IsExpiredAt(_time.GetUtcNow()));
        return Task.FromResult(deleted);
    }

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var list = WithSubject(subject, create: false, entry => LiveRecords(entry, _time.GetUtcNow()));
        return Task.FromResult<IReadOnlyList<SessionRecord>>(list ?? []);
    }

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        cancellationToken.ThrowIfCancellationRequested();
        var deleted = WithSubject(subject, create: false, entry =>
        {
            var now = _time.GetUtcNow();
            var live = new List<SessionKey>();
            foreach (var hash in entry.Hashes.ToArray())
            {
                if (except is { } kept && kept.Hash == hash && _sessions.TryGetValue(hash, out var keptRecord) && SamePartition(keptRecord, kept))
                {
                    continue;
                }

                if (_sessions.TryGetValue(hash, out var record) && !record.IsExpiredAt(now))
                {
                    live.Add(record.Key);
                }

                Remove(entry, hash);
            }

            return live;
        });
        return Task.FromResult<IReadOnlyList<SessionKey>>(deleted ?? []);
    }

    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(claims);
        cancellationToken.ThrowIfCancellationRequested();
        var result = WithSubject(subject, create: true, entry =>
        {
            var latest = entry.Claims?.Version ?? 0;
            var version = claims.Version == 0 ? latest + 1 : claims.Version;
            if (version <= latest)
            {
                return new SubjectClaimsUpdateResult(false, latest, []);
            }

            entry.Claims = claims with { Version = version };
            entry.RetainUntil = entry.RetainUntil > retainUntil ? entry.RetainUntil : retainUntil;
            var updated = new List<SessionKey>();
            foreach (var record in LiveRecords(entry, _time.GetUtcNow()))
            {
                if (record.ClaimsVersion < version)
                {
                    _sessions[record.Key.Hash] = record with
                    {
                        Claims = entry.Claims.Claims,
                        Permissions = entry.Claims.Permissions,
                        ClaimsVersion = version,
                        Version = record.Version + 1,
                    };
                    updated.Add(record.Key);
                }
            }

            return new SubjectClaimsUpdateResult(true, version, updated);
        });
        return Task.FromResult(result!);
    }

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        foreach (var subject in _subjects.Keys)
        {
            count += DeleteBySubjectAsync(subject, except: null, cancellationToken).Result.Count;
        }

        return Task.FromResult(count);
    }

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _time.GetUtcNow();
        var after = InMemoryQueryPosition.Parse(query.ContinuationToken);
        IEnumerable<SessionRecord> candidates = query.Subject is { } subject
            ? (IEnumerable<SessionRecord>?)WithSubject(subject, create: false, entry => LiveRecords(entry, now)) ?? []
            : _sessions.Values;
        var page = new List<SessionRecord>(query.PageSize + 1);
        foreach (var record in candidates
                     .Where(r => !r.IsExpiredAt(now) && query.Matches(r) && InMemoryQueryPosition.IsAfter(r, after))
                     .OrderBy(r => r.CreatedAt).ThenBy(r => r.Key.Hash, StringComparer.Ordinal)
                     .Take(query.PageSize + 1))
        {
            page.Add(record);
        }

        if (page.Count <= query.PageSize)
        {
            return Task.FromResult(new SessionQueryPage(page, null));
        }

        page.RemoveAt(page.Count - 1);
        return Task.FromResult(new SessionQueryPage(page, InMemoryQueryPosition.Format(page[^1])));
    }

    /// <summary>Removes every expired record, every emptied subject entry whose claims need not be kept any longer.</summary>
    internal void PurgeExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (hash, record) in _sessions)
        {
            if (record.IsExpiredAt(now))
            {
                WithSubject(record.Subject, create: false, entry =>
                {
                    if (_sessions.TryGetValue(hash, out var current) && current.IsExpiredAt(now))
                    {
                        Remove(entry, hash);
                    }

                    return true;
                });
            }
        }

        foreach (var subject in _subjects.Keys)
        {
            WithSubject(subject, create: false, static _ => true);
        }
    }

    public void Dispose() => _purgeTimer.Dispose();

    private static SessionRecord WithSubjectClaims(SessionRecord session, SubjectClaims latest)
        => session.ClaimsVersion == 0 ? session with { ClaimsVersion = latest.Version }
            : session.ClaimsVersion >= latest.Version ? session
            : session with { Claims = latest.Claims, Permissions = latest.Permissions, ClaimsVersion = latest.Version };

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

    private List<SessionRecord> LiveRecords(SubjectEntry entry, DateTimeOffset now)
    {
        var live = new List<SessionRecord>(entry.Hashes.Count);
        foreach (var hash in entry.Hashes)
        {
            if (_sessions.TryGetValue(hash, out var record) && !record.IsExpiredAt(now))
            {
                live.Add(record);
            }
        }

        live.Sort(static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return live;
    }

    private void PruneExpired(SubjectEntry entry, DateTimeOffset now)
    {
        foreach (var hash in entry.Hashes.ToArray())
        {
            if (!_sessions.TryGetValue(hash, out var record) || record.IsExpiredAt(now))
            {
                Remove(entry, hash);
            }
        }
    }

    private bool Remove(SubjectEntry entry, string hash)
    {
        entry.Hashes.Remove(hash);
        return _sessions.TryRemove(hash, out _);
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the lock of the subject's entry, and drops the entry when it holds no
    /// session and no claims that must still be kept. A concurrent caller that finds a dropped entry retries with a
    /// fresh one.
    /// </summary>
    private T? WithSubject<T>(string subject, bool create, Func<SubjectEntry, T> action)
    {
        while (true)
        {
            SubjectEntry? entry;
            if (create)
            {
                entry = _subjects.GetOrAdd(subject, static _ => new SubjectEntry());
            }
            else if (!_subjects.TryGetValue(subject, out entry))
            {
                return default;
            }

            lock (entry)
            {
                if (entry.Dropped)
                {
                    continue;
                }

                var result = action(entry);
                if (entry.Hashes.Count == 0 && entry.RetainUntil <= _time.GetUtcNow())
                {
                    entry.Dropped = true;
                    _subjects.TryRemove(new KeyValuePair<string, SubjectEntry>(subject, entry));
                }

                return result;
            }
        }
    }

    private sealed class SubjectEntry
    {
        public HashSet<string> Hashes { get; } = new(StringComparer.Ordinal);

        /// <summary>The subject's latest claims from <see cref="UpdateSubjectClaimsAsync"/>, when it has had any.</summary>
        public SubjectClaims? Claims { get; set; }

        public DateTimeOffset RetainUntil { get; set; }

        public bool Dropped { get; set; }
    }
}
