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

    /// <summary>
    /// Waits (at most 30 s) until <paramref name="store"/>'s connection is up. A first connection (a TLS handshake, a
    /// multiplexer connecting when first resolved) can outlast a store timeout on a loaded machine; a test that is about
    /// something else waits for it rather than have its first store call fail on the deadline.
    /// </summary>
    public static async Task ConnectedAsync(RedisSessionStore store)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var multiplexer = await store.Connection.GetConnectedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        while (!multiplexer.IsConnected)
        {
            Assert.True(DateTime.UtcNow < deadline, "The store did not connect within 30 s.");
            await Task.Delay(50);
        }
    }
}
