using System.Collections.Concurrent;

namespace SessionKit.Redis.Tests;

/// <summary>What the contract suite does not cover, as the restricted ACL user: the revocation feed and the eviction check.</summary>
public sealed class RedisAclTests(RedisAclServer redis) : IClassFixture<RedisAclServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_revocation_feed_works_as_the_restricted_user()
    {
        var prefix = RedisStores.NewPrefix();
        await using var listening = new RedisSessionStore(redis.ConnectionString, new RedisSessionStoreOptions { KeyPrefix = prefix }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance);
        await using var revoking = new RedisSessionStore(redis.ConnectionString, new RedisSessionStoreOptions { KeyPrefix = prefix }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance);
        var changed = new ConcurrentQueue<SessionKey>();
        ISessionChangeFeed feed = listening;
        using var subscription = feed.Subscribe(changed.Enqueue, () => { });
        await EventuallyAsync(() => feed.IsCurrent);

        var session = (await revoking.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;
        Assert.True(await revoking.DeleteAsync(session.Key, CancellationToken.None));

        await EventuallyAsync(() => changed.Contains(session.Key));
    }

    [Fact]
    public async Task The_eviction_check_reads_the_policy_and_says_so_when_the_user_may_not()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var allowed = Assert.Single(await RedisEvictionPolicy.CheckAsync(store.Connection, CancellationToken.None));
        Assert.Equal("noeviction", allowed.Policy);

        var restricted = "no-info-" + Guid.NewGuid().ToString("N")[..6];
        await RedisAclServer.SetUserAsync(redis.Server, restricted, "pw", RedisAclServer.Commands.Where(c => c != "info"));
        await using var withoutInfo = RedisStores.Create($"{redis.Server.ConnectionString},user={restricted},password=pw", TimeProvider.System);
        var refused = Assert.Single(await RedisEvictionPolicy.CheckAsync(withoutInfo.Connection, CancellationToken.None));

        Assert.Null(refused.Policy);
        Assert.Contains("ACL", refused.Problem, StringComparison.Ordinal);
        Assert.NotNull(await withoutInfo.ListBySubjectAsync("anyone", CancellationToken.None));
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within " + Patience + ".");
            await Task.Delay(50);
        }
    }
}
