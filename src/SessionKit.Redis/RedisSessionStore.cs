using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// An <see cref="ISessionStore"/> on Redis (standalone or Cluster): one packed string per session and one sorted
/// set per subject, every multi-key change one Lua script (see <see cref="RedisSessionScripts"/>). Sessions are
/// shared by every app instance that uses the same Redis and key prefix.
/// </summary>
internal sealed partial class RedisSessionStore : ISessionStore, ISessionChangeFeed, IAsyncDisposable, IDisposable
{
    private const int DeleteAllPageSize = 500;

    private readonly RedisConnection _connection;
    private readonly RedisReplicatedRevocations? _revocations;
    private readonly RedisSessionKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _channel;
    private RedisChangeFeedSubscription? _feed;

    public RedisSessionStore(string configuration, RedisSessionStoreOptions options, TimeProvider time, ILogger<RedisSessionStore> logger)
        : this(RedisConnection.Owned(RedisConfiguration.Parse(configuration), logger), options, time, logger, revocations: null)
    {
    }

    public RedisSessionStore(RedisConnection connection, RedisSessionStoreOptions options, TimeProvider time, ILogger<RedisSessionStore> logger, RedisReplicatedRevocations? revocations)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _revocations = revocations;
        _keys = new RedisSessionKeys(options.KeyPrefix);
        _time = time;
        _logger = logger;
        _channel = options.ChannelName ?? options.KeyPrefix + "revocations";
    }

    /// <summary>The pub/sub channel revocations are published on.</summary>
    internal string Channel => _channel;

    /// <summary>The key layout (for tests and operator tooling).</summary>
    internal RedisSessionKeys Keys => _keys;

    internal RedisConnection Connection => _connection;

    public async Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!RedisSessionKeys.IsWellFormed(session.Key) || !string.Equals(session.Key.Partition, RedisSessionKeys.PartitionOf(session.Subject), StringComparison.Ordinal))
        {
            throw new ArgumentException("The session key must be one SessionKit issued for the session's subject.", nameof(session));
        }

        var partition = session.Key.Partition;
        RedisKey[] keys = [_keys.Index(session.Subject), _keys.Session(session.Key)];
        RedisValue[] values =
        [
            Now(), Math.Max(maxSessionsPerSubject, 0), SessionRecordCodec.Encode(session, 1),
            SessionRecordCodec.ToMs(session.CreatedAt), SessionRecordCodec.ToMs(session.ExpiresAt), SessionRecordCodec.ToMs(session.AbsoluteExpiresAt),
            _keys.SessionBase(partition), session.Key.Hash, _channel, partition,
        ];
        var result = await WriteAsync(RedisSessionScripts.Create, keys, values, revokes: maxSessionsPerSubject > 0, (db, create) => CompensateAbandonedCreate(db, create, session.Key), cancellationToken).ConfigureAwait(false);
        return ToKeys(partition, result);
    }

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!RedisSessionKeys.IsWellFormed(key))
        {
            return null;
        }

        var redisKey = (RedisKey)_keys.Session(key);
        var value = await _connection.RunAsync(db => db.StringGetAsync(redisKey, CommandFlags.None), cancellationToken).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }

        var record = SessionRecordCodec.Decode(key, (byte[])value!);
        if (record is null)
        {
            _logger.UnreadableRecord(key.Partition);
            return null;
        }

        return record.IsExpiredAt(_time.GetUtcNow()) ? null : record;
    }

    public async Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        if (!RedisSessionKeys.IsWellFormed(key))
        {
            return false;
        }

        RedisKey[] keys = [_keys.Session(key)];
        RedisValue[] values = [Now(), SessionRecordCodec.ToMs(lastSeenAt), SessionRecordCodec.ToMs(idleExpiresAt)];
        return (long)await EvaluateAsync(RedisSessionScripts.Touch, keys, values, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!RedisSessionKeys.IsWellFormed(session.Key))
        {
            return false;
        }

        var partition = session.Key.Partition;
        RedisKey[] keys = [_keys.Session(session.Key)];
        RedisValue[] values =
        [
            Now(), expectedVersion, SessionRecordCodec.Encode(session, expectedVersion + 1), SessionRecordCodec.EncodeSubject(session.Subject),
            _keys.IndexBase(partition), _keys.SessionBase(partition), session.Key.Hash,
        ];
        return (long)await EvaluateAsync(RedisSessionScripts.Update, keys, values, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!RedisSessionKeys.IsWellFormed(key))
        {
            return false;
        }

        RedisKey[] keys = [_keys.Session(key)];
        RedisValue[] values = [Now(), _keys.IndexBase(key.Partition), key.Hash, _channel, new RedisRevocation(RedisRevocationReason.Deleted, key).Format()];
        var deleted = (long)await WriteAsync(RedisSessionScripts.Delete, keys, values, revokes: true, cancellationToken).ConfigureAwait(false) == 1;
        await FenceAsync(deleted, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var partition = RedisSessionKeys.PartitionOf(subject);
        RedisKey[] keys = [_keys.Index(subject)];
        RedisValue[] values = [Now(), _keys.SessionBase(partition)];
        var pairs = (RedisResult[])(await EvaluateAsync(RedisSessionScripts.List, keys, values, cancellationToken).ConfigureAwait(false))!;
        var sessions = new List<SessionRecord>(pairs.Length / 2);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            var key = new SessionKey(partition, (string)pairs[i]!);
            if (SessionRecordCodec.Decode(key, (byte[])pairs[i + 1]!) is { } record && string.Equals(record.Subject, subject, StringComparison.Ordinal))
            {
                sessions.Add(record);
            }
        }

        return sessions;
    }

    public async Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var partition = RedisSessionKeys.PartitionOf(subject);
        RedisKey[] keys = [_keys.Index(subject)];
        RedisValue[] values = [Now(), _keys.SessionBase(partition), _channel, partition];
        var deleted = ToKeys(partition, await WriteAsync(RedisSessionScripts.DeleteBySubject, keys, values, revokes: true, cancellationToken).ConfigureAwait(false));
        await FenceAsync(deleted.Length > 0, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(permissions);
        var partition = RedisSessionKeys.PartitionOf(subject);
        RedisKey[] keys = [_keys.Index(subject)];
        RedisValue[] values = [Now(), _keys.SessionBase(partition), SessionRecordCodec.EncodeClaims(claims, permissions), _channel, partition];
        var updated = ToKeys(partition, await WriteAsync(RedisSessionScripts.UpdateClaims, keys, values, revokes: true, cancellationToken).ConfigureAwait(false));
        await FenceAsync(updated.Length > 0, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// Deletes every key under the prefix. The only operation that scans: it visits every server the client knows
    /// (every master and replica of a cluster; deletes are routed to the masters), a page of keys at a time. Meant
    /// for operators ("log everyone out"), never for a request path. Returns the number of session records deleted.
    /// </summary>
    public async Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await _connection.GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        long deleted = 0;
        foreach (var endpoint in multiplexer.GetEndPoints(false))
        {
            var server = multiplexer.GetServer(endpoint, null);
            using var keys = server.Keys(_connection.Database, _keys.ScanPattern, DeleteAllPageSize, 0L, 0, CommandFlags.None).GetEnumerator();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // IServer.Keys pages synchronously (each SCAN page bounded by the client's syncTimeout): fetch a page off
                // the caller's thread, delete it, fetch the next — never the whole key space at once.
                var page = await Task.Run(() => NextPage(keys), cancellationToken).ConfigureAwait(false);
                if (page.Length == 0)
                {
                    break;
                }

                var results = _revocations is { } revocations
                    ? await revocations.DeleteAsync(page, cancellationToken).ConfigureAwait(false)
                    : await _connection.RunAsync(db => Task.WhenAll(page.Select(k => db.KeyDeleteAsync(k, CommandFlags.None))), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < page.Length; i++)
                {
                    if (results[i] && IsSessionKey(page[i]))
                    {
                        deleted++;
                    }
                }
            }
        }

        if (_revocations is { } acknowledged)
        {
            await acknowledged.AcknowledgeAllAsync(cancellationToken).ConfigureAwait(false);
        }

        var all = new RedisRevocation(RedisRevocationReason.All, null).Format();
        await _connection.RunAsync(db => db.PublishAsync(new RedisChannel(_channel, RedisChannel.PatternMode.Literal), all, CommandFlags.None), cancellationToken).ConfigureAwait(false);
        _logger.AllDeleted(deleted);
        return deleted;
    }

    /// <summary>Publishes <paramref name="message"/> on the revocation channel.</summary>
    internal Task PublishAsync(string message, CancellationToken cancellationToken)
        => _connection.RunAsync(db => db.PublishAsync(new RedisChannel(_channel, RedisChannel.PatternMode.Literal), message, CommandFlags.None), cancellationToken);

    /// <summary>
    /// Subscribes <paramref name="handler"/> to this store's revocation channel (for cache invalidation across
    /// instances). Dispose the result to unsubscribe. Messages that are not revocations are ignored.
    /// </summary>
    internal async Task<IAsyncDisposable> SubscribeRevocationsAsync(Action<RedisRevocation> handler, CancellationToken cancellationToken, Action<string>? fence = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var multiplexer = await _connection.GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        var subscriber = multiplexer.GetSubscriber(null);
        var channel = new RedisChannel(_channel, RedisChannel.PatternMode.Literal);
        Action<RedisChannel, RedisValue> callback = (_, message) =>
        {
            if (RedisRevocation.TryParse(message, out var revocation))
            {
                handler(revocation);
            }
            else if (fence is not null && ((string?)message)?.StartsWith(RedisChangeFeedSubscription.FencePrefix, StringComparison.Ordinal) == true)
            {
                fence(((string)message!)[RedisChangeFeedSubscription.FencePrefix.Length..]);
            }
        };
        await _connection.RunAsync(_ => subscriber.SubscribeAsync(channel, callback, CommandFlags.None).ContinueWith(static _ => true, TaskScheduler.Default), cancellationToken).ConfigureAwait(false);
        return new Subscription(subscriber, channel, callback);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action<SessionKey> changed, Action<bool> reset)
        => _feed = RedisChangeFeedSubscription.Start(this, _connection, changed, reset, _logger);

    /// <summary>
    /// After a change this instance published, waits (briefly) until the channel has delivered it back to this
    /// instance: Redis flushes a message to every subscriber at once, so by then the other instances have it too, and
    /// a request that follows the revocation finds their caches already invalidated.
    /// </summary>
    private Task FenceAsync(bool published, CancellationToken cancellationToken)
        => published && _feed is { } feed ? feed.FenceAsync(cancellationToken) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        if (_revocations is not null)
        {
            await _revocations.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private bool IsSessionKey(RedisKey key)
    {
        // {prefix}{PPPPPPPP}:s:{hash} — the partition tag is 10 characters including braces.
        var name = (string)key!;
        var at = _keys.Prefix.Length + 10;
        return name.Length > at + 3 && string.CompareOrdinal(name, at, ":s:", 0, 3) == 0;
    }

    private static RedisKey[] NextPage(IEnumerator<RedisKey> keys)
    {
        var page = new List<RedisKey>(DeleteAllPageSize);
        while (page.Count < DeleteAllPageSize && keys.MoveNext())
        {
            page.Add(keys.Current);
        }

        return [.. page];
    }

    private Task<RedisResult> EvaluateAsync(RedisScript script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
        => _connection.RunAsync(db => script.EvaluateAsync(db, keys, values), cancellationToken);

    private static SessionKey[] ToKeys(string partition, RedisResult result)
    {
        var hashes = (RedisValue[])result!;
        var keys = new SessionKey[hashes.Length];
        for (var i = 0; i < hashes.Length; i++)
        {
            keys[i] = new SessionKey(partition, (string)hashes[i]!);
        }

        return keys;
    }

    private sealed class Subscription(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> callback) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(subscriber.UnsubscribeAsync(channel, callback, CommandFlags.None));
    }
}
