using System.Diagnostics;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisConnectionTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Code_blocking_right_after_awaiting_the_store_does_not_stall_the_connection()
    {
        // Were a reply's continuation to run on the client's socket reader, a caller blocking there (sync over async in
        // legacy code) would stall every other reply until the store's timeout.
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var session = TestSessions.New();
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;
        await store.ListBySubjectAsync(session.Subject, CancellationToken.None);

#pragma warning disable xUnit1031 // Blocking on purpose: that is the behaviour under test.
        var read = store.GetAsync(session.Key, CancellationToken.None).Result;
#pragma warning restore xUnit1031

        Assert.Equal(session.Key, read?.Key);
    }

    [Fact]
    public async Task Code_after_awaiting_the_store_never_runs_on_the_clients_socket_threads()
    {
        // The store adds no thread-pool hop of its own after a reply (it would cost a thread wake-up per request); that
        // is safe only while the client completes tasks off its socket threads. Observed without xUnit's
        // synchronization context, where a continuation runs on whatever thread completed the task.
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var session = TestSessions.New();
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;

        var stacks = await Task.Run(async () =>
        {
            var seen = new List<StackFrame[]>();
            for (var i = 0; i < 50; i++)
            {
                await store.GetAsync(session.Key, CancellationToken.None);
                seen.Add(new StackTrace().GetFrames());
                await store.TouchAsync(session.Key, session.LastSeenAt, session.IdleExpiresAt, CancellationToken.None);
                seen.Add(new StackTrace().GetFrames());
            }

            return seen;
        });

        var clientTypes = stacks.Select(frames => frames.Select(frame => frame.GetMethod()?.DeclaringType)
            .Where(type => type?.Assembly == typeof(ConnectionMultiplexer).Assembly).Select(type => type!.FullName!).ToList()).ToList();
        // Not vacuous: continuations did run straight from the client's completion (no hop of the store's own); a reply
        // that was already there when awaited continues on the caller's thread instead, so not every one does.
        Assert.Contains(clientTypes, types => types.Count > 0);
        var clientIo = new[] { "PhysicalConnection", "PhysicalBridge", "SocketManager" };
        var offending = clientTypes.SelectMany(types => types)
            .Where(type => clientIo.Any(name => type.Contains(name, StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        Assert.True(offending.Count == 0, "Continuations ran inside the client's I/O code: " + string.Join(", ", offending));
    }
}
