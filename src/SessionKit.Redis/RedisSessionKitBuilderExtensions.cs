using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit;
using SessionKit.Redis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis session store.</summary>
public static class RedisSessionKitBuilderExtensions
{
    /// <summary>The name of the health check, added with the store, that reports a Redis that may evict sessions.</summary>
    public const string EvictionHealthCheckName = "sessionkit-redis-eviction";

    /// <summary>
    /// Stores SessionKit's sessions in Redis on the application's own <see cref="IConnectionMultiplexer"/> (as registered
    /// by, for example, Aspire's <c>builder.AddRedisClient("redis")</c>), replacing the in-memory store. SessionKit
    /// never disposes it nor changes its settings; see the package README for the settings that heal quickly.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit()</c>.</param>
    /// <returns>The same builder.</returns>
    public static SessionKitBuilder AddRedisStore(this SessionKitBuilder builder)
        => builder.AddRedisStore(static _ => { });

    /// <summary>
    /// Stores SessionKit's sessions in Redis (standalone, Cluster or behind Sentinel), replacing the in-memory store.
    /// SessionKit opens its own connection from <paramref name="configuration"/>, lazily, and re-establishes it by
    /// itself, so an unavailable server never prevents the application from starting: calls fail closed until it is
    /// back.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit()</c>.</param>
    /// <param name="configuration">
    /// A StackExchange.Redis configuration string, for example <c>localhost:6379,user=…,password=…,ssl=true</c>, or
    /// the sentinels with <c>serviceName=…</c>. <c>abortConnect</c> is always treated as <see langword="false"/>.
    /// </param>
    /// <param name="configure">Configures the store's options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> cannot be used; the message says why.</exception>
    public static SessionKitBuilder AddRedisStore(this SessionKitBuilder builder, string configuration, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Fail at start-up for a string the client cannot use; connecting still waits for the first use.
        _ = RedisConfiguration.Parse(configuration);
        return builder.AddRedisStore(o =>
        {
            o.Configuration = configuration;
            configure?.Invoke(o);
        });
    }

    /// <summary>
    /// Stores SessionKit's sessions in Redis, replacing the in-memory store, on the connection the options describe:
    /// <see cref="RedisSessionStoreOptions.Configuration"/>, <see cref="RedisSessionStoreOptions.ConfigurationOptions"/>
    /// or <see cref="RedisSessionStoreOptions.ConnectionMultiplexerFactory"/>, or else the application's
    /// <see cref="IConnectionMultiplexer"/> (keyed by <see cref="RedisSessionStoreOptions.ConnectionMultiplexerServiceKey"/>
    /// when set). Also adds a start-up check and a health check (<see cref="EvictionHealthCheckName"/>, degraded) of
    /// Redis's eviction policy.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit()</c>.</param>
    /// <param name="configure">Configures the store's options.</param>
    /// <returns>The same builder.</returns>
    public static SessionKitBuilder AddRedisStore(this SessionKitBuilder builder, Action<RedisSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        var first = !services.Any(d => d.ServiceType == typeof(RedisSessionStore));
        services.AddOptions<RedisSessionStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSessionStoreOptions>, RedisSessionStoreOptionsValidator>());

        services.Replace(ServiceDescriptor.Singleton(CreateStore));
        // The store and its change feed are one object, registered as two capabilities: a decorator around
        // ISessionStore does not hide the feed from the local cache.
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static sp => sp.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionChangeFeed>(static sp => sp.GetRequiredService<RedisSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisStartupCheck>());
        if (first)
        {
            services.AddHealthChecks().AddCheck<RedisEvictionPolicyHealthCheck>(EvictionHealthCheckName, HealthStatus.Degraded);
        }

        return builder;
    }

    private static RedisSessionStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<RedisSessionStore>>();
        var connection = options switch
        {
            { ConnectionMultiplexerFactory: { } factory } => RedisConnection.External(factory, "the multiplexer of ConnectionMultiplexerFactory", logger),
            { ConfigurationOptions: { } configurationOptions } => RedisConnection.Owned(configurationOptions, logger),
            { Configuration: { } configuration } => RedisConnection.Owned(RedisConfiguration.Parse(configuration), logger),
            { ConnectionMultiplexerServiceKey: { } key } => RedisConnection.External(() => Task.FromResult(services.GetRequiredKeyedService<IConnectionMultiplexer>(key)), "the application's IConnectionMultiplexer", logger),
            _ => RedisConnection.External(() => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()), "the application's IConnectionMultiplexer", logger),
        };

        RedisReplicatedRevocations? revocations = null;
        if (options.RevocationReplicas > 0)
        {
            // WAIT blocks the connection it runs on: the acknowledged revocations get a connection of their own.
            var dedicated = options switch
            {
                { ConfigurationOptions: { } configurationOptions } => RedisConnection.Owned(configurationOptions, logger),
                { Configuration: { } configuration } => RedisConnection.Owned(RedisConfiguration.Parse(configuration), logger),
                _ => RedisConnection.OwnedBeside(connection, logger),
            };
            var sessionKit = services.GetRequiredService<IOptionsMonitor<SessionKitOptions>>();
            revocations = new RedisReplicatedRevocations(dedicated, options.RevocationReplicas, () => sessionKit.CurrentValue.StoreTimeout);
        }

        return new RedisSessionStore(connection, options, services.GetRequiredService<TimeProvider>(), logger, revocations);
    }
}
