using SessionKit.Testing;

namespace SessionKit.Redis.Tests;

/// <summary>The whole store contract as a Redis ACL user allowed only the commands SessionKit needs.</summary>
public sealed class RedisAclStoreContractTests(RedisAclServer redis) : SessionStoreContractTests, IClassFixture<RedisAclServer>
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
        => Task.FromResult<ISessionStore>(RedisStores.Create(redis.ConnectionString, time));
}
