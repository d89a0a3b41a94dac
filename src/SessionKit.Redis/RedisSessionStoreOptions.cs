using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Options of the Redis session store. The connection comes from exactly one of <see cref="Configuration"/>,
/// <see cref="ConfigurationOptions"/> and <see cref="ConnectionMultiplexerFactory"/>; with none of them set, the store
/// uses the <see cref="IConnectionMultiplexer"/> the application registered (keyed by
/// <see cref="ConnectionMultiplexerServiceKey"/> when that is set).
/// </summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>
    /// Prepended to every key the store writes, so several apps (or environments) can share one Redis. Must not
    /// contain <c>{</c> or <c>}</c> (the store puts the Redis Cluster hash tag right after it). Defaults to
    /// <c>sessionkit:</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "sessionkit:";

    /// <summary>
    /// The pub/sub channel on which the store announces revocations (deletions, evictions, claims changes) so that
    /// instances can drop cached copies. Messages carry the reason and the hashed store key, never a session id.
    /// Defaults to <see langword="null"/>, meaning <see cref="KeyPrefix"/> followed by <c>revocations</c>.
    /// </summary>
    public string? ChannelName { get; set; }

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,user=…,password=…,ssl=true</c>, or the sentinels'
    /// endpoints with <c>serviceName=…</c>) from which SessionKit opens, owns and disposes its own connection.
    /// Defaults to <see langword="null"/>.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The client's options from which SessionKit opens, owns and disposes its own connection; for settings that have
    /// no string form (certificate validation, client certificates). SessionKit works on a copy. Defaults to
    /// <see langword="null"/>.
    /// </summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// Supplies the multiplexer the store uses, called once, on first use. SessionKit never disposes what it returns
    /// and does not change its settings (see the package README for the recommended ones). Defaults to
    /// <see langword="null"/>.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// When no connection is configured here, the service key of the application's keyed
    /// <see cref="IConnectionMultiplexer"/> to use (as registered by, for example, Aspire's
    /// <c>AddKeyedRedisClient("name")</c>). Defaults to <see langword="null"/>: the unkeyed one.
    /// </summary>
    public object? ConnectionMultiplexerServiceKey { get; set; }

    /// <summary>
    /// How many replicas must acknowledge every revocation (logout, revoking a subject or everyone, an eviction by the
    /// per-subject maximum, a claims change) before the call returns, so that a failover cannot bring a revoked session
    /// back: the writes and a Redis <c>WAIT</c> run on a connection of their own. A revocation not acknowledged within
    /// <see cref="SessionKitOptions.StoreTimeout"/> fails with <see cref="SessionStoreUnavailableException"/> (503),
    /// never silently. 0 turns it off. Defaults to 0, because a Redis without replicas could then revoke nothing.
    /// </summary>
    public int RevocationReplicas { get; set; }

    /// <summary>
    /// How long a revoking or claims-changing call waits for the other instances' local caches to confirm that they dropped
    /// the changed sessions, and how long an instance trusts its own cache without proof that it still receives every
    /// change. When the call returns, every instance has either confirmed or stopped serving from its cache. Use the same
    /// value on every instance, below <see cref="SessionKitOptions.StoreTimeout"/>. Must be positive. Defaults to 1 second.
    /// </summary>
    public TimeSpan ConfirmationTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
