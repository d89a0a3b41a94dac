using System.Diagnostics;
using System.Globalization;

namespace SessionKit.Testing.Redis;

/// <summary>
/// An xunit fixture running Redis behind Sentinel on free loopback ports: one primary, one replica and three sentinels
/// (quorum 2, <c>down-after-milliseconds 1000</c>), all from Debian's <c>redis-server</c> (sentinels as
/// <c>redis-server sentinel.conf --sentinel</c>). Clients connect through the sentinels with
/// <see cref="ConnectionString"/> (<c>serviceName=…</c>).
/// </summary>
public sealed class RedisSentinelFixture : IAsyncLifetime
{
    /// <summary>The name the sentinels monitor the primary under.</summary>
    public const string ServiceName = "sessionkit";

    private const int Sentinels = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("sessionkit-sentinel-").FullName;
    private readonly List<RedisServerProcess> _sentinels = [];

    /// <summary>The server that was primary when the fixture started.</summary>
    public RedisServerProcess Primary { get; private set; } = null!;

    /// <summary>The server that was its replica when the fixture started.</summary>
    public RedisServerProcess Replica { get; private set; } = null!;

    /// <summary>The data servers (primary first, as started).</summary>
    public IReadOnlyList<RedisServerProcess> Servers => [Primary, Replica];

    /// <summary>The sentinels.</summary>
    public IReadOnlyList<RedisServerProcess> SentinelProcesses => _sentinels;

    /// <summary>A StackExchange.Redis configuration string: the three sentinels and the service name.</summary>
    public string ConnectionString => string.Join(',', _sentinels.Select(s => s.ConnectionString)) + ",serviceName=" + ServiceName;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Primary = new RedisServerProcess(0, Subdirectory("primary"));
        Replica = new RedisServerProcess(0, Subdirectory("replica"), "--replicaof", "127.0.0.1", Port(Primary));
        await Task.WhenAll(Primary.StartAsync(), Replica.StartAsync()).ConfigureAwait(false);
        for (var i = 0; i < Sentinels; i++)
        {
            var port = RedisServerProcess.FreePort();
            var directory = Subdirectory("sentinel" + i.ToString(CultureInfo.InvariantCulture));
            var file = Path.Combine(directory, "sentinel.conf");
            await File.WriteAllTextAsync(file, string.Join('\n',
                "port " + port.ToString(CultureInfo.InvariantCulture),
                "bind 127.0.0.1",
                "daemonize no",
                "dir " + directory,
                $"sentinel monitor {ServiceName} 127.0.0.1 {Port(Primary)} 2",
                $"sentinel down-after-milliseconds {ServiceName} 1000",
                $"sentinel failover-timeout {ServiceName} 5000",
                $"sentinel parallel-syncs {ServiceName} 1",
                "")).ConfigureAwait(false);
            _sentinels.Add(new RedisServerProcess(file, port, directory, "--sentinel"));
        }

        await Task.WhenAll(_sentinels.Select(s => s.StartAsync())).ConfigureAwait(false);
        await WaitUntilAsync(async () =>
        {
            foreach (var sentinel in _sentinels)
            {
                var replicas = await sentinel.CliAsync("SENTINEL", "REPLICAS", ServiceName).ConfigureAwait(false);
                var others = await sentinel.CliAsync("SENTINEL", "SENTINELS", ServiceName).ConfigureAwait(false);
                if (!replicas.Contains(Port(Replica), StringComparison.Ordinal) || CountOccurrences(others, "runid") < Sentinels - 1)
                {
                    return false;
                }
            }

            return (await Replica.CliAsync("INFO", "replication").ConfigureAwait(false)).Contains("master_link_status:up", StringComparison.Ordinal);
        }, "the sentinels did not discover the replica and each other").ConfigureAwait(false);
    }

    /// <summary>The port of the server the sentinels currently name primary.</summary>
    /// <returns>The port.</returns>
    public async Task<int> PrimaryPortAsync()
    {
        var address = await _sentinels[0].CliAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName).ConfigureAwait(false);
        return int.Parse(address.Split('\n')[^1].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The data server the sentinels currently name primary.</summary>
    /// <returns>The server.</returns>
    public async Task<RedisServerProcess> CurrentPrimaryAsync()
    {
        var port = await PrimaryPortAsync().ConfigureAwait(false);
        return Servers.Single(s => s.Port == port);
    }

    /// <summary>Waits until a majority of the sentinels name a primary other than <paramref name="oldPort"/> and it answers as primary.</summary>
    /// <param name="oldPort">The port of the primary that failed.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The new primary.</returns>
    public async Task<RedisServerProcess> WaitForFailoverAsync(int oldPort, TimeSpan timeout)
    {
        RedisServerProcess? promoted = null;
        await WaitUntilAsync(async () =>
        {
            var agreeing = 0;
            foreach (var sentinel in _sentinels.Where(s => s.IsRunning))
            {
                var address = await sentinel.CliAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName).ConfigureAwait(false);
                agreeing += address.EndsWith(oldPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) ? 0 : 1;
            }

            if (agreeing < 2)
            {
                return false;
            }

            promoted = await CurrentPrimaryAsync().ConfigureAwait(false);
            return promoted.IsRunning && (await promoted.CliAsync("ROLE").ConfigureAwait(false)).StartsWith("master", StringComparison.Ordinal);
        }, "no failover", timeout).ConfigureAwait(false);
        return promoted!;
    }

    /// <summary>Waits until every write the primary has accepted is on the replica (<c>WAIT 1</c>).</summary>
    /// <returns>A task that completes when the replica has acknowledged.</returns>
    public async Task WaitForReplicationAsync()
    {
        var primary = await CurrentPrimaryAsync().ConfigureAwait(false);
        // WAIT covers the writes of its own connection; a write of its own first makes it cover everything before it.
        var output = await primary.CliOnOneConnectionAsync("SET sessionkit-test:replication-probe 1\nWAIT 1 5000\n").ConfigureAwait(false);
        var acknowledged = output.Split('\n')[^1].Trim();
        if (acknowledged != "1")
        {
            throw new InvalidOperationException("The replica did not acknowledge: " + acknowledged);
        }
    }

    /// <summary>
    /// Stops replication where it stands, as a lagging or partitioned replica would: freezes the replica (SIGSTOP) and
    /// drops the primary's link to it, so nothing written from now on reaches it. Freezing alone is not lag: the kernel
    /// keeps delivering the replication stream into the frozen replica's socket buffer, and it applies it on resuming.
    /// </summary>
    /// <returns>A task that completes when the link is cut.</returns>
    public async Task CutReplicationAsync()
    {
        await Replica.PauseAsync().ConfigureAwait(false);
        await Primary.CliAsync("CLIENT", "KILL", "TYPE", "replica").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_sentinels.Select(s => s.DisposeAsync().AsTask()).Append(Primary?.DisposeAsync().AsTask() ?? Task.CompletedTask).Append(Replica?.DisposeAsync().AsTask() ?? Task.CompletedTask)).ConfigureAwait(false);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Port(RedisServerProcess server) => server.Port.ToString(CultureInfo.InvariantCulture);

    private static int CountOccurrences(string text, string word)
    {
        var count = 0;
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private string Subdirectory(string name) => Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? ReadyTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (clock.Elapsed < limit)
            {
                // redis-cli failed against a server that is starting or stopping: ask again.
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Redis Sentinel: {what} within {limit}. Sentinel output:\n{_sentinels[0].Output}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
