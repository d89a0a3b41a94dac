using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisDeleteAllTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Delete_all_pages_through_more_sessions_than_one_scan_page_and_spares_other_prefixes()
    {
        const int sessions = 1_234;
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        await using var otherApp = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var subjects = Enumerable.Range(0, 100).Select(_ => TestSessions.NewSubject()).ToArray();
        foreach (var batch in Enumerable.Range(0, sessions).Chunk(100))
        {
            await Task.WhenAll(batch.Select(i => store.CreateAsync(TestSessions.New(subjects[i % subjects.Length]), 0, CancellationToken.None)));
        }

        var survivor = TestSessions.New();
        survivor = (await otherApp.CreateAsync(survivor, 0, CancellationToken.None)).Session;

        Assert.Equal(sessions, await store.DeleteAllAsync(CancellationToken.None));

        Assert.Equal("", await redis.CliAsync("--scan", "--pattern", store.Keys.Prefix + "*"));
        Assert.NotNull(await otherApp.GetAsync(survivor.Key, CancellationToken.None));
        Assert.Equal(0, await store.DeleteAllAsync(CancellationToken.None));
    }
}
