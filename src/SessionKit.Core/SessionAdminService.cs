using Microsoft.Extensions.Logging;
using SessionKit.Diagnostics;

namespace SessionKit;

/// <summary>
/// Operator tasks, apart from the request path: a paged, filtered query of all sessions, a user's sessions, revoking a
/// session, a user or everyone, and updating a user's claims and permissions in their live sessions.
/// </summary>
/// <remarks>
/// Protect the endpoints that call it (an operator permission). Every call goes through the same store pipeline as the
/// request path (timeout, cache invalidation, error rule) and raises the same <see cref="SessionEvents"/>.
/// </remarks>
public sealed class SessionAdminService
{
    private readonly SessionManager _sessions;
    private readonly ILogger _logger;

    internal SessionAdminService(SessionManager sessions, ILogger<SessionAdminService> logger)
    {
        _sessions = sessions;
        _logger = logger;
    }

    /// <summary>
    /// Reads one page of the live sessions that match <paramref name="query"/>, without loading all of them: by subject
    /// through the subject index; otherwise in the store's own order (see the store's documentation: Redis pages are
    /// unordered and may repeat a session).
    /// </summary>
    /// <param name="query">The filter, the page size and the previous page's continuation token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page; pass its <see cref="SessionQueryPage.ContinuationToken"/> back for the next one.</returns>
    /// <exception cref="ArgumentException">The page size is out of range or the continuation token is not one this store issued.</exception>
    public async Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > SessionQuery.MaxPageSize)
        {
            throw new ArgumentException($"SessionQuery.PageSize must be between 1 and {SessionQuery.MaxPageSize} (was {query.PageSize}).", nameof(query));
        }

        var page = await _sessions.Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var options = _sessions.Options;
        var now = _sessions.Clock.Now();
        return page.Sessions.All(s => !SessionClock.IsExpired(s, options, now))
            ? page
            : page with { Sessions = [.. page.Sessions.Where(s => !SessionClock.IsExpired(s, options, now))] };
    }

    /// <summary>Lists a subject's live sessions, oldest first.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The live sessions.</returns>
    public Task<IReadOnlyList<SessionRecord>> ListAsync(string subject, CancellationToken cancellationToken = default)
        => _sessions.ListAsync(subject, cancellationToken);

    /// <summary>Revokes one session by its key. Idempotent.</summary>
    /// <param name="key">The session's key (<see cref="SessionKey.TryParse"/> reads its text form).</param>
    /// <param name="reason">Why. Defaults to <see cref="SessionRevocationReason.Administrative"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live session was revoked.</returns>
    public Task<bool> RevokeAsync(SessionKey key, SessionRevocationReason reason = SessionRevocationReason.Administrative, CancellationToken cancellationToken = default)
        => _sessions.RevokeAsync(key, reason, cancellationToken);

    /// <summary>Revokes all of a subject's sessions (force logout of a user), atomically.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="reason">Why. Defaults to <see cref="SessionRevocationReason.Administrative"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked.</returns>
    public Task<int> RevokeSubjectAsync(string subject, SessionRevocationReason reason = SessionRevocationReason.Administrative, CancellationToken cancellationToken = default)
        => _sessions.RevokeSubjectAsync(subject, reason, except: null, cancellationToken);

    /// <summary>Revokes every session in the store: everyone is signed out on their next request.</summary>
    /// <param name="reason">Why. Defaults to <see cref="SessionRevocationReason.Administrative"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked, or -1 when the store cannot tell.</returns>
    public async Task<long> RevokeAllAsync(SessionRevocationReason reason = SessionRevocationReason.Administrative, CancellationToken cancellationToken = default)
    {
        var count = await _sessions.Store.DeleteAllAsync(cancellationToken).ConfigureAwait(false);
        _sessions.Metrics.Revoked(reason, count);
        _logger.AllSessionsRevoked(count, reason);
        return count;
    }

    /// <summary>
    /// Sets the claims and permissions of a subject's live sessions — and of sessions signed in concurrently with older
    /// claims — so that a permission change is seen on those sessions' next request without a new sign-in.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <param name="claims">The new claims.</param>
    /// <param name="permissions">The new permissions.</param>
    /// <param name="version">
    /// The version of the user data the claims come from (a row version, an update counter), the numbering the app also
    /// passes at sign-in (<see cref="SessionCreateRequest.ClaimsVersion"/>): an update with a version not newer than the
    /// subject's latest is ignored, so updates that reach the store out of order end in version order. 0 (the default)
    /// means "newer than anything the store has".
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the claims were applied, the subject's claims version, and the sessions updated.</returns>
    public async Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, IEnumerable<SessionClaim> claims, IEnumerable<string> permissions, long version = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var update = new SubjectClaims([.. claims], [.. permissions.Distinct(StringComparer.Ordinal)], version);
        var retainUntil = _sessions.Clock.Now() + _sessions.Options.AbsoluteLifetime;
        var result = await _sessions.Store.UpdateSubjectClaimsAsync(subject, update, retainUntil, cancellationToken).ConfigureAwait(false);
        _logger.SubjectClaimsUpdated(result.Version, result.Applied, result.Updated.Count);
        return result;
    }
}
