using System.Diagnostics;
using System.Globalization;

namespace SessionKit.Testing.Redis;

/// <summary>
/// An xunit fixture running a real three-master Redis Cluster (no replicas) on free loopback ports, built with
/// <c>redis-server --cluster-enabled yes</c> and <c>redis-cli --cluster create</c>.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private const int Masters = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly List<RedisServerProcess> _nodes = [];

    /// <summary>The cluster's nodes.</summary>
    public IReadOnlyList<RedisServerProcess> Nodes => _nodes;

    /// <summary>A StackExchange.Redis configuration string listing every node.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.ConnectionString));

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < Masters; i++)
        {
            // The cluster bus port is given explicitly (Redis 7): the default, port + 10000, may not be free or valid.
            _nodes.Add(new RedisServerProcess(0, null,
                "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "5000",
                "--cluster-port", RedisServerProcess.FreePort().ToString(CultureInfo.InvariantCulture)));
        }

        await Task.WhenAll(_nodes.Select(n => n.StartAsync())).ConfigureAwait(false);
        await RedisServerProcess.RunCliAsync(["--cluster", "create", .. _nodes.Select(n => n.ConnectionString), "--cluster-replicas", "0", "--cluster-yes"]).ConfigureAwait(false);
        await WaitUntilReadyAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask())));

    /// <summary>Waits until every node reports the cluster healthy and knows all the masters.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ready = true;
            foreach (var node in _nodes)
            {
                var info = await node.CliAsync("CLUSTER", "INFO").ConfigureAwait(false);
                ready &= info.Contains("cluster_state:ok", StringComparison.Ordinal)
                    && info.Contains("cluster_known_nodes:" + Masters.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            if (ready)
            {
                return;
            }

            if (deadline.Elapsed > ReadyTimeout)
            {
                throw new InvalidOperationException("The Redis Cluster did not become ready:\n" + string.Join("\n", _nodes.Select(n => n.Output)));
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
