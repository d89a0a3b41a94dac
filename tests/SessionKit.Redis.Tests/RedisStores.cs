using Microsoft.Extensions.Logging.Abstractions;

namespace SessionKit.Redis.Tests;

/// <summary>Creates stores isolated by a unique key prefix (and therefore channel) on a shared server.</summary>
internal static class RedisStores
{
    public static RedisSessionStore Create(string configuration, TimeProvider time, TimeSpan? timeout = null)
        => new(configuration, new RedisSessionStoreOptions
        {
            KeyPrefix = "test-" + Guid.NewGuid().ToString("N")[..12] + ":",
            OperationTimeout = timeout ?? TimeSpan.FromSeconds(5),
        }, time, NullLogger<RedisSessionStore>.Instance);
}
