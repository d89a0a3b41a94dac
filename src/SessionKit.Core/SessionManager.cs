using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Diagnostics;

namespace SessionKit;

/// <summary>
/// The session policy layer between the authentication handlers (or your own code) and the
/// <see cref="ISessionStore"/>: issues ids, enforces idle and absolute expiry on every read, coalesces sliding
/// touches, rotates and revokes, and fails closed with <see cref="SessionStoreUnavailableException"/> when the
/// store cannot answer within <see cref="SessionKitOptions.StoreTimeout"/>.
/// </summary>
public sealed class SessionManager
{
    private readonly SessionStoreInvoker _store;
    private readonly IOptionsMonitor<SessionKitOptions> _options;
    private readonly TimeProvider _time;
    private readonly SessionKitMetrics _metrics;
    private readonly ILogger _logger;

    internal SessionManager(ISessionStore store, IOptionsMonitor<SessionKitOptions> options, TimeProvider time, SessionKitMetrics metrics, ILogger<SessionManager> logger)
    {
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _store = new SessionStoreInvoker(store, options, time, metrics, logger);
    }

    private SessionKitOptions Options => _options.CurrentValue;

    /// <summary>
    /// Creates a session with a fresh id. If <see cref="SessionCreateRequest.ReplacesSessionId"/> names a live
    /// session, that session is revoked first (no fixation). Applies <see cref="SessionKitOptions.MaxSessionsPerSubject"/>.
    /// </summary>
    /// <param name="request">The subject, claims, permissions and client metadata.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new session id (give it to the client) and the stored record.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer.</exception>
    public async Task<NewSession> CreateAsync(SessionCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Subject);
        if (request.ReplacesSessionId is not null && SessionIds.TryParse(request.ReplacesSessionId, out var replaced))
        {
            await RevokeAsync(replaced, SessionRevocationReason.Rotated, cancellationToken).ConfigureAwait(false);
        }

        var options = Options;
        var now = Now();
        var (id, key) = SessionIds.Create(request.Subject);
        var absolute = now + options.AbsoluteLifetime;
        var record = new SessionRecord
        {
            Key = key,
            Subject = request.Subject,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = Min(now + options.IdleTimeout, absolute),
            AbsoluteExpiresAt = absolute,
            Claims = [.. request.Claims],
            Permissions = [.. request.Permissions.Distinct(StringComparer.Ordinal)],
            Client = Truncate(request.Client, options.MaxUserAgentLength),
            Version = 1,
        };
        await StoreNewAsync(record, cancellationToken).ConfigureAwait(false);
        await options.Events.OnCreated(new SessionEventContext(key, record.Subject, record)).ConfigureAwait(false);
        return new NewSession(id, record);
    }

    /// <summary>
    /// Validates a session id as received from a client: its shape (no store call for malformed ids), then the
    /// store, then the idle and absolute expiry under the current options. Extends the sliding expiry when
    /// <see cref="SessionKitOptions.TouchThreshold"/> of the idle timeout has passed since the last write.
    /// </summary>
    /// <param name="sessionId">The session id the client presented.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result; <see cref="SessionValidationResult.Session"/> holds the live record when valid.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer: fail closed.</exception>
    public async Task<SessionValidationResult> ValidateAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        if (!SessionIds.TryParse(sessionId, out var key))
        {
            _metrics.Rejected(SessionValidationStatus.Malformed);
            return SessionValidationResult.Malformed;
        }

        var record = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null || !string.Equals(record.Key.Partition, key.Partition, StringComparison.Ordinal))
        {
            return Reject(key, SessionValidationStatus.NotFound);
        }

        var options = Options;
        var now = Now();
        if (IsExpired(record, options, now))
        {
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            _logger.SessionExpired(LoggingExtensions.SessionRef(key));
            await options.Events.OnExpired(new SessionEventContext(key, record.Subject, record)).ConfigureAwait(false);
            return Reject(key, SessionValidationStatus.Expired);
        }

        if (now - record.LastSeenAt >= options.IdleTimeout * options.TouchThreshold)
        {
            var idleExpiresAt = Min(now + options.IdleTimeout, EffectiveAbsoluteExpiry(record, options));
            if (await _store.TouchAsync(key, now, idleExpiresAt, cancellationToken).ConfigureAwait(false))
            {
                record = record with { LastSeenAt = now, IdleExpiresAt = idleExpiresAt };
                _metrics.Touched();
                await options.Events.OnRefreshed(new SessionEventContext(key, record.Subject, record)).ConfigureAwait(false);
            }
            else
            {
                // Revoked between our read and our touch: the revocation wins.
                return Reject(key, SessionValidationStatus.NotFound);
            }
        }

        _metrics.Validated();
        return SessionValidationResult.Valid(record);
    }

    /// <summary>
    /// Replaces a live session by a new id with the same subject, claims and absolute expiry (use after a
    /// privilege change). The old id stops working before the new one exists.
    /// </summary>
    /// <param name="sessionId">The current session id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new session, or <see langword="null"/> when the current one is not valid.</returns>
    public async Task<NewSession?> RotateAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var current = await ValidateAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (current.Session is not { } old || !await _store.DeleteAsync(old.Key, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _metrics.Revoked(SessionRevocationReason.Rotated);
        var options = Options;
        var now = Now();
        var (id, key) = SessionIds.Create(old.Subject);
        var record = old with
        {
            Key = key,
            LastSeenAt = now,
            IdleExpiresAt = Min(now + options.IdleTimeout, old.AbsoluteExpiresAt),
            Version = 1,
        };
        await StoreNewAsync(record, cancellationToken).ConfigureAwait(false);
        _metrics.Rotated();
        _logger.SessionRotated(LoggingExtensions.SessionRef(old.Key), LoggingExtensions.SessionRef(key));
        await options.Events.OnRevoked(new SessionEventContext(old.Key, old.Subject, old, SessionRevocationReason.Rotated)).ConfigureAwait(false);
        await options.Events.OnRotated(new SessionEventContext(key, record.Subject, record)).ConfigureAwait(false);
        return new NewSession(id, record);
    }

    /// <summary>Revokes the session with this id (for example at logout). Idempotent.</summary>
    /// <param name="sessionId">The session id the client presented.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live session was revoked.</returns>
    public Task<bool> RevokeAsync(string sessionId, SessionRevocationReason reason = SessionRevocationReason.Logout, CancellationToken cancellationToken = default)
        => SessionIds.TryParse(sessionId, out var key) ? RevokeAsync(key, reason, cancellationToken) : Task.FromResult(false);

    /// <summary>Revokes a session by its store key (as listed by <see cref="ListAsync"/>). Idempotent.</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live session was revoked.</returns>
    public async Task<bool> RevokeAsync(SessionKey key, SessionRevocationReason reason, CancellationToken cancellationToken = default)
    {
        if (!await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _metrics.Revoked(reason);
        _logger.SessionRevoked(LoggingExtensions.SessionRef(key), reason);
        await Options.Events.OnRevoked(new SessionEventContext(key, null, null, reason)).ConfigureAwait(false);
        return true;
    }

    /// <summary>Revokes all of a subject's sessions, optionally keeping one (for "sign out of all other devices").</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="reason">Why.</param>
    /// <param name="keep">A session to keep, or <see langword="null"/> to revoke all.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked.</returns>
    public async Task<int> RevokeSubjectAsync(string subject, SessionRevocationReason reason = SessionRevocationReason.LogoutEverywhere, SessionKey? keep = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        IReadOnlyList<SessionKey> revoked;
        if (keep is { } kept)
        {
            var sessions = await _store.ListBySubjectAsync(subject, cancellationToken).ConfigureAwait(false);
            var list = new List<SessionKey>(sessions.Count);
            foreach (var session in sessions)
            {
                if (session.Key != kept && await _store.DeleteAsync(session.Key, cancellationToken).ConfigureAwait(false))
                {
                    list.Add(session.Key);
                }
            }

            revoked = list;
        }
        else
        {
            revoked = await _store.DeleteBySubjectAsync(subject, cancellationToken).ConfigureAwait(false);
        }

        _metrics.Revoked(reason, revoked.Count);
        _logger.SubjectSessionsRevoked(revoked.Count, SessionIds.PartitionOf(subject), reason);
        foreach (var key in revoked)
        {
            await Options.Events.OnRevoked(new SessionEventContext(key, subject, null, reason)).ConfigureAwait(false);
        }

        return revoked.Count;
    }

    /// <summary>Revokes every session in the store: everyone is signed out on their next request.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked, or -1 when the store cannot tell.</returns>
    public async Task<long> RevokeAllAsync(SessionRevocationReason reason = SessionRevocationReason.Administrative, CancellationToken cancellationToken = default)
    {
        var count = await _store.DeleteAllAsync(cancellationToken).ConfigureAwait(false);
        _metrics.Revoked(reason, count);
        _logger.AllSessionsRevoked(count, reason);
        return count;
    }

    /// <summary>Lists a subject's live sessions, oldest first (for a "your devices" page).</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The live sessions.</returns>
    public async Task<IReadOnlyList<SessionRecord>> ListAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var options = Options;
        var now = Now();
        var sessions = await _store.ListBySubjectAsync(subject, cancellationToken).ConfigureAwait(false);
        return [.. sessions.Where(s => !IsExpired(s, options, now))];
    }

    /// <summary>
    /// Sets the claims and permissions of every live session of a subject, so that a permission change is seen
    /// on those sessions' next request without a new sign-in.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <param name="claims">The new claims.</param>
    /// <param name="permissions">The new permissions.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were updated.</returns>
    public async Task<int> UpdateSubjectClaimsAsync(string subject, IEnumerable<SessionClaim> claims, IEnumerable<string> permissions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(permissions);
        SessionClaim[] claimList = [.. claims];
        string[] permissionList = [.. permissions.Distinct(StringComparer.Ordinal)];
        var updated = await _store.UpdateClaimsBySubjectAsync(subject, claimList, permissionList, cancellationToken).ConfigureAwait(false);
        _logger.SubjectClaimsUpdated(updated.Count, SessionIds.PartitionOf(subject));
        return updated.Count;
    }

    /// <summary>
    /// Changes one live session with compare-and-set, retrying on concurrent changes, so that no update is lost.
    /// </summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="change">Produces the new record from the current one; may run more than once. Must keep key and subject.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated record, or <see langword="null"/> when the session is not valid.</returns>
    public async Task<SessionRecord?> UpdateAsync(string sessionId, Func<SessionRecord, SessionRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!SessionIds.TryParse(sessionId, out var key))
        {
            return null;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is null || IsExpired(current, Options, Now()))
            {
                return null;
            }

            var next = change(current);
            if (next.Key != current.Key || !string.Equals(next.Subject, current.Subject, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A session update must keep the session's key and subject; use RotateAsync to change the id.");
            }

            if (await _store.UpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false))
            {
                return next with { Version = current.Version + 1 };
            }
        }
    }

    /// <summary>One read of a key that cannot exist: succeeds when the store answers in time (health checks).</summary>
    internal Task ProbeStoreAsync(CancellationToken cancellationToken)
        => _store.GetAsync(SessionIds.Create("sessionkit-health-probe").Key, cancellationToken);

    private async Task StoreNewAsync(SessionRecord record, CancellationToken cancellationToken)
    {
        var options = Options;
        var evicted = await _store.CreateAsync(record, options.MaxSessionsPerSubject, cancellationToken).ConfigureAwait(false);
        _metrics.Created();
        _logger.SessionCreated(LoggingExtensions.SessionRef(record.Key), record.Key.Partition);
        if (evicted.Count > 0)
        {
            _metrics.Evicted(evicted.Count);
            _metrics.Revoked(SessionRevocationReason.Evicted, evicted.Count);
            foreach (var key in evicted)
            {
                await options.Events.OnRevoked(new SessionEventContext(key, record.Subject, null, SessionRevocationReason.Evicted)).ConfigureAwait(false);
            }
        }
    }

    private SessionValidationResult Reject(SessionKey key, SessionValidationStatus status)
    {
        _metrics.Rejected(status);
        _logger.SessionRejected(LoggingExtensions.SessionRef(key), status);
        return status == SessionValidationStatus.Expired ? SessionValidationResult.Expired : SessionValidationResult.NotFound;
    }

    // The current options apply to existing sessions too: shortening a timeout takes effect at once,
    // instead of being frozen into records at creation (a defect of the reference apps).
    private static bool IsExpired(SessionRecord record, SessionKitOptions options, DateTimeOffset now)
        => record.IsExpiredAt(now)
           || now >= record.LastSeenAt + options.IdleTimeout
           || now >= record.CreatedAt + options.AbsoluteLifetime;

    private static DateTimeOffset EffectiveAbsoluteExpiry(SessionRecord record, SessionKitOptions options)
        => Min(record.AbsoluteExpiresAt, record.CreatedAt + options.AbsoluteLifetime);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    // Millisecond precision: what every store can keep (BSON dates, Redis PEXPIREAT), so a record reads back equal.
    private DateTimeOffset Now()
    {
        var ticks = _time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    private static SessionClientInfo Truncate(SessionClientInfo client, int maxUserAgentLength)
        => client.UserAgent is { } agent && agent.Length > maxUserAgentLength
            ? client with { UserAgent = agent[..maxUserAgentLength] }
            : client;
}
