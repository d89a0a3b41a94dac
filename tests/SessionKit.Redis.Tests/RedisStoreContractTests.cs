using SessionKit.Testing;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisStoreContractTests(RedisServerFixture redis) : SessionStoreContractTests, IClassFixture<RedisServerFixture>
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
        => Task.FromResult<ISessionStore>(RedisStores.Create(redis.ConnectionString, time));
}
