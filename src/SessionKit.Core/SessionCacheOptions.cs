namespace SessionKit;

/// <summary>
/// The optional in-process cache of recently validated sessions (off by default). It saves a store round trip per
/// request; it needs a store with a change feed (<see cref="ISessionChangeFeed"/>, the Redis store), and serves from
/// memory only while that feed is current. Changes made behind SessionKit's back stay stale up to <see cref="MaxStaleness"/>.
/// </summary>
public sealed class SessionCacheOptions
{
    /// <summary>Whether the cache is on. Defaults to <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The longest a cached session is served without asking the store. Changes made through SessionKit on any
    /// instance reach the cache before the changing call returns, through the store's change feed (Redis); changes made
    /// behind SessionKit's back — an operator deleting records directly in the store — take effect only after this delay.
    /// Defaults to 5 seconds.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most sessions kept; when full, new sessions are not cached. Defaults to 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;
}
