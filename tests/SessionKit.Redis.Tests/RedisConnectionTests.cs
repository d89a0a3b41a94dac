using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisConnectionTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Code_blocking_right_after_awaiting_the_store_does_not_stall_the_connection()
    {
        // StackExchange.Redis 1.x completes tasks inline on its socket reader; the store hops off that thread, or a
        // caller blocking there (sync over async in legacy code) would stall every reply until the store's timeout.
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System, TimeSpan.FromSeconds(10));
        var session = TestSessions.New();
        await store.CreateAsync(session, 0, CancellationToken.None);
        await store.ListBySubjectAsync(session.Subject, CancellationToken.None);

#pragma warning disable xUnit1031 // Blocking on purpose: that is the behaviour under test.
        var read = store.GetAsync(session.Key, CancellationToken.None).Result;
#pragma warning restore xUnit1031

        Assert.Equal(session.Key, read?.Key);
    }
}
