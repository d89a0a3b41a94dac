using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>The store with its server killed and restarted underneath it (each test owns its server).</summary>
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Far beyond the store's own 1 s timeout: reaching it means a call hung.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly RedisServerProcess _server = new();

    public ValueTask InitializeAsync() => new(_server.StartAsync());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Calls_fail_while_the_server_is_down_and_work_again_after_it_restarts_without_a_new_store()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System, TimeSpan.FromSeconds(1));
        var before = NewSession();
        before = (await store.CreateAsync(before, 0, CancellationToken.None)).Session;
        Assert.NotNull(await store.GetAsync(before.Key, CancellationToken.None));

        await _server.StopAsync();

        await AssertFailsWithoutHangingAsync(() => store.GetAsync(before.Key, CancellationToken.None));
        await AssertFailsWithoutHangingAsync(() => store.CreateAsync(NewSession(), 0, CancellationToken.None));
        await AssertFailsWithoutHangingAsync(() => store.DeleteAsync(before.Key, CancellationToken.None));

        await _server.StartAsync();

        var after = NewSession();
        await EventuallyAsync(() => store.CreateAsync(after = NewSession(), 0, CancellationToken.None));
        Assert.Equal(after.Key, (await store.GetAsync(after.Key, CancellationToken.None))?.Key);
        Assert.True(await store.DeleteAsync(after.Key, CancellationToken.None));
    }

    [Fact]
    public async Task A_store_created_while_the_server_is_down_fails_closed_then_works_once_it_is_up()
    {
        await _server.StopAsync();
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System, TimeSpan.FromSeconds(1));

        await AssertFailsWithoutHangingAsync(() => store.CreateAsync(NewSession(), 0, CancellationToken.None));

        await _server.StartAsync();

        // A fresh session per attempt: a call that timed out may still reach the server once it is back.
        var session = NewSession();
        await EventuallyAsync(() => store.CreateAsync(session = NewSession(), 0, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(session.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Calls_to_a_frozen_server_time_out_instead_of_hanging_and_work_again_when_it_resumes()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System, TimeSpan.FromSeconds(1));
        var session = NewSession();
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;

        await _server.PauseAsync();
        try
        {
            var task = store.GetAsync(session.Key, CancellationToken.None);
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangGuard)));
            await Assert.ThrowsAsync<TimeoutException>(() => task);
        }
        finally
        {
            await _server.ResumeAsync();
        }

        SessionRecord? read = null;
        await EventuallyAsync(async () => read = await store.GetAsync(session.Key, CancellationToken.None));
        Assert.Equal(session.Key, read?.Key);
    }

    [Fact]
    public async Task The_revocation_subscription_survives_a_server_restart()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System, TimeSpan.FromSeconds(1));
        using var received = new System.Collections.Concurrent.BlockingCollection<RedisRevocation>();
        await using var subscription = await store.SubscribeRevocationsAsync(received.Add, CancellationToken.None);

        await _server.StopAsync();
        await _server.StartAsync();

        // Delete until a message arrives: the client re-subscribes by itself once it has reconnected.
        var deadline = DateTime.UtcNow + HangGuard;
        RedisRevocation revocation = default;
        while (!received.TryTake(out revocation, TimeSpan.FromMilliseconds(200)))
        {
            Assert.True(DateTime.UtcNow < deadline, "No revocation arrived after the restart.");
            var session = NewSession();
            await EventuallyAsync(() => store.CreateAsync(session = NewSession(), 0, CancellationToken.None));
            await EventuallyAsync(() => store.DeleteAsync(session.Key, CancellationToken.None));
        }

        Assert.Equal(RedisRevocationReason.Deleted, revocation.Reason);
    }

    private static async Task AssertFailsWithoutHangingAsync<T>(Func<Task<T>> call)
    {
        var task = call();
        var finished = await Task.WhenAny(task, Task.Delay(HangGuard));
        Assert.Same(task, finished);
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => task);
        Assert.True(exception is RedisException or TimeoutException, $"Unexpected failure type: {exception}");
    }

    /// <summary>Retries until the reconnected store answers (the client reconnects in the background).</summary>
    private async Task EventuallyAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception exception) when ((exception is RedisException or TimeoutException) && DateTime.UtcNow < deadline)
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} not yet: {exception.GetType().Name}: {exception.Message}");
                await Task.Delay(100);
            }
        }
    }

    private static SessionRecord NewSession() => TestSessions.New();
}
