namespace SessionKit.Redis;

/// <summary>Options of the Redis session store.</summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>
    /// Prepended to every key the store writes, so several apps (or environments) can share one Redis. Must not
    /// contain <c>{</c> or <c>}</c> (the store puts the Redis Cluster hash tag right after it). Defaults to
    /// <c>sessionkit:</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "sessionkit:";

    /// <summary>
    /// How long any single store call (including the initial connection) may take before it fails with a
    /// <see cref="TimeoutException"/>, which the session manager turns into a fail-closed 503. StackExchange.Redis 1.x
    /// has no timeout on asynchronous calls, so the store applies this one itself. Must be positive.
    /// Defaults to 2 seconds.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The pub/sub channel on which the store announces revocations (deletions, evictions, claims changes) so that
    /// instances can drop cached copies. Messages carry the reason and the hashed store key, never a session id.
    /// Defaults to <see langword="null"/>, meaning <see cref="KeyPrefix"/> followed by <c>revocations</c>.
    /// </summary>
    public string? ChannelName { get; set; }

    /// <summary>
    /// How long a revoking or claims-changing call waits for the other instances' local caches to confirm that they dropped
    /// the changed sessions, and how long an instance trusts its own cache without proof that it still receives every
    /// change. When the call returns, every instance has either confirmed or stopped serving from its cache. Use the same
    /// value on every instance, below <see cref="SessionKitOptions.StoreTimeout"/>. Must be positive. Defaults to 1 second.
    /// </summary>
    public TimeSpan ConfirmationTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
