using System.Globalization;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Revocations acknowledged by replicas (<see cref="RedisSessionStoreOptions.RevocationReplicas"/>): each revoking script
/// runs with EVAL on a connection of its own, immediately followed (pipelined, on the same server) by <c>WAIT</c>, which
/// covers exactly that connection's writes. <c>WAIT</c> blocks the connection it runs on, which is why it never runs on
/// the store's shared connection (or the application's), where every other command would queue behind it.
/// </summary>
/// <remarks>
/// Sending the script and its <c>WAIT</c> together means a connection lost between them fails both, never leaving a
/// <c>WAIT</c> on a fresh connection (which has written nothing, so it would be acknowledged at once).
/// </remarks>
internal sealed class RedisReplicatedRevocations(RedisConnection connection, int replicas, Func<TimeSpan> timeout) : IAsyncDisposable
{
    /// <summary>The dedicated connection (for tests).</summary>
    internal RedisConnection Connection => connection;

    /// <summary>Runs <paramref name="script"/> and returns its result once <c>replicas</c> replicas hold its writes.</summary>
    public Task<RedisResult> EvaluateAsync(RedisScript script, RedisKey[] keys, RedisValue[] values, Action<IDatabaseAsync, Task>? abandoned, CancellationToken cancellationToken)
        => connection.RunAsync(database => EvaluateAndWaitAsync(database, script, keys, values), abandoned, cancellationToken);

    /// <summary>Deletes <paramref name="keys"/> (each where its slot lives) on the dedicated connection, unacknowledged.</summary>
    public Task<bool[]> DeleteAsync(RedisKey[] keys, CancellationToken cancellationToken)
        => connection.RunAsync(database => Task.WhenAll(keys.Select(k => database.KeyDeleteAsync(k, CommandFlags.None))), cancellationToken);

    /// <summary>Waits until every primary has replicated this connection's writes (after <see cref="DeleteAsync"/>).</summary>
    public async Task AcknowledgeAllAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await connection.GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in multiplexer.GetEndPoints(false))
        {
            var server = multiplexer.GetServer(endpoint, null);
            if (server.IsConnected && !server.IsReplica)
            {
                await connection.RunAsync(_ => WaitAsync(server), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private async Task<RedisResult> EvaluateAndWaitAsync(IDatabaseAsync database, RedisScript script, RedisKey[] keys, RedisValue[] values)
    {
        var server = database.Multiplexer.GetServer(keys[0], null, CommandFlags.DemandMaster);
        var arguments = new List<object>(2 + keys.Length + values.Length) { script.Text, keys.Length };
        arguments.AddRange(keys.Cast<object>());
        arguments.AddRange(values.Cast<object>());
        var write = server.ExecuteAsync(connection.Database < 0 ? null : connection.Database, "EVAL", arguments, CommandFlags.DemandMaster);
        var acknowledged = WaitAsync(server);
        try
        {
            return await write.ConfigureAwait(false);
        }
        finally
        {
            // A script error is a bug, reported as such; the WAIT behind it must not go unobserved either way.
            await acknowledged.ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitAsync(IServer server)
    {
        var milliseconds = (long)Math.Max(1, timeout().TotalMilliseconds);
        var acknowledged = (long)await server.ExecuteAsync("WAIT", replicas, milliseconds).ConfigureAwait(false);
        if (acknowledged < replicas)
        {
            throw new SessionStoreUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"Redis ({RedisConfiguration.Format(server.EndPoint)}): {acknowledged} of the {replicas} replicas required acknowledged the revocation within {milliseconds} ms, so it could be lost in a failover."));
        }

        return true;
    }
}
