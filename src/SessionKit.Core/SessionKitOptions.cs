namespace SessionKit;

/// <summary>
/// Session policy shared by every SessionKit authentication scheme and store.
/// </summary>
public sealed class SessionKitOptions
{
    /// <summary>
    /// How long a session lives without use (sliding expiry). Must be positive and not longer than
    /// <see cref="AbsoluteLifetime"/>. Defaults to 30 minutes.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a session lives from sign-in, however much it is used. Rotation does not extend it.
    /// Defaults to 8 hours.
    /// </summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The fraction of <see cref="IdleTimeout"/> that must pass since the session was last written before a
    /// request writes its new last-seen time (coalesced touches: a store write on every request would not scale).
    /// Between 0 (touch on every request) and 1 (touch only when about to expire). Defaults to 0.1.
    /// </summary>
    public double TouchThreshold { get; set; } = 0.1;

    /// <summary>
    /// The most sessions one subject may hold; creating one more evicts the oldest, atomically. 0 means no limit.
    /// Defaults to 0.
    /// </summary>
    public int MaxSessionsPerSubject { get; set; }

    /// <summary>
    /// How long any single store call may take before the request fails closed with 503. Must be positive.
    /// Defaults to 2 seconds.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest <c>User-Agent</c> kept in a session's client metadata. Defaults to 256 characters.</summary>
    public int MaxUserAgentLength { get; set; } = 256;

    /// <summary>
    /// The most a session's data (<see cref="SessionRecord.Data"/>) may hold, in bytes: the UTF-8 length of every key plus
    /// the length of every value. A change that would go over it throws <see cref="SessionDataTooLargeException"/> and saves
    /// nothing. Must be positive. Defaults to 16 KiB.
    /// </summary>
    public int MaxDataBytes { get; set; } = 16 * 1024;

    /// <summary>The optional local cache of validated sessions (off by default).</summary>
    public SessionCacheOptions LocalCache { get; set; } = new();

    /// <summary>Callbacks for session lifecycle events (created, refreshed, rotated, revoked, expired).</summary>
    public SessionEvents Events { get; set; } = new();
}
