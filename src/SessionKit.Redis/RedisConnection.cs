using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// The store's multiplexer, obtained lazily on first use: one SessionKit opens (and owns) from configuration, or one
/// the application owns. Every call stops waiting when its <see cref="CancellationToken"/> is cancelled (the client's
/// commands take none, and one already sent still runs), and the client's infrastructure failures become
/// <see cref="SessionStoreUnavailableException"/> naming the servers and the cause.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private readonly Func<Task<(IConnectionMultiplexer Multiplexer, string? ConnectLog)>> _connect;
    private readonly bool _owned;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private RedisConnectionMonitor? _monitor;
    private bool _disposed;

    private RedisConnection(Func<Task<(IConnectionMultiplexer, string?)>> connect, bool owned, string servers, int? database, ILogger logger)
    {
        _connect = connect;
        _owned = owned;
        Servers = servers;
        Database = database ?? -1;
        _logger = logger;
    }

    /// <summary>A connection SessionKit opens from <paramref name="options"/> (tuned to heal quickly), owns and disposes.</summary>
    public static RedisConnection Owned(ConfigurationOptions options, ILogger logger)
    {
        var owned = RedisConfiguration.ForOwnedConnection(options);
        return new RedisConnection(() => ConnectOwnedAsync(owned), owned: true, RedisConfiguration.Describe(owned), owned.DefaultDatabase, logger);
    }

    /// <summary>
    /// A connection SessionKit opens (and owns) next to <paramref name="sibling"/>, from its configuration string:
    /// for an application's multiplexer, whose options are not accessible otherwise (settings without a string form,
    /// such as certificate callbacks, are not carried over).
    /// </summary>
    public static RedisConnection OwnedBeside(RedisConnection sibling, ILogger logger)
        => new(
            async () =>
            {
                var multiplexer = await sibling.GetConnectedAsync(CancellationToken.None).ConfigureAwait(false);
                return await ConnectOwnedAsync(RedisConfiguration.ForOwnedConnection(ConfigurationOptions.Parse(multiplexer.Configuration))).ConfigureAwait(false);
            },
            owned: true, sibling.Servers, database: null, logger);

    /// <summary>A connection the application owns: SessionKit neither tunes nor disposes it.</summary>
    public static RedisConnection External(Func<Task<IConnectionMultiplexer>> factory, string description, ILogger logger)
        => new(async () => (await factory().ConfigureAwait(false), null), owned: false, description, database: null, logger);

    /// <summary>The servers, for messages (never a credential).</summary>
    public string Servers { get; private set; }

    /// <summary>The logical database the store uses (-1: the multiplexer's default; always 0 on a cluster).</summary>
    public int Database { get; }

    /// <summary>Runs <paramref name="call"/> on the database, waiting at most until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task<T> RunAsync<T>(Func<IDatabaseAsync, Task<T>> call, CancellationToken cancellationToken)
        => RunAsync(call, abandoned: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="call"/>; when the caller stops waiting after it was sent, <paramref name="abandoned"/> gets
    /// the same database and the call's task, to undo its effect on the same connection once the call has completed.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabaseAsync, Task<T>> call, Action<IDatabaseAsync, Task>? abandoned, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var multiplexer = await GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        var database = multiplexer.GetDatabase(Database, null);
        Task<T> task;
        try
        {
            task = call(database);
        }
        catch (Exception exception) when (RedisFailures.IsInfrastructure(exception))
        {
            throw Unavailable(exception);
        }

        // No hop to the thread pool after the reply: StackExchange.Redis already completes each awaited task from a
        // thread-pool work item of its own, never inline in the loop that reads the socket (whether that loop runs on
        // its dedicated threads or, on connections SessionKit opens, on the thread pool), so code after this await
        // cannot stall the connection. RedisConnectionTests holds the client to that.
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (task.IsCompletedSuccessfully)
            {
                return task.Result; // It completed as the caller gave up: nothing is left half-done.
            }

            Observe(task);
            abandoned?.Invoke(database, task);
            throw;
        }
        catch (Exception exception) when (RedisFailures.IsInfrastructure(exception))
        {
            throw Unavailable(exception);
        }
    }

    /// <summary>The multiplexer (connected, or reconnecting in the background), waiting at most until cancelled.</summary>
    public async Task<IConnectionMultiplexer> GetConnectedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await GetMultiplexerAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisFailures.IsInfrastructure(exception))
        {
            throw Unavailable(exception);
        }
    }

    /// <summary>The exception a store call fails with when Redis is unavailable.</summary>
    public SessionStoreUnavailableException Unavailable(Exception exception)
    {
        var cause = RedisFailures.Cause(exception);
        if (_monitor?.LastFailure is { } last)
        {
            cause += "; last connection failure: " + last;
        }

        return new SessionStoreUnavailableException($"Redis ({Servers}) is unavailable: {cause}.", exception);
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            _disposed = true;
            connecting = _connecting;
        }

        _monitor?.Dispose();
        if (connecting is null || !_owned)
        {
            return;
        }

        try
        {
            await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // It never connected: nothing to release.
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<IConnectionMultiplexer> GetMultiplexerAsync()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // An owned multiplexer never gives up (AbortOnConnectFail off), so its task completes even while the server
            // is down; a faulted attempt (an app factory that threw) is retried on the next call, not cached forever.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync();
            }

            return _connecting;
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var (multiplexer, connectLog) = await _connect().ConfigureAwait(false);
        if (multiplexer is null)
        {
            throw new InvalidOperationException("RedisSessionStoreOptions.ConnectionMultiplexerFactory returned null.");
        }

        if (!_owned)
        {
            Servers = RedisConfiguration.Endpoints(multiplexer.GetEndPoints(false));
        }

        var monitor = new RedisConnectionMonitor(multiplexer, _logger);
        Interlocked.Exchange(ref _monitor, monitor)?.Dispose();
        monitor.ReportInitialState(connectLog);
        return multiplexer;
    }

    /// <summary>
    /// Connects, keeping the client's connect log: the failures of the first attempt are reported before anyone can
    /// subscribe to the client's events, and only that log says which kind they were (refused, authentication).
    /// </summary>
    private static async Task<(IConnectionMultiplexer, string?)> ConnectOwnedAsync(ConfigurationOptions options)
    {
        using var log = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options, log).ConfigureAwait(false);
        return (multiplexer, log.ToString());
    }

    private static void Observe(Task task)
        => _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
