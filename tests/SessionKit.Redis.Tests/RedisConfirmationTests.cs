using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// A revoking call waits for the other instances' caches: it returns at once when every listener confirmed, and after
/// the confirmation bound when one did not — by which time that listener no longer trusts its cache.
/// </summary>
public sealed class RedisConfirmationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task A_revocation_returns_once_every_listening_instance_dropped_the_session()
    {
        var options = Options();
        await using var revoking = Store(options);
        await using var listening = Store(options);
        var dropped = new System.Collections.Concurrent.ConcurrentBag<SessionKey>();
        using var subscription = listening.Subscribe(dropped.Add, () => { });
        await EventuallyAsync(() => listening.IsCurrent);
        var session = (await revoking.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;

        var elapsed = Stopwatch.StartNew();
        Assert.True(await revoking.DeleteAsync(session.Key, CancellationToken.None));
        elapsed.Stop();

        Assert.Contains(session.Key, dropped);
        Assert.True(elapsed.Elapsed < Bound, $"A confirmed revocation took {elapsed.Elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task An_instance_that_cannot_confirm_stops_trusting_its_cache_before_the_revocation_returns()
    {
        var options = Options();
        await using var revoking = Store(options);
        await using var paused = Store(options);
        using var gate = new ManualResetEventSlim(false);
        // A listener stuck in its callback stands for a paused process: it processes no message, not even its heartbeats.
        using var subscription = paused.Subscribe(_ => gate.Wait(TimeSpan.FromSeconds(30)), () => { });
        await EventuallyAsync(() => paused.IsCurrent);
        var first = (await revoking.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;
        var second = (await revoking.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;
        Assert.True(await revoking.DeleteAsync(first.Key, CancellationToken.None));

        var elapsed = Stopwatch.StartNew();
        Assert.True(await revoking.DeleteAsync(second.Key, CancellationToken.None));
        elapsed.Stop();

        Assert.False(paused.IsCurrent);
        Assert.True(elapsed.Elapsed >= Bound - TimeSpan.FromMilliseconds(50), $"The unconfirmed revocation returned after {elapsed.Elapsed.TotalMilliseconds:0} ms.");
        gate.Set();
        await EventuallyAsync(() => paused.IsCurrent);
    }

    [Fact]
    public async Task Without_listening_instances_a_revocation_waits_for_nobody()
    {
        var options = Options();
        await using var revoking = Store(options);
        var session = (await revoking.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;

        var elapsed = Stopwatch.StartNew();
        Assert.True(await revoking.DeleteAsync(session.Key, CancellationToken.None));

        Assert.True(elapsed.Elapsed < Bound, $"A revocation nobody listens to took {elapsed.Elapsed.TotalMilliseconds:0} ms.");
    }

    private static RedisSessionStoreOptions Options() => new()
    {
        KeyPrefix = "confirm-" + Guid.NewGuid().ToString("N")[..8] + ":",
        ConfirmationTimeout = Bound,
    };

    private RedisSessionStore Store(RedisSessionStoreOptions options)
        => new(redis.ConnectionString, options, TimeProvider.System, NullLogger<RedisSessionStore>.Instance);

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(10);
        }
    }
}
