namespace SessionKit;

/// <summary>
/// What the server saw of the client when the session was created, for "your devices" pages and audits.
/// </summary>
/// <param name="IpAddress">The remote IP address, or <see langword="null"/> when unknown.</param>
/// <param name="UserAgent">The <c>User-Agent</c> header (truncated by the session manager), or <see langword="null"/>.</param>
public sealed record SessionClientInfo(string? IpAddress, string? UserAgent)
{
    /// <summary>No client information.</summary>
    public static SessionClientInfo None { get; } = new(null, null);
}
