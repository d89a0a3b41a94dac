using System.Globalization;
using SessionKit;

namespace Example.SessionStore.Tests;

/// <summary>
/// The smallest store that keeps SessionKit's contract: every operation takes one lock, which makes each atomic (the
/// per-subject maximum, compare-and-set and claims versions need nothing more). It keeps subjects' latest claims for
/// ever, so it is a test double, not a production store.
/// </summary>
internal sealed class TinySessionStore(TimeProvider time) : ISessionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubjectClaims> _subjects = new(StringComparer.Ordinal);
    private long _sequence;

    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_subjects.TryGetValue(session.Subject, out var latest) && latest.Version > session.ClaimsVersion)
            {
                session = session.ClaimsVersion == 0
                    ? session with { ClaimsVersion = latest.Version }
                    : session with { Claims = latest.Claims, Permissions = latest.Permissions, ClaimsVersion = latest.Version };
            }

            var evicted = new List<SessionKey>();
            if (maxSessionsPerSubject > 0)
            {
                foreach (var oldest in LiveOf(session.Subject).Take(Math.Max(0, LiveOf(session.Subject).Count() + 1 - maxSessionsPerSubject)).ToList())
                {
                    _sessions.Remove(oldest.Record.Key.Hash);
                    evicted.Add(oldest.Record.Key);
                }
            }

            _sessions[session.Key.Hash] = new Entry(session, ++_sequence);
            return Task.FromResult(new SessionCreateResult(session, evicted));
        }
    }

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(Live(key)?.Record);
        }
    }

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (Live(key) is not { } entry)
            {
                return Task.FromResult(false);
            }

            _sessions[key.Hash] = entry with { Record = entry.Record with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt } };
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (Live(session.Key) is not { } entry
                || entry.Record.Version != expectedVersion
                || entry.Record.Subject != session.Subject
                || entry.Record.Scheme != session.Scheme)
            {
                return Task.FromResult(false);
            }

            _sessions[session.Key.Hash] = entry with { Record = session with { Version = expectedVersion + 1 } };
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(Live(key) is not null && _sessions.Remove(key.Hash));
        }
    }

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SessionRecord>>([.. LiveOf(subject).Select(e => e.Record)]);
        }
    }

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var deleted = LiveOf(subject).Select(e => e.Record.Key).Where(k => k != except).ToList();
            deleted.ForEach(k => _sessions.Remove(k.Hash));
            return Task.FromResult<IReadOnlyList<SessionKey>>(deleted);
        }
    }

    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var current = _subjects.TryGetValue(subject, out var latest) ? latest.Version : 0;
            var version = claims.Version == 0 ? current + 1 : claims.Version;
            if (version <= current)
            {
                return Task.FromResult(new SubjectClaimsUpdateResult(false, current, []));
            }

            _subjects[subject] = claims with { Version = version };
            var updated = new List<SessionKey>();
            foreach (var entry in LiveOf(subject).Where(e => e.Record.ClaimsVersion < version).ToList())
            {
                var record = entry.Record with { Claims = claims.Claims, Permissions = claims.Permissions, ClaimsVersion = version, Version = entry.Record.Version + 1 };
                _sessions[record.Key.Hash] = entry with { Record = record };
                updated.Add(record.Key);
            }

            return Task.FromResult(new SubjectClaimsUpdateResult(true, version, updated));
        }
    }

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long count = _sessions.Count;
            _sessions.Clear();
            return Task.FromResult(count);
        }
    }

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        // The continuation token is the position of the last session returned: sessions deleted meanwhile cannot make
        // the next page skip one that still exists.
        var after = query.ContinuationToken is null ? (Ticks: long.MinValue, Sequence: 0L) : ParseToken(query.ContinuationToken);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var matching = _sessions.Values
                .Where(e => !e.Record.IsExpiredAt(now) && query.Matches(e.Record))
                .OrderBy(e => e.Record.CreatedAt).ThenBy(e => e.Sequence)
                .Where(e => (e.Record.CreatedAt.UtcTicks, e.Sequence).CompareTo(after) > 0)
                .Take(query.PageSize + 1)
                .ToList();
            var page = matching.Take(query.PageSize).ToList();
            var next = matching.Count > query.PageSize
                ? string.Create(CultureInfo.InvariantCulture, $"tiny:{page[^1].Record.CreatedAt.UtcTicks}:{page[^1].Sequence}")
                : null;
            return Task.FromResult(new SessionQueryPage([.. page.Select(e => e.Record)], next));
        }
    }

    private static (long Ticks, long Sequence) ParseToken(string token)
    {
        var parts = token.Split(':');
        return parts.Length == 3 && parts[0] == "tiny"
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? (ticks, sequence)
            : throw new ArgumentException("The continuation token was not issued by this store.", nameof(token));
    }

    // A key is found only with its exact partition and while the session has not expired on this store's clock.
    private Entry? Live(SessionKey key)
        => key.IsWellFormed && _sessions.TryGetValue(key.Hash, out var entry) && entry.Record.Key == key && !entry.Record.IsExpiredAt(time.GetUtcNow())
            ? entry
            : null;

    private IEnumerable<Entry> LiveOf(string subject)
    {
        var now = time.GetUtcNow();
        return _sessions.Values.Where(e => e.Record.Subject == subject && !e.Record.IsExpiredAt(now)).OrderBy(e => e.Record.CreatedAt).ThenBy(e => e.Sequence);
    }

    private sealed record Entry(SessionRecord Record, long Sequence);
}
