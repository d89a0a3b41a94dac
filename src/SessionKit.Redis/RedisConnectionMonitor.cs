using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Watches a multiplexer's connections: logs each failure once (with the endpoint and the cause, never a credential)
/// and each recovery, and remembers the latest cause so that a failing call can name it.
/// </summary>
internal sealed class RedisConnectionMonitor : IDisposable
{
    private readonly IConnectionMultiplexer _multiplexer;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, string> _failures = new(StringComparer.Ordinal);

    public RedisConnectionMonitor(IConnectionMultiplexer multiplexer, ILogger logger)
    {
        _multiplexer = multiplexer;
        _logger = logger;
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>The latest known cause of a broken connection, or <see langword="null"/> when all are up.</summary>
    public string? LastFailure => _failures.IsEmpty ? null : string.Join("; ", _failures.Select(f => f.Key + ": " + f.Value));

    /// <summary>
    /// Reports servers that were not reachable when the multiplexer was created: the client reports a failure once,
    /// and that first one happened before anyone could listen.
    /// </summary>
    /// <param name="connectLog">The client's log of the first attempt, when SessionKit made it; it names the failures' kinds.</param>
    public void ReportInitialState(string? connectLog)
    {
        if (_multiplexer.IsConnected)
        {
            return;
        }

        foreach (var endpoint in _multiplexer.GetEndPoints(false))
        {
            if (!_multiplexer.GetServer(endpoint, null).IsConnected)
            {
                _ = RecordAsync(endpoint, ConnectionType.Interactive, InitialFailure(connectLog, RedisConfiguration.Format(endpoint)));
            }
        }
    }

    /// <summary>The failure kind the client's connect log gives for <paramref name="server"/> ("Connection failed: host:port (Interactive, Kind)").</summary>
    private static ConnectionFailureType InitialFailure(string? connectLog, string server)
    {
        var marker = "Connection failed: " + server + " (Interactive, ";
        var at = connectLog?.LastIndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at >= 0)
        {
            var start = at + marker.Length;
            var end = connectLog!.IndexOf(')', start);
            if (end > start && Enum.TryParse<ConnectionFailureType>(connectLog[start..end], out var failure))
            {
                return failure;
            }
        }

        return ConnectionFailureType.UnableToConnect;
    }

    public void Dispose()
    {
        _multiplexer.ConnectionFailed -= OnConnectionFailed;
        _multiplexer.ConnectionRestored -= OnConnectionRestored;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            _ = RecordAsync(e.EndPoint, e.ConnectionType, e.FailureType);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive && _failures.TryRemove(RedisConfiguration.Format(e.EndPoint), out _))
        {
            _logger.ConnectionRestored(RedisConfiguration.Format(e.EndPoint));
        }
    }

    private async Task RecordAsync(System.Net.EndPoint? endpoint, ConnectionType type, ConnectionFailureType failure)
    {
        try
        {
            var cause = RedisFailures.Describe(failure);
            if (failure is ConnectionFailureType.UnableToConnect or ConnectionFailureType.SocketFailure or ConnectionFailureType.SocketClosed)
            {
                cause += " (" + await RedisEndpointProbe.DiagnoseAsync(endpoint).ConfigureAwait(false) + ")";
            }

            var name = RedisConfiguration.Format(endpoint);
            if (endpoint is not null && _multiplexer.GetServer(endpoint, null).IsConnected)
            {
                return; // Back already while the cause was being looked into.
            }

            _failures[name] = cause;
            _logger.ConnectionFailed(name, type.ToString(), cause);
        }
#pragma warning disable CA1031 // A diagnosis that fails must not take the process down from an event handler.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.ConnectionFailed(RedisConfiguration.Format(endpoint), type.ToString(), RedisFailures.Describe(failure) + " (" + exception.GetType().Name + ")");
        }
    }
}
