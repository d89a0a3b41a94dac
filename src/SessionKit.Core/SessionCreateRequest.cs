namespace SessionKit;

/// <summary>What to put in a new session.</summary>
public sealed record SessionCreateRequest
{
    /// <summary>The subject (user id). Required, non-empty.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The authentication scheme the session is for: only that scheme accepts it. The SessionKit schemes set it; a
    /// session created with <see langword="null"/> is accepted by no scheme.
    /// </summary>
    public string? Scheme { get; init; }

    /// <summary>Claims other than permissions.</summary>
    public IReadOnlyList<SessionClaim> Claims { get; init; } = [];

    /// <summary>Permissions granted to the session.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];

    /// <summary>
    /// The version of the user data the claims were read from (a row version, an update counter), the same numbering
    /// the app passes to <see cref="SessionAdminService.UpdateSubjectClaimsAsync"/>: when a newer update of the subject's
    /// claims has reached the store, the new session gets those claims instead. 0 (the default) when the app keeps
    /// no versions: the session keeps its claims and later updates apply to it.
    /// </summary>
    public long ClaimsVersion { get; init; }

    /// <summary>Client metadata (IP address, user agent).</summary>
    public SessionClientInfo Client { get; init; } = SessionClientInfo.None;

    /// <summary>
    /// The session id the client currently holds, if any: it is revoked (reason <see cref="SessionRevocationReason.Rotated"/>)
    /// so that signing in always yields a fresh id and never keeps a pre-login one (no session fixation).
    /// </summary>
    public string? ReplacesSessionId { get; init; }
}
