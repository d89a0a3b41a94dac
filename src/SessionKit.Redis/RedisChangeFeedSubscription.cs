using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Feeds the local session cache from the store's revocation channel. Until the channel is subscribed — and again
/// whenever the connection drops or comes back, when messages may have been lost — it tells the cache to forget
/// everything, so the cache never serves a session that was revoked while nobody was listening.
/// </summary>
internal sealed class RedisChangeFeedSubscription : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly RedisSessionStore _store;
    private readonly RedisConnection _connection;
    private readonly Action<SessionKey> _changed;
    private readonly Action _reset;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private ConnectionMultiplexer? _hooked;
    private IAsyncDisposable? _subscription;

    private RedisChangeFeedSubscription(RedisSessionStore store, RedisConnection connection, Action<SessionKey> changed, Action reset, ILogger logger)
    {
        _store = store;
        _connection = connection;
        _changed = changed;
        _reset = reset;
        _logger = logger;
    }

    public static RedisChangeFeedSubscription Start(RedisSessionStore store, RedisConnection connection, Action<SessionKey> changed, Action reset, ILogger logger)
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
            multiplexer.ConnectionFailed -= OnConnectionChanged;
            multiplexer.ConnectionRestored -= OnConnectionChanged;
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
                    multiplexer.ConnectionFailed += OnConnectionChanged;
                    multiplexer.ConnectionRestored += OnConnectionChanged;
                }

                _subscription = await _store.SubscribeRevocationsAsync(OnRevocation, token).ConfigureAwait(false);
                _reset();
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                _logger.ChangeFeedSubscribeFailed(ex);
                await Task.Delay(RetryDelay, token).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
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
            _reset();
        }
    }

    private void OnConnectionChanged(object? sender, ConnectionFailedEventArgs e) => _reset();
}
