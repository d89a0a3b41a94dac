using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>The store with its server killed and restarted underneath it (each test owns its server).</summary>
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Each call's deadline, as the session manager's StoreTimeout would pass it.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    /// <summary>Far beyond <see cref="Deadline"/>: reaching it means a call hung.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly RedisServerProcess _server = new();

    public ValueTask InitializeAsync() => new(_server.StartAsync());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Calls_fail_while_the_server_is_down_and_work_again_after_it_restarts_without_a_new_store()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System);
        var before = NewSession();
        before = (await store.CreateAsync(before, 0, CancellationToken.None)).Session;
        Assert.NotNull(await store.GetAsync(before.Key, CancellationToken.None));

        await _server.StopAsync();

        await AssertFailsWithoutHangingAsync(token => store.GetAsync(before.Key, token));
        await AssertFailsWithoutHangingAsync(token => store.CreateAsync(NewSession(), 0, token));
        await AssertFailsWithoutHangingAsync(token => store.DeleteAsync(before.Key, token));

        await _server.StartAsync();

        var after = NewSession();
        await EventuallyAsync(token => store.CreateAsync(after = NewSession(), 0, token));
        Assert.Equal(after.Key, (await store.GetAsync(after.Key, CancellationToken.None))?.Key);
        Assert.True(await store.DeleteAsync(after.Key, CancellationToken.None));
    }

    [Fact]
    public async Task A_store_created_while_the_server_is_down_fails_closed_then_works_once_it_is_up()
    {
        await _server.StopAsync();
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System);

        await AssertFailsWithoutHangingAsync(token => store.CreateAsync(NewSession(), 0, token));

        await _server.StartAsync();

        // A fresh session per attempt: a call that timed out may still reach the server once it is back.
        var session = NewSession();
        await EventuallyAsync(token => store.CreateAsync(session = NewSession(), 0, token));
        Assert.NotNull(await store.GetAsync(session.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Calls_to_a_frozen_server_stop_waiting_at_their_deadline_and_work_again_when_it_resumes()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System);
        var session = NewSession();
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;

        await _server.PauseAsync();
        try
        {
            using var deadline = new CancellationTokenSource(Deadline);
            var task = store.GetAsync(session.Key, deadline.Token);
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangGuard)));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        }
        finally
        {
            await _server.ResumeAsync();
        }

        SessionRecord? read = null;
        await EventuallyAsync(async token => read = await store.GetAsync(session.Key, token));
        Assert.Equal(session.Key, read?.Key);
    }

    [Fact]
    public async Task The_revocation_subscription_survives_a_server_restart()
    {
        await using var store = RedisStores.Create(_server.ConnectionString, TimeProvider.System);
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
            await EventuallyAsync(token => store.CreateAsync(session = NewSession(), 0, token));
            await EventuallyAsync(token => store.DeleteAsync(session.Key, token));
        }

        Assert.Equal(RedisRevocationReason.Deleted, revocation.Reason);
    }

    /// <summary>
    /// The call fails by its deadline: cancelled, or unavailable (naming the server) when the client gave up first —
    /// never a hang, never any other exception.
    /// </summary>
    private async Task AssertFailsWithoutHangingAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var task = call(deadline.Token);
        var finished = await Task.WhenAny(task, Task.Delay(HangGuard));
        Assert.Same(task, finished);
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => task);
        output.WriteLine($"{exception.GetType().Name}: {exception.Message}");
        Assert.True(exception is OperationCanceledException || (exception is SessionStoreUnavailableException unavailable && unavailable.Message.Contains(_server.ConnectionString, StringComparison.Ordinal)), $"Unexpected failure: {exception}");
    }

    /// <summary>Retries until the reconnected store answers (the client reconnects in the background).</summary>
    private async Task EventuallyAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (true)
        {
            try
            {
                using var attempt = new CancellationTokenSource(Deadline);
                await call(attempt.Token);
                return;
            }
            catch (Exception exception) when ((exception is SessionStoreUnavailableException or OperationCanceledException) && DateTime.UtcNow < deadline)
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} not yet: {exception.GetType().Name}: {exception.Message}");
                await Task.Delay(100);
            }
        }
    }

    private static SessionRecord NewSession() => TestSessions.New();
}
