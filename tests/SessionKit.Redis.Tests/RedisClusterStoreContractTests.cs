using SessionKit.Testing;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>The whole store contract again, on a three-master Redis Cluster.</summary>
public sealed class RedisClusterStoreContractTests(RedisClusterFixture cluster) : SessionStoreContractTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
        => Task.FromResult<ISessionStore>(RedisStores.Create(cluster.ConnectionString, time));
}
