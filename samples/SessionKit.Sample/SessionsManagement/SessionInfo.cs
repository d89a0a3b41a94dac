namespace SessionKit.Sample.SessionsManagement;

/// <summary>One of the caller's sessions, as a "your devices" page shows it.</summary>
/// <param name="Id">
/// A handle for revoking this session: the hashed store key, never the session id itself (it cannot be used to
/// authenticate).
/// </param>
/// <param name="Current">Whether this is the session making the request.</param>
/// <param name="DeviceLabel">The label the session was given (<see cref="SessionPreferences"/>), if any.</param>
internal sealed record SessionInfo(
    string Id,
    bool Current,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? IpAddress,
    string? UserAgent,
    string? DeviceLabel)
{
    public static SessionInfo From(SessionRecord session, SessionKey current) => new(
        session.Key.Hash,
        session.Key == current,
        session.CreatedAt,
        session.LastSeenAt,
        session.ExpiresAt,
        session.Client.IpAddress,
        session.Client.UserAgent,
        SessionPreferences.DeviceLabelOf(session.Data));
}
