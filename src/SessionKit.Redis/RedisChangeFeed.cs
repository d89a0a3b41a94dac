using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// The Redis store's change feed, both ways: it feeds this instance's local cache from the store's channel, and it makes
/// a revoking or claims-changing call wait until every instance listening on the channel has dropped the entries it
/// changed — or has stopped trusting its cache.
/// </summary>
/// <remarks>
/// <para><b>Listening.</b> A subscribed instance proves at least every <c>ConfirmationTimeout / 4</c> that it receives the
/// channel: it publishes a heartbeat to itself and notes when the heartbeat it receives was sent. It is current (its
/// cache may serve) only while the last proof is younger than <c>ConfirmationTimeout</c>; a lost subscription, a paused
/// process or a backlog of messages makes it not current, and it tells its subscribers to forget everything before it
/// is current again.</para>
/// <para><b>Confirming.</b> After a change, the caller publishes a confirmation request carrying the changed keys (so it does
/// not depend on message order across cluster nodes); every listening instance drops those keys and acknowledges on the
/// caller's own channel. The caller waits until as many instances as the publish reached have acknowledged, for at most
/// <c>ConfirmationTimeout</c> (plus a small margin). An instance that did not acknowledge by then has no proof younger
/// than the change — every heartbeat it received since was published before the change — so it is not current. Either
/// way, when the call returns, no instance serves the old state from its cache.</para>
/// </remarks>
internal sealed class RedisChangeFeed : ISessionChangeFeed, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // Covers the clocks' granularity between the caller's wait and a listener's proof window.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(20);

    private readonly RedisConnection _connection;
    private readonly RedisChannel _channel;
    private readonly string _ackPrefix;
    private readonly RedisChannel _acks;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..16];
    private readonly TimeSpan _bound;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Listener> _listeners = [];
    private readonly ConcurrentDictionary<string, Confirmation> _confirmations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _acksSubscribed;
    private ITimer? _heartbeat;
    private IConnectionMultiplexer? _hooked;
    private bool _listening;
    private int _disposed;

    // The TimeProvider timestamp at which the latest heartbeat this instance received back was sent; 0 means no proof.
    private long _provenAt;

    public RedisChangeFeed(RedisConnection connection, string channel, string keyPrefix, TimeSpan confirmationTimeout, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _channel = RedisChannel.Literal(channel);
        _ackPrefix = keyPrefix + "acks:";
        _acks = RedisChannel.Literal(_ackPrefix + _instance);
        _bound = confirmationTimeout;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public bool IsCurrent => IsCurrentAt(_time.GetTimestamp());

    /// <inheritdoc />
    public IDisposable Subscribe(Action<SessionKey> changed, Action reset)
    {
        var listener = new Listener(this, changed, reset);
        lock (_gate)
        {
            _listeners.Add(listener);
            if (!_listening)
            {
                _listening = true;
                // In the background: an unavailable Redis must not block (or fail) start-up.
                _ = Task.Run(ListenUntilStoppedAsync);
            }
        }

        return listener;
    }

    /// <summary>
    /// Waits until every listening instance has dropped <paramref name="keys"/> (every entry, when <see langword="null"/>)
    /// or has stopped trusting its cache. Call it after the change succeeded.
    /// </summary>
    public async Task ConfirmAsync(IReadOnlyCollection<SessionKey>? keys, CancellationToken cancellationToken)
    {
        var changedAt = _time.GetTimestamp();
        var nonce = Guid.NewGuid().ToString("N");
        var confirmation = new Confirmation();
        _confirmations[nonce] = confirmation;
        try
        {
            long receivers;
            try
            {
                await (_acksSubscribed ??= SubscribeToAcksAsync()).WaitAsync(cancellationToken).ConfigureAwait(false);
                var message = "sync:" + _instance + ":" + nonce + ":" + (keys is null ? "all" : string.Join(',', keys.Select(k => k.Partition + "." + k.Hash)));
                receivers = await _connection.RunAsync(db => db.PublishAsync(_channel, message, CommandFlags.None), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is done and announced by the store itself; only the count of listeners is unknown. Waiting the
                // whole bound still guarantees that no listener that missed the announcement is trusted when we return.
                _acksSubscribed = null;
                _logger.ConfirmationRequestFailed(ex);
                receivers = -1;
            }

            if (receivers == 0)
            {
                return;
            }

            confirmation.Expect(receivers);
            var remaining = _bound + Margin - _time.GetElapsedTime(changedAt);
            if (remaining > TimeSpan.Zero)
            {
                try
                {
                    await confirmation.Done.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    _logger.ChangeUnconfirmed(receivers, confirmation.Acknowledged, (long)_bound.TotalMilliseconds);
                }
            }
        }
        finally
        {
            _confirmations.TryRemove(nonce, out _);
        }
    }

    public void Dispose()
    {
        // The container may dispose the store (and so the feed) once per service it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _heartbeat?.Dispose();
        if (_hooked is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionFailed;
        }

        _stop.Dispose();
    }

    private bool IsCurrentAt(long now)
    {
        var proven = Volatile.Read(ref _provenAt);
        return proven != 0 && _time.GetElapsedTime(proven, now) < _bound;
    }

    private async Task ListenUntilStoppedAsync()
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
                    multiplexer.ConnectionRestored += OnConnectionFailed;
                }

                var subscriber = multiplexer.GetSubscriber();
                var queue = await subscriber.SubscribeAsync(_channel).WaitAsync(token).ConfigureAwait(false);
                queue.OnMessage(OnChannelMessage);
                var period = _bound / 4;
                _heartbeat = _time.CreateTimer(static state => ((RedisChangeFeed)state!).SendHeartbeat(), this, TimeSpan.Zero, period);
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                _logger.ChangeFeedSubscribeFailed(ex);
                await Task.Delay(RetryDelay, _time, token).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private async Task SubscribeToAcksAsync()
    {
        var multiplexer = await _connection.GetConnectedAsync(_stop.Token).ConfigureAwait(false);
        var queue = await multiplexer.GetSubscriber().SubscribeAsync(_acks).ConfigureAwait(false);
        queue.OnMessage(message =>
        {
            if (_confirmations.TryGetValue((string)message.Message!, out var confirmation))
            {
                confirmation.Acknowledge();
            }
        });
    }

    private void SendHeartbeat()
    {
        var message = "fence:" + _instance + ":" + _time.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        _ = _connection.RunAsync(db => db.PublishAsync(_channel, message, CommandFlags.None), _stop.Token)
            .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void OnChannelMessage(ChannelMessage message)
    {
        var text = (string?)message.Message;
        if (text is null)
        {
            return;
        }

        if (text.StartsWith("fence:", StringComparison.Ordinal))
        {
            OnHeartbeat(text);
        }
        else if (text.StartsWith("sync:", StringComparison.Ordinal))
        {
            OnConfirmationRequest(text);
        }
        else if (RedisRevocation.TryParse(text, out var revocation))
        {
            Notify(revocation.Key);
        }
    }

    private void OnHeartbeat(string text)
    {
        // fence:{instance}:{timestamp} — only our own heartbeats prove anything about our subscription.
        var parts = text.Split(':');
        if (parts.Length != 3 || parts[1] != _instance || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt))
        {
            return;
        }

        if (!IsCurrentAt(_time.GetTimestamp()))
        {
            // Messages may have been missed while not current: forget everything before trusting again.
            Notify(null);
        }

        if (sentAt > Volatile.Read(ref _provenAt))
        {
            Volatile.Write(ref _provenAt, sentAt);
        }
    }

    private void OnConfirmationRequest(string text)
    {
        // sync:{instance}:{nonce}:{partition.hash,…|all}
        var parts = text.Split(':', 4);
        if (parts.Length != 4)
        {
            return;
        }

        if (parts[3] == "all")
        {
            Notify(null);
        }
        else
        {
            foreach (var item in parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var dot = item.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0)
                {
                    Notify(new SessionKey(item[..dot], item[(dot + 1)..]));
                }
            }
        }

        var acks = RedisChannel.Literal(_ackPrefix + parts[1]);
        _ = _connection.RunAsync(db => db.PublishAsync(acks, parts[2], CommandFlags.None), _stop.Token)
            .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Tells every listener that <paramref name="key"/> changed, or (for <see langword="null"/>) to forget everything.</summary>
    private void Notify(SessionKey? key)
    {
        Listener[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            if (key is { } changed)
            {
                listener.Changed(changed);
            }
            else
            {
                listener.Reset();
            }
        }
    }

    // A dropped (or re-established) connection may have lost messages: stop trusting at once, so that the next heartbeat
    // that comes back first makes the listeners forget what they cached, then proves the subscription again (the client
    // resubscribes by itself).
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => Volatile.Write(ref _provenAt, 0);

    private sealed class Listener(RedisChangeFeed feed, Action<SessionKey> changed, Action reset) : IDisposable
    {
        public void Changed(SessionKey key) => changed(key);

        public void Reset() => reset();

        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._listeners.Remove(this);
            }
        }
    }

    /// <summary>The acknowledgements of one confirmation request.</summary>
    private sealed class Confirmation
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _expected = long.MaxValue;
        private long _acknowledged;

        public Task Done => _done.Task;

        public long Acknowledged => Interlocked.Read(ref _acknowledged);

        public void Expect(long receivers)
        {
            Interlocked.Exchange(ref _expected, receivers < 0 ? long.MaxValue : receivers);
            Check();
        }

        public void Acknowledge()
        {
            Interlocked.Increment(ref _acknowledged);
            Check();
        }

        private void Check()
        {
            if (Interlocked.Read(ref _acknowledged) >= Interlocked.Read(ref _expected))
            {
                _done.TrySetResult();
            }
        }
    }
}
