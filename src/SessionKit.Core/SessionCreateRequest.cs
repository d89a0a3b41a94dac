namespace SessionKit;

/// <summary>What to put in a new session.</summary>
public sealed record SessionCreateRequest
{
    /// <summary>The subject (user id). Required, non-empty.</summary>
    public required string Subject { get; init; }

    /// <summary>Claims other than permissions.</summary>
    public IReadOnlyList<SessionClaim> Claims { get; init; } = [];

    /// <summary>Permissions granted to the session.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];

    /// <summary>Client metadata (IP address, user agent).</summary>
    public SessionClientInfo Client { get; init; } = SessionClientInfo.None;

    /// <summary>
    /// The session id the client currently holds, if any: it is revoked (reason <see cref="SessionRevocationReason.Rotated"/>)
    /// so that signing in always yields a fresh id and never keeps a pre-login one (no session fixation).
    /// </summary>
    public string? ReplacesSessionId { get; init; }
}
