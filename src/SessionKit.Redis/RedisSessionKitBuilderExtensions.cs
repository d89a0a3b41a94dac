using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit;
using SessionKit.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis session store.</summary>
public static class RedisSessionKitBuilderExtensions
{
    /// <summary>
    /// Stores SessionKit's sessions in Redis (standalone or Cluster), replacing the in-memory store. The connection
    /// is opened lazily on first use and re-established by itself, so an unavailable server never prevents the
    /// application from starting: calls fail (closed) until it is back.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit()</c>.</param>
    /// <param name="configuration">
    /// A StackExchange.Redis configuration string, for example <c>localhost:6379,password=…,ssl=true</c>.
    /// <c>abortConnect</c> is always treated as <see langword="false"/>.
    /// </param>
    /// <param name="configure">Configures the store's options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is not a valid configuration string.</exception>
    public static SessionKitBuilder AddRedisStore(this SessionKitBuilder builder, string configuration, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        // Fail at start-up for a malformed string; connecting still waits for the first use.
        _ = RedisConnection.Parse(configuration);
        var options = builder.Services.AddOptions<RedisSessionStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(static o => !string.IsNullOrEmpty(o.KeyPrefix) && !o.KeyPrefix.Contains('{', StringComparison.Ordinal) && !o.KeyPrefix.Contains('}', StringComparison.Ordinal),
                "RedisSessionStoreOptions.KeyPrefix must be non-empty and contain no '{' or '}' (the store adds the Redis Cluster hash tag after it).")
            .Validate(static o => o.OperationTimeout > TimeSpan.Zero, "RedisSessionStoreOptions.OperationTimeout must be positive.")
            .Validate(static o => o.ChannelName is null || o.ChannelName.Length > 0, "RedisSessionStoreOptions.ChannelName must be null (the default) or non-empty.")
            .ValidateOnStart();

        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new RedisSessionStore(
            configuration,
            sp.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisSessionStore>>())));
        // The store and its change feed are one object, registered as two capabilities: a decorator around
        // ISessionStore does not hide the feed from the local cache.
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static sp => sp.GetRequiredService<RedisSessionStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionChangeFeed>(static sp => sp.GetRequiredService<RedisSessionStore>()));
        return builder;
    }
}
