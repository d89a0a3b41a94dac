using SessionKit.Testing;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>The whole store contract again, through Redis Sentinel (<c>serviceName=…</c>): one primary, one replica, three sentinels.</summary>
public sealed class RedisSentinelStoreContractTests(RedisSentinelFixture sentinel) : SessionStoreContractTests, IClassFixture<RedisSentinelFixture>
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
        => Task.FromResult<ISessionStore>(RedisStores.Create(sentinel.ConnectionString, time));
}
