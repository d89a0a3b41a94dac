using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisClusterTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    private const int Subjects = 30;

    [Fact]
    public async Task A_session_and_its_subject_index_share_one_hash_slot()
    {
        await using var store = RedisStores.Create(cluster.ConnectionString, TimeProvider.System);
        var session = TestSessions.New();
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;

        var node = cluster.Nodes[0];
        Assert.Equal(
            await node.CliAsync("CLUSTER", "KEYSLOT", store.Keys.Session(session.Key)),
            await node.CliAsync("CLUSTER", "KEYSLOT", store.Keys.Index(session.Key.Partition, session.Subject)));
    }

    [Fact]
    public async Task Delete_all_visits_every_master()
    {
        await using var store = RedisStores.Create(cluster.ConnectionString, TimeProvider.System);
        for (var i = 0; i < Subjects; i++)
        {
            await store.CreateAsync(TestSessions.New(), 0, CancellationToken.None);
        }

        var before = await KeysPerNodeAsync(store.Keys.Prefix);
        Assert.All(before, count => Assert.True(count > 0, "Thirty subjects should spread over all three masters."));

        var deleted = await store.DeleteAllAsync(CancellationToken.None);

        Assert.Equal(Subjects, deleted);
        Assert.All(await KeysPerNodeAsync(store.Keys.Prefix), count => Assert.Equal(0, count));
    }

    private async Task<int[]> KeysPerNodeAsync(string prefix)
    {
        var counts = new List<int>();
        foreach (var node in cluster.Nodes)
        {
            var output = await node.CliAsync("--scan", "--pattern", prefix + "*");
            counts.Add(output.Length == 0 ? 0 : output.Split('\n').Length);
        }

        return [.. counts];
    }
}
