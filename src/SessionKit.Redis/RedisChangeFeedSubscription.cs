using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Feeds the local session cache from the store's revocation channel. The cache is trusted only from the moment the
/// channel is subscribed; when the subscription connection drops it is distrusted (and emptied) until the connection
/// is back, when it is emptied again — so it never serves a session that was revoked while nobody was listening.
/// </summary>
internal sealed class RedisChangeFeedSubscription : IDisposable
{
    /// <summary>The prefix of fence messages (never a revocation: <see cref="RedisRevocation.TryParse"/> refuses it).</summary>
    public const string FencePrefix = "fence:";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // A fence that does not come back in time is abandoned: it only narrows a race, it never blocks a revocation.
    private static readonly TimeSpan FenceTimeout = TimeSpan.FromMilliseconds(250);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _fences = new(StringComparer.Ordinal);

    private readonly RedisSessionStore _store;
    private readonly RedisConnection _connection;
    private readonly Action<SessionKey> _changed;
    private readonly Action<bool> _reset;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private IConnectionMultiplexer? _hooked;
    private IAsyncDisposable? _subscription;

    private RedisChangeFeedSubscription(RedisSessionStore store, RedisConnection connection, Action<SessionKey> changed, Action<bool> reset, ILogger logger)
    {
        _store = store;
        _connection = connection;
        _changed = changed;
        _reset = reset;
        _logger = logger;
    }

    public static RedisChangeFeedSubscription Start(RedisSessionStore store, RedisConnection connection, Action<SessionKey> changed, Action<bool> reset, ILogger logger)
    {
        var subscription = new RedisChangeFeedSubscription(store, connection, changed, reset, logger);
        // The subscription is made in the background: an unavailable Redis must not block (or fail) start-up.
        _ = Task.Run(subscription.SubscribeUntilStoppedAsync);
        return subscription;
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_hooked is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
        }

        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            _ = subscription.DisposeAsync().AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private async Task SubscribeUntilStoppedAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var multiplexer = await _connection.GetConnectedAsync(token).ConfigureAwait(false);
                if (_hooked is null)
                {
                    _hooked = multiplexer;
                    multiplexer.ConnectionFailed += OnConnectionFailed;
                    multiplexer.ConnectionRestored += OnConnectionRestored;
                }

                _subscription = await _store.SubscribeRevocationsAsync(OnRevocation, token, OnFence).ConfigureAwait(false);
                _reset(true);
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                _logger.ChangeFeedSubscribeFailed(ex);
                await Task.Delay(RetryDelay, token).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Publishes a fence message and waits until this instance's subscription has received it. Messages reach every
    /// subscriber in publication order and in the same flush, so when the fence is back the revocations published
    /// before it have reached the other instances as well.
    /// </summary>
    public async Task FenceAsync(CancellationToken cancellationToken)
    {
        if (_subscription is null)
        {
            return;
        }

        var nonce = Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fences[nonce] = arrived;
        try
        {
            await _store.PublishAsync(FencePrefix + nonce, cancellationToken).ConfigureAwait(false);
            await arrived.Task.WaitAsync(FenceTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The revocation itself succeeded; the other instances will still get its message, just not provably yet.
        }
        finally
        {
            _fences.TryRemove(nonce, out _);
        }
    }

    private void OnFence(string nonce)
    {
        if (_fences.TryGetValue(nonce, out var arrived))
        {
            arrived.TrySetResult();
        }
    }

    private void OnRevocation(RedisRevocation revocation)
    {
        if (revocation.Key is { } key)
        {
            _changed(key);
        }
        else
        {
            _reset(true);
        }
    }

    // Only the subscription connection carries the channel. The client resubscribes by itself when it comes back;
    // messages published meanwhile are lost, hence the reset in both directions.
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _reset(false);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && _subscription is not null)
        {
            _reset(true);
        }
    }
}
