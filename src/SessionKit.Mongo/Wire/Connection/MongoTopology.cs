using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// Knows the servers (the seed list plus the members replica-set handshakes report) and which one is the writable
/// primary. Discovery asks each candidate <c>isMaster</c> on a fresh exchange, follows the <c>primary</c> hint, and
/// gives up after serverSelectionTimeoutMS. A "not primary"/"node is recovering" error or a network error forgets the
/// primary so the next operation rediscovers it.
/// </summary>
internal sealed class MongoTopology : IAsyncDisposable
{
    private static readonly TimeSpan RescanDelay = TimeSpan.FromMilliseconds(250);
    private readonly MongoConnectionSettings _settings;
    private readonly MongoConnector _connector;
    private readonly ConcurrentDictionary<MongoEndPoint, ConnectionPool> _pools = new();
    private readonly List<MongoEndPoint> _known;
    private readonly SemaphoreSlim _discovery = new(1, 1);
    private readonly Lock _knownLock = new();
    private readonly ILogger _logger;
    private volatile MongoEndPoint? _primary;

    public MongoTopology(MongoConnectionSettings settings, MongoConnector connector, ILogger? logger = null)
    {
        _settings = settings;
        _connector = connector;
        _logger = logger ?? NullLogger.Instance;
        _known = [.. settings.Hosts];
    }

    public MongoEndPoint? KnownPrimary => _primary;

    public ConnectionPool Pool(MongoEndPoint endPoint)
        => _pools.GetOrAdd(endPoint, e => new ConnectionPool(e, _connector, _settings.MaxPoolSize, _settings.WaitQueueTimeout));

    /// <summary>Forgets the primary after a state-change or network error; clears its pool when the server is shutting down or unreachable.</summary>
    public void MarkUnknown(MongoEndPoint endPoint, bool clearPool, string? reason = null)
    {
        if (_primary is { } primary && primary.Matches(endPoint))
        {
            _primary = null;
            if (reason is not null)
            {
                _logger.ServerMarkedUnknown(endPoint.ToString(), reason);
            }
        }

        if (clearPool && _pools.TryGetValue(endPoint, out var pool))
        {
            pool.Clear();
        }
    }

    public async Task<MongoEndPoint> SelectPrimaryAsync(CancellationToken cancellationToken)
    {
        if (_primary is { } known)
        {
            return known;
        }

        if (!await _discovery.WaitAsync(_settings.ServerSelectionTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"No MongoDB primary was found within serverSelectionTimeoutMS ({_settings.ServerSelectionTimeout.TotalSeconds:0.###} s).");
        }

        try
        {
            return _primary ?? await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _discovery.Release();
        }
    }

    private async Task<MongoEndPoint> DiscoverAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _settings.ServerSelectionTimeout;
        Exception? lastError = null;
        string? lastState = null;
        while (true)
        {
            MongoEndPoint[] candidates;
            lock (_knownLock)
            {
                candidates = [.. _known];
            }

            var queue = new Queue<MongoEndPoint>(candidates);
            var asked = new HashSet<MongoEndPoint>();
            while (queue.TryDequeue(out var candidate))
            {
                if (!asked.Add(candidate))
                {
                    continue;
                }

                try
                {
                    var hello = await CheckAsync(candidate, cancellationToken).ConfigureAwait(false);

                    // Learn the members from every answer, the primary's included, so a later failover finds them.
                    if (!_settings.DirectConnection)
                    {
                        Learn(hello, queue);
                    }

                    if (IsUsablePrimary(hello))
                    {
                        _primary = candidate;
                        _logger.PrimaryDiscovered(candidate.ToString());
                        return candidate;
                    }

                    lastState = $"{candidate} is {(hello.IsSecondary ? "a secondary" : "not writable")}{(hello.SetName is null ? "" : " in replica set " + hello.SetName)}";
                }
                catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or Protocol.WireProtocolException or MongoServerException)
                {
                    lastError = e;
                    MarkUnknown(candidate, clearPool: true);
                }
            }

            if (DateTime.UtcNow + RescanDelay > deadline)
            {
                var detail = lastError?.Message ?? lastState ?? "no server answered";
                throw new TimeoutException($"No MongoDB primary was found within serverSelectionTimeoutMS ({_settings.ServerSelectionTimeout.TotalSeconds:0.###} s): {detail}", lastError);
            }

            await Task.Delay(RescanDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsUsablePrimary(HelloResult hello)
        => hello.IsWritablePrimary && (_settings.ReplicaSet is null || string.Equals(hello.SetName, _settings.ReplicaSet, StringComparison.Ordinal));

    private void Learn(HelloResult hello, Queue<MongoEndPoint> queue)
    {
        if (_settings.ReplicaSet is not null && !string.Equals(hello.SetName, _settings.ReplicaSet, StringComparison.Ordinal))
        {
            return;
        }

        lock (_knownLock)
        {
            foreach (var host in hello.Hosts)
            {
                if (!MongoEndPoint.TryParse(host, out var member))
                {
                    continue;
                }

                if (!_known.Exists(k => k.Matches(member)))
                {
                    _known.Add(member);
                }

                queue.Enqueue(member);
            }
        }

        if (MongoEndPoint.TryParse(hello.Primary, out var hinted))
        {
            // Follow the hint first: a secondary usually knows the primary.
            var rest = queue.ToArray();
            queue.Clear();
            queue.Enqueue(hinted);
            foreach (var item in rest)
            {
                queue.Enqueue(item);
            }
        }
    }

    /// <summary>A fresh isMaster on a pooled connection (a pooled connection's own handshake reply may be stale).</summary>
    private async Task<HelloResult> CheckAsync(MongoEndPoint endPoint, CancellationToken cancellationToken)
    {
        var pool = Pool(endPoint);
        var connection = await pool.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reply = await connection.RoundTripAsync(new BsonDocument().Add("isMaster", 1).Add("$db", "admin"), [], cancellationToken).ConfigureAwait(false);
            MongoServerException.ThrowIfFailed(reply);
            var hello = HelloResult.From(reply);
            connection.Hello = hello;
            return hello;
        }
        finally
        {
            await pool.ReturnAsync(connection).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        _discovery.Dispose();
    }
}
