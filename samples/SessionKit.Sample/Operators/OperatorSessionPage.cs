namespace SessionKit.Sample.Operators;

/// <summary>One page of <c>GET /admin/sessions</c>.</summary>
/// <param name="Sessions">The sessions of this page.</param>
/// <param name="Continuation">Pass it as <c>continuation</c> for the next page; <see langword="null"/> after the last one.</param>
internal sealed record OperatorSessionPage(OperatorSession[] Sessions, string? Continuation);

/// <summary>A session as an operator sees it; <see cref="Key"/> revokes it (<c>DELETE /admin/sessions/{key}</c>).</summary>
internal sealed record OperatorSession(
    string Key,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? IpAddress,
    string? UserAgent)
{
    public static OperatorSession From(SessionRecord session) => new(
        session.Key.ToString(), session.Subject, session.CreatedAt, session.LastSeenAt, session.ExpiresAt, session.Client.IpAddress, session.Client.UserAgent);
}
