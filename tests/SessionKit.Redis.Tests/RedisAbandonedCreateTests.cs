using System.Globalization;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// A create whose caller stopped waiting after it was sent (the command still runs once Redis gets to it) is undone:
/// the session can neither be used nor count toward the per-subject maximum. Against a real, deliberately slowed Redis.
/// </summary>
public sealed class RedisAbandonedCreateTests : IAsyncLifetime
{
    private const int Maximum = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly RedisServerProcess _server = new(0, null, "--enable-debug-command", "local");

    public ValueTask InitializeAsync() => new(_server.StartAsync());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_create_abandoned_while_writes_are_paused_leaves_nothing_usable_or_counted()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System);
        var existing = (await store.CreateAsync(TestSessions.New(), Maximum, CancellationToken.None)).Session;
        var second = (await store.CreateAsync(TestSessions.New(existing.Subject, existing.CreatedAt.AddMilliseconds(1)), Maximum, CancellationToken.None)).Session;

        // Writes (scripts included) wait; reads go on. CLIENT PAUSE has taken effect when redis-cli returns.
        await _server.CliAsync("CLIENT", "PAUSE", "1500", "WRITE");
        var abandoned = TestSessions.New(existing.Subject, existing.CreatedAt.AddMilliseconds(2));
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAsync(abandoned, Maximum, deadline.Token));
        }

        await AssertUndoneAsync(store, abandoned, [existing, second]);
    }

    [Fact]
    public async Task A_create_abandoned_while_the_server_sleeps_leaves_nothing_usable_or_counted()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System);
        var existing = (await store.CreateAsync(TestSessions.New(), Maximum, CancellationToken.None)).Session;

        var sleeping = _server.CliAsync("DEBUG", "SLEEP", "3");
        await WaitUntilAsleepAsync(store, existing);
        var abandoned = TestSessions.New(existing.Subject, existing.CreatedAt.AddMilliseconds(1));
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAsync(abandoned, Maximum, deadline.Token));
        }

        await sleeping;
        await AssertUndoneAsync(store, abandoned, [existing]);
    }

    private async Task AssertUndoneAsync(RedisSessionStore store, SessionRecord abandoned, SessionRecord[] kept)
    {
        // The create ran once Redis got to it, and the compensating delete after it: wait for both, not for a time. The
        // store keeps a subject's sessions in one partition, so the abandoned one would have been stored there.
        var partition = kept[0].Key.Partition;
        var wouldBe = abandoned.Key with { Partition = partition };
        var deadline = DateTime.UtcNow + Patience;
        while (await store.GetAsync(wouldBe, CancellationToken.None) is not null || await IndexSizeAsync(store, partition, abandoned.Subject) != kept.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, "The abandoned create was not undone.");
            await Task.Delay(50);
        }

        Assert.Equal(kept.Select(s => s.Key), (await store.ListBySubjectAsync(abandoned.Subject, CancellationToken.None)).Select(s => s.Key));
        // It does not count: filling up to the maximum evicts nothing.
        var fill = Enumerable.Range(1, Maximum - kept.Length).Select(i => TestSessions.New(abandoned.Subject, abandoned.CreatedAt.AddSeconds(i))).ToArray();
        foreach (var session in fill)
        {
            Assert.Empty((await store.CreateAsync(session, Maximum, CancellationToken.None)).Evicted);
        }
    }

    private async Task<int> IndexSizeAsync(RedisSessionStore store, string partition, string subject)
        => int.Parse(await _server.CliAsync("ZCARD", store.Keys.Index(partition, subject)), CultureInfo.InvariantCulture);

    /// <summary>Waits until a read no longer answers within half a second: DEBUG SLEEP (3 s) has started.</summary>
    private static async Task WaitUntilAsleepAsync(RedisSessionStore store, SessionRecord existing)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await store.GetAsync(existing.Key, probe.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "DEBUG SLEEP did not start.");
        }
    }
}
