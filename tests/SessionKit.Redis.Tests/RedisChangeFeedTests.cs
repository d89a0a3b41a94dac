using System.Collections.Concurrent;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// The change feed the local cache subscribes to: revocations from another store instance arrive, and a Redis
/// restart makes the feed not current, then (after telling subscribers to forget what they cached) current again.
/// </summary>
public sealed class RedisChangeFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly RedisServerProcess _server = new();

    public ValueTask InitializeAsync() => new(_server.StartAsync());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Feed_reports_other_instances_revocations_and_a_restart_as_distrust_then_trust()
    {
        const string prefix = "feed-test:";
        var options = new RedisSessionStoreOptions { KeyPrefix = prefix };
        await using var listening = new RedisSessionStore(_server.ConnectionString, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance);
        await using var revoking = new RedisSessionStore(_server.ConnectionString, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance);
        var changed = new ConcurrentQueue<SessionKey>();
        var resets = 0;
        ISessionChangeFeed feed = listening;
        using var subscription = feed.Subscribe(changed.Enqueue, () => Interlocked.Increment(ref resets));
        await EventuallyAsync(() => feed.IsCurrent);

        var session = TestSessions.New("alice");
        session = (await revoking.CreateAsync(session, 0, CancellationToken.None)).Session;
        Assert.True(await revoking.DeleteAsync(session.Key, CancellationToken.None));
        await EventuallyAsync(() => changed.Contains(session.Key));

        var before = Volatile.Read(ref resets);
        await _server.StopAsync();
        await EventuallyAsync(() => !feed.IsCurrent);
        await _server.StartAsync();
        await EventuallyAsync(() => feed.IsCurrent);
        Assert.True(Volatile.Read(ref resets) > before, "The feed became current again without telling subscribers to forget what they cached.");

        // Subscribed again: revocations arrive as before.
        var second = TestSessions.New("bob");
        await EventuallyAsync(async () =>
        {
            // A fresh session per attempt: an attempt that timed out during the reconnect may still land.
            await revoking.CreateAsync(second = TestSessions.New("bob"), 0, CancellationToken.None);
            return true;
        });
        Assert.True(await revoking.DeleteAsync(second.Key, CancellationToken.None));
        await EventuallyAsync(() => changed.Contains(second.Key));
    }

    private static Task EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SessionStoreUnavailableException or OperationCanceledException && DateTime.UtcNow < deadline)
            {
                // Still reconnecting.
            }

            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within " + Patience + ".");
            await Task.Delay(50);
        }
    }
}
