using System.Diagnostics;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Owns the StackExchange.Redis multiplexer: connects lazily on first use, lets the client reconnect by itself
/// (<see cref="ConfigurationOptions.AbortOnConnectFail"/> forced to <see langword="false"/>), and bounds every
/// call with <see cref="RedisSessionStoreOptions.OperationTimeout"/> because the 1.x client has no async timeouts.
/// </summary>
/// <remarks>
/// Only members whose signatures are unchanged in StackExchange.Redis 2.x and 3.x are called, with every argument
/// explicit, so the assembly keeps working when an application's own reference unifies the client upward.
/// </remarks>
internal sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;

    public RedisConnection(string configuration, TimeSpan timeout)
    {
        _configuration = Parse(configuration);
        // We don't want an initially unavailable server to prevent DI creating the store, nor a dropped
        // connection to need a restart: the multiplexer keeps retrying in the background.
        _configuration.AbortOnConnectFail = false;
        _timeout = timeout;
    }

    /// <summary>
    /// Parses a configuration string with the StackExchange.Redis version the app runs on, so that a keyword it
    /// does not know fails at registration with a message that says what to do — not at the first request.
    /// </summary>
    /// <exception cref="ArgumentException">The string is not a valid configuration for this client version.</exception>
    public static ConfigurationOptions Parse(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException exception)
        {
            var version = typeof(ConfigurationOptions).Assembly.GetName().Version;
            throw new ArgumentException(
                $"The Redis configuration string is not understood by StackExchange.Redis {version}: {exception.Message}. " +
                "Newer keywords (such as 'user' for Redis 6 ACLs) need StackExchange.Redis 2.x or later: add a direct package reference to it.",
                nameof(configuration), exception);
        }
    }

    /// <summary>The logical database the store uses (0 on a cluster).</summary>
    public int Database => _configuration.DefaultDatabase ?? 0;

    /// <summary>Runs <paramref name="call"/> on the database; connection and call together get one timeout.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabaseAsync, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var multiplexer = await BoundAsync(GetMultiplexerAsync(), _timeout, cancellationToken).ConfigureAwait(false);
        var remaining = _timeout - Stopwatch.GetElapsedTime(started);
        var database = multiplexer.GetDatabase(Database, null);
        // No hop to the thread pool after the reply: StackExchange.Redis already completes each awaited task from a
        // thread-pool work item of its own (tasks that run continuations asynchronously), never inline on the thread
        // that reads the socket, so code after this await cannot stall the connection. RedisConnectionTests holds the
        // client to that.
        return await BoundAsync(call(database), remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The connected (or reconnecting) multiplexer, waiting at most the operation timeout.</summary>
    public Task<ConnectionMultiplexer> GetConnectedAsync(CancellationToken cancellationToken)
        => BoundAsync(GetMultiplexerAsync(), _timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is not null)
        {
            try
            {
                // Dispose on the concrete type: never through an interface whose shape changed across client versions.
                (await connecting.ConfigureAwait(false)).Dispose();
            }
            catch (RedisException)
            {
                // It never connected: nothing to release.
            }
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<ConnectionMultiplexer> GetMultiplexerAsync()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // With AbortOnConnectFail off, ConnectAsync completes even when the server is down; a faulted attempt
            // (for example an unresolvable host) is retried on the next call instead of being cached forever.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync(_configuration);
            }

            return _connecting;
        }
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration)
        => await ConnectionMultiplexer.ConnectAsync(configuration, null).ConfigureAwait(false);

    private static async Task<T> BoundAsync<T>(Task<T> task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The abandoned call may still fault later; observe it so it is not reported as unobserved.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new TimeoutException($"Redis did not answer within {timeout.TotalMilliseconds:0} ms.");
        }
    }
}
