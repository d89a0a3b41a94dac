using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Caching;
using SessionKit.Diagnostics;

namespace SessionKit;

/// <summary>
/// The request path of SessionKit, between the authentication handlers (or your own code) and the store: issues ids,
/// binds sessions to their scheme, enforces idle and absolute expiry on every read, coalesces sliding touches, rotates
/// and revokes, and saves session data. Operator tasks (queries, revoking a user or everyone, claims updates) are on
/// <see cref="SessionAdminService"/>.
/// </summary>
/// <remarks>
/// Every store call goes through one pipeline: <see cref="SessionKitOptions.StoreTimeout"/> as a cancellation token,
/// the local cache when it is on, and one error rule — a store that cannot answer raises
/// <see cref="SessionStoreUnavailableException"/> and the request fails closed.
/// </remarks>
public sealed class SessionManager
{
    private static readonly Task<SessionValidationResult> MalformedResult = Task.FromResult(SessionValidationResult.Malformed);

    private readonly SessionStorePipeline _store;
    private readonly IOptionsMonitor<SessionKitOptions> _options;
    private readonly SessionClock _clock;
    private readonly SessionKitMetrics _metrics;
    private readonly ILogger _logger;

    internal SessionManager(SessionStorePipeline store, IOptionsMonitor<SessionKitOptions> options, TimeProvider time, SessionKitMetrics metrics, ILogger<SessionManager> logger)
    {
        _store = store;
        _options = options;
        _clock = new SessionClock(time);
        _metrics = metrics;
        _logger = logger;
    }

    internal SessionStorePipeline Store => _store;

    internal SessionKitOptions Options => _options.CurrentValue;

    internal SessionClock Clock => _clock;

    internal SessionKitMetrics Metrics => _metrics;

    /// <summary>
    /// Creates a session with a fresh id. If <see cref="SessionCreateRequest.ReplacesSessionId"/> names a live session,
    /// that session is revoked first (no fixation). Applies <see cref="SessionKitOptions.MaxSessionsPerSubject"/>.
    /// </summary>
    /// <param name="request">The subject, scheme, claims, permissions and client metadata.</param>
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
        var now = _clock.Now();
        var (secret, key) = SessionIds.Create();
        var absolute = now + options.AbsoluteLifetime;
        var record = new SessionRecord
        {
            Key = key,
            Subject = request.Subject,
            Scheme = request.Scheme,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = SessionClock.Min(now + options.IdleTimeout, absolute),
            AbsoluteExpiresAt = absolute,
            Claims = [.. request.Claims],
            Permissions = [.. request.Permissions.Distinct(StringComparer.Ordinal)],
            ClaimsVersion = request.ClaimsVersion,
            Client = SessionClientText.Clean(request.Client, options.MaxUserAgentLength),
            Version = 1,
        };
        return await StoreNewAsync(record, secret, options.Events.OnCreated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates a session id as received from a client for the scheme <paramref name="scheme"/>: its shape (no store
    /// call for malformed ids), then the store, then the scheme the session was issued for, then the idle and absolute
    /// expiry under the current options. Extends the sliding expiry when <see cref="SessionKitOptions.TouchThreshold"/>
    /// of the idle timeout has passed since the last write.
    /// </summary>
    /// <param name="sessionId">The session id the client presented.</param>
    /// <param name="scheme">The authentication scheme asking; a session issued for another scheme is refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result; <see cref="SessionValidationResult.Session"/> holds the live record when valid.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer: fail closed.</exception>
    public Task<SessionValidationResult> ValidateAsync(string? sessionId, string scheme, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        if (!SessionIds.TryParse(sessionId, out var key))
        {
            _metrics.Rejected(SessionValidationStatus.Malformed);
            return MalformedResult;
        }

        return ValidateKeyAsync(key, scheme, cancellationToken);
    }

    /// <summary>
    /// <see cref="ValidateAsync"/> for a session id already parsed into its key (the JWT validator remembers the verified
    /// tokens it has seen with their sessions' keys, to skip re-hashing the id on every request).
    /// </summary>
    internal async Task<SessionValidationResult> ValidateKeyAsync(SessionKey key, string scheme, CancellationToken cancellationToken)
    {
        var record = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Reject(key, SessionValidationStatus.NotFound);
        }

        if (!string.Equals(record.Scheme, scheme, StringComparison.Ordinal))
        {
            return Reject(key, SessionValidationStatus.SchemeMismatch);
        }

        var options = Options;
        var now = _clock.Now();
        if (SessionClock.IsExpired(record, options, now))
        {
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            _logger.SessionExpired(LoggingExtensions.SessionRef(key));
            await options.Events.OnExpired(new SessionEventContext(key, record.Subject, record)).ConfigureAwait(false);
            return Reject(key, SessionValidationStatus.Expired);
        }

        if (now - record.LastSeenAt >= options.IdleTimeout * options.TouchThreshold)
        {
            var idleExpiresAt = SessionClock.Min(now + options.IdleTimeout, SessionClock.EffectiveAbsoluteExpiry(record, options));
            if (!await _store.TouchAsync(key, now, idleExpiresAt, cancellationToken).ConfigureAwait(false))
            {
                // Revoked between our read and our touch: the revocation wins.
                return Reject(key, SessionValidationStatus.NotFound);
            }

            record = record with { LastSeenAt = now, IdleExpiresAt = idleExpiresAt };
            _metrics.Touched();
            await options.Events.OnRefreshed(new SessionEventContext(key, record.Subject, record)).ConfigureAwait(false);
        }

        _metrics.Validated();
        return SessionValidationResult.Valid(record);
    }

    /// <summary>
    /// Replaces a live session by a new id with the same subject, scheme, claims, data and absolute expiry (use after a
    /// privilege change). The old id stops working before the new one exists.
    /// </summary>
    /// <param name="sessionId">The current session id.</param>
    /// <param name="scheme">The scheme the session was issued for.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new session, or <see langword="null"/> when the current one is not valid.</returns>
    public async Task<NewSession?> RotateAsync(string sessionId, string scheme, CancellationToken cancellationToken = default)
    {
        var current = await ValidateAsync(sessionId, scheme, cancellationToken).ConfigureAwait(false);
        if (current.Session is not { } old || !await _store.DeleteAsync(old.Key, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _metrics.Revoked(SessionRevocationReason.Rotated);
        var options = Options;
        var now = _clock.Now();
        var (secret, key) = SessionIds.Create();
        var record = old with
        {
            Key = key,
            LastSeenAt = now,
            IdleExpiresAt = SessionClock.Min(now + options.IdleTimeout, old.AbsoluteExpiresAt),
            Version = 1,
        };
        await options.Events.OnRevoked(new SessionEventContext(old.Key, old.Subject, old, SessionRevocationReason.Rotated)).ConfigureAwait(false);
        var rotated = await StoreNewAsync(record, secret, options.Events.OnRotated, cancellationToken).ConfigureAwait(false);
        _metrics.Rotated();
        _logger.SessionRotated(LoggingExtensions.SessionRef(old.Key), LoggingExtensions.SessionRef(rotated.Session.Key));
        return rotated;
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

    /// <summary>Lists a subject's live sessions, oldest first (for a "your devices" page).</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The live sessions.</returns>
    public async Task<IReadOnlyList<SessionRecord>> ListAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var options = Options;
        var now = _clock.Now();
        var sessions = await _store.ListBySubjectAsync(subject, cancellationToken).ConfigureAwait(false);
        return [.. sessions.Where(s => !SessionClock.IsExpired(s, options, now))];
    }

    /// <summary>Revokes all of the subject's sessions but <paramref name="current"/> ("sign out of all other devices").</summary>
    /// <param name="current">The session to keep (usually the one of this request).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked.</returns>
    public Task<int> RevokeOthersAsync(SessionRecord current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        return RevokeSubjectAsync(current.Subject, SessionRevocationReason.LogoutEverywhere, current.Key, cancellationToken);
    }

    /// <summary>
    /// Changes a session's data: sets the entries whose value is not <see langword="null"/> and removes the others, with
    /// compare-and-set, re-applying the changes when another request changed the session meanwhile — so concurrent changes
    /// of different keys are all kept, and of one key the last save wins.
    /// </summary>
    /// <param name="key">The session's key.</param>
    /// <param name="changes">Key → new value, or <see langword="null"/> to remove the key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated record, or <see langword="null"/> when the session is gone.</returns>
    /// <exception cref="SessionDataTooLargeException">The data would exceed <see cref="SessionKitOptions.MaxDataBytes"/>; nothing was saved.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer.</exception>
    public Task<SessionRecord?> UpdateDataAsync(SessionKey key, IReadOnlyDictionary<string, byte[]?> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return SessionDataWriter.SaveAsync(this, key, basis: null, changes, cancellationToken);
    }

    /// <summary>One read of a key that cannot exist: succeeds when the store answers in time (health checks).</summary>
    internal Task ProbeStoreAsync(CancellationToken cancellationToken)
        => _store.GetAsync(SessionIds.Create().Key, cancellationToken);

    internal async Task<int> RevokeSubjectAsync(string subject, SessionRevocationReason reason, SessionKey? except, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var revoked = await _store.DeleteBySubjectAsync(subject, except, cancellationToken).ConfigureAwait(false);
        _metrics.Revoked(reason, revoked.Count);
        _logger.SubjectSessionsRevoked(revoked.Count, reason);
        foreach (var key in revoked)
        {
            await Options.Events.OnRevoked(new SessionEventContext(key, subject, null, reason)).ConfigureAwait(false);
        }

        return revoked.Count;
    }

    private async Task<NewSession> StoreNewAsync(SessionRecord record, string secret, Func<SessionEventContext, Task> raise, CancellationToken cancellationToken)
    {
        var options = Options;
        var created = await _store.CreateAsync(record, options.MaxSessionsPerSubject, cancellationToken).ConfigureAwait(false);
        var stored = created.Session;
        _metrics.Created();
        _logger.SessionCreated(LoggingExtensions.SessionRef(stored.Key));
        if (created.Evicted.Count > 0)
        {
            _metrics.Evicted(created.Evicted.Count);
            _metrics.Revoked(SessionRevocationReason.Evicted, created.Evicted.Count);
            foreach (var evicted in created.Evicted)
            {
                await options.Events.OnRevoked(new SessionEventContext(evicted, stored.Subject, null, SessionRevocationReason.Evicted)).ConfigureAwait(false);
            }
        }

        try
        {
            await raise(new SessionEventContext(stored.Key, stored.Subject, stored)).ConfigureAwait(false);
        }
        catch
        {
            // The app refused the session: nobody will ever hold its id, so it must not linger (or count toward the
            // per-subject maximum). The app's exception is what the caller sees.
            await _store.DeleteAsync(stored.Key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new NewSession(SessionIds.Format(stored.Key, secret), stored);
    }

    private SessionValidationResult Reject(SessionKey key, SessionValidationStatus status)
    {
        _metrics.Rejected(status);
        _logger.SessionRejected(LoggingExtensions.SessionRef(key), status);
        return status == SessionValidationStatus.Expired ? SessionValidationResult.Expired : SessionValidationResult.NotFound;
    }
}
