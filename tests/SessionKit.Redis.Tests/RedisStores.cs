using Microsoft.Extensions.Logging.Abstractions;

namespace SessionKit.Redis.Tests;

/// <summary>Creates stores isolated by a unique key prefix (and therefore channel) on a shared server.</summary>
internal static class RedisStores
{
    public static RedisSessionStore Create(string configuration, TimeProvider time)
        => new(configuration, new RedisSessionStoreOptions { KeyPrefix = NewPrefix() }, time, NullLogger<RedisSessionStore>.Instance);

    /// <summary>A store whose revocations (and creates with a maximum) must reach <paramref name="replicas"/> replicas within <paramref name="acknowledgement"/>.</summary>
    public static RedisSessionStore CreateReplicated(string configuration, string prefix, int replicas, TimeSpan acknowledgement)
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(configuration);
        var logger = NullLogger<RedisSessionStore>.Instance;
        return new RedisSessionStore(
            RedisConnection.Owned(options, logger),
            new RedisSessionStoreOptions { KeyPrefix = prefix, RevocationReplicas = replicas },
            TimeProvider.System,
            logger,
            replicas > 0 ? new RedisReplicatedRevocations(RedisConnection.Owned(options, logger), replicas, () => acknowledgement) : null);
    }

    public static RedisSessionStore Create(string configuration, string prefix)
        => new(configuration, new RedisSessionStoreOptions { KeyPrefix = prefix }, TimeProvider.System, NullLogger<RedisSessionStore>.Instance);

    public static string NewPrefix() => "test-" + Guid.NewGuid().ToString("N")[..12] + ":";
}
