using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// An <see cref="ISessionStore"/> on Redis (standalone or Cluster): one packed string per session and one sorted set per
/// subject, every multi-key change one Lua script (see <see cref="RedisSessionScripts"/>). Sessions are shared by every
/// app instance that uses the same Redis and key prefix.
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
    private readonly RedisChangeFeed _feed;

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
        _feed = new RedisChangeFeed(_connection, _channel, options.KeyPrefix, options.ConfirmationTimeout, time, logger);
    }

    /// <summary>The pub/sub channel revocations are published on.</summary>
    internal string Channel => _channel;

    /// <summary>The key layout (for tests and operator tooling).</summary>
    internal RedisSessionKeys Keys => _keys;

    internal RedisConnection Connection => _connection;

    public async Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.Key.IsWellFormed)
        {
            throw new ArgumentException("The session key must be one SessionKit issued.", nameof(session));
        }

        var partition = await PartitionForAsync(session.Subject, session.Key.Partition, session.AbsoluteExpiresAt, cancellationToken).ConfigureAwait(false);
        var stored = session with { Key = new SessionKey(partition, session.Key.Hash) };
        var value = SessionRecordCodec.Encode(stored, 1);
        RedisKey[] keys = [_keys.Index(partition, session.Subject), _keys.Session(stored.Key), _keys.SubjectClaims(partition, session.Subject)];
        RedisValue[] values =
        [
            Now(), Math.Max(maxSessionsPerSubject, 0), value,
            SessionRecordCodec.ToMs(session.CreatedAt), SessionRecordCodec.ToMs(session.ExpiresAt), SessionRecordCodec.ToMs(session.AbsoluteExpiresAt),
            _keys.SessionBase(partition), session.Key.Hash, _channel, partition,
        ];
        var created = await WriteAsync(RedisSessionScripts.Create, keys, values, revokes: maxSessionsPerSubject > 0, (db, create) => CompensateAbandonedCreate(db, create, stored.Key), cancellationToken).ConfigureAwait(false);
        var result = (RedisResult[])created!;
        var evicted = ToKeys(partition, result[0]);
        await ConfirmAsync(evicted, cancellationToken).ConfigureAwait(false);
        if (!result[1].IsNull && result[1].Resp2Type == ResultType.BulkString)
        {
            stored = SessionRecordCodec.Decode(stored.Key, (byte[])result[1]!) ?? stored;
        }

        return new SessionCreateResult(stored with { Version = 1 }, evicted);
    }

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!key.IsWellFormed)
        {
            return null;
        }

        var redisKey = (RedisKey)_keys.Session(key);
        // Decoded straight from the client's pooled buffer: no copy of the value per validation.
        using var lease = await _connection.RunAsync(db => db.StringGetLeaseAsync(redisKey, CommandFlags.None), cancellationToken).ConfigureAwait(false);
        return lease is null ? null : Live(key, lease.Span);
    }

    public async Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        if (!key.IsWellFormed)
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
        if (!session.Key.IsWellFormed)
        {
            return false;
        }

        var partition = session.Key.Partition;
        RedisKey[] keys = [_keys.Session(session.Key)];
        RedisValue[] values =
        [
            Now(), expectedVersion, SessionRecordCodec.Encode(session, expectedVersion + 1), SessionRecordCodec.EncodeSubject(session.Subject),
            SessionRecordCodec.EncodeScheme(session.Scheme), _keys.IndexBase(partition), _keys.SessionBase(partition), session.Key.Hash,
        ];
        return (long)await EvaluateAsync(RedisSessionScripts.Update, keys, values, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!key.IsWellFormed)
        {
            return false;
        }

        RedisKey[] keys = [_keys.Session(key)];
        RedisValue[] values = [Now(), _keys.IndexBase(key.Partition), key.Hash, _channel, new RedisRevocation(RedisRevocationReason.Deleted, key).Format()];
        var deleted = (long)await WriteAsync(RedisSessionScripts.Delete, keys, values, revokes: true, cancellationToken).ConfigureAwait(false) == 1;
        if (deleted)
        {
            await ConfirmAsync([key], cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    public async Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return await FindPartitionAsync(subject, cancellationToken).ConfigureAwait(false) is { } partition
            ? await ListAsync(subject, partition, after: null, limit: 0, cancellationToken).ConfigureAwait(false)
            : [];
    }

    public async Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (await FindPartitionAsync(subject, cancellationToken).ConfigureAwait(false) is not { } partition)
        {
            return [];
        }

        RedisKey[] keys = [_keys.Index(partition, subject)];
        RedisValue[] values = [Now(), _keys.SessionBase(partition), _channel, partition, except is { } kept && kept.Partition == partition ? kept.Hash : ""];
        var deleted = ToKeys(partition, await WriteAsync(RedisSessionScripts.DeleteBySubject, keys, values, revokes: true, cancellationToken).ConfigureAwait(false));
        await ConfirmAsync(deleted, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(claims);
        // The subject needs a partition even without sessions: a sign-in racing with this update must find these claims.
        var partition = await PartitionForAsync(subject, RedisPartitions.New(), retainUntil, cancellationToken).ConfigureAwait(false);
        RedisKey[] keys = [_keys.Index(partition, subject), _keys.SubjectClaims(partition, subject)];
        RedisValue[] values =
        [
            Now(), _keys.SessionBase(partition), SessionRecordCodec.EncodeClaims(claims.Claims, claims.Permissions), claims.Version,
            SessionRecordCodec.ToMs(retainUntil), _channel, partition,
        ];
        var result = (RedisResult[])(await WriteAsync(RedisSessionScripts.UpdateClaims, keys, values, revokes: true, cancellationToken).ConfigureAwait(false))!;
        var updated = ToKeys(partition, result[2]);
        await ConfirmAsync(updated, cancellationToken).ConfigureAwait(false);
        return new SubjectClaimsUpdateResult((long)result[0] == 1, long.Parse((string)result[1]!, System.Globalization.CultureInfo.InvariantCulture), updated);
    }

    /// <summary>
    /// Deletes every key under the prefix. The only operation that scans: it visits every primary the client knows, a page
    /// of keys at a time. Meant for operators ("log everyone out"), never for a request path. Returns the number of session
    /// records deleted.
    /// </summary>
    public async Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await _connection.GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        long deleted = 0;
        foreach (var server in RedisServers.Primaries(multiplexer))
        {
            await foreach (var page in RedisServers.ScanAsync(server, _connection.Database, _keys.ScanPattern, DeleteAllPageSize, cursor: 0, cancellationToken).ConfigureAwait(false))
            {
                var keys = page.Keys;
                var results = _revocations is { } revocations
                    ? await revocations.DeleteAsync(keys, cancellationToken).ConfigureAwait(false)
                    : await _connection.RunAsync(db => Task.WhenAll(keys.Select(k => db.KeyDeleteAsync(k, CommandFlags.None))), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < keys.Length; i++)
                {
                    if (results[i] && _keys.TryParseSession((string)keys[i]!, out _))
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
        await _feed.ConfirmAsync(keys: null, cancellationToken).ConfigureAwait(false);
        _logger.AllDeleted(deleted);
        return deleted;
    }

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new RedisSessionQuery(this).RunAsync(query, cancellationToken);
    }

    /// <summary>A subject's live sessions, oldest first, strictly after <paramref name="after"/> (creation ms, hash).</summary>
    internal async Task<IReadOnlyList<SessionRecord>> ListAsync(string subject, string partition, (long Created, string Hash)? after, int limit, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [_keys.Index(partition, subject)];
        RedisValue[] values = [Now(), _keys.SessionBase(partition), after?.Created ?? -1, after?.Hash ?? "", limit];
        var pairs = (RedisResult[])(await EvaluateAsync(RedisSessionScripts.List, keys, values, cancellationToken).ConfigureAwait(false))!;
        var sessions = new List<SessionRecord>(pairs.Length / 2);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            var key = new SessionKey(partition, (string)pairs[i]!);
            if (Decode(key, (byte[])pairs[i + 1]!) is { } record && string.Equals(record.Subject, subject, StringComparison.Ordinal))
            {
                sessions.Add(record);
            }
        }

        return sessions;
    }

    /// <summary>The partition the subject's sessions live in, or <see langword="null"/> when it has none.</summary>
    internal async Task<string?> FindPartitionAsync(string subject, CancellationToken cancellationToken)
    {
        var map = (RedisKey)_keys.PartitionMap(subject);
        var partition = (string?)await _connection.RunAsync(db => db.StringGetAsync(map, CommandFlags.None), cancellationToken).ConfigureAwait(false);
        return RedisPartitions.IsWellFormed(partition) ? partition : null;
    }

    /// <summary>Decodes a stored value; a value this release cannot read is logged and treated as missing.</summary>
    internal SessionRecord? Decode(SessionKey key, ReadOnlySpan<byte> value)
    {
        var record = SessionRecordCodec.Decode(key, value);
        if (record is null)
        {
            _logger.UnreadableRecord(key.Hash.Length >= 8 ? key.Hash[..8] : key.Hash);
        }

        return record;
    }

    /// <summary>Decodes a stored value and hides it when expired by the store's clock.</summary>
    internal SessionRecord? Live(SessionKey key, ReadOnlySpan<byte> value)
        => Decode(key, value) is { } record && !record.IsExpiredAt(_time.GetUtcNow()) ? record : null;

    /// <summary>
    /// Subscribes <paramref name="handler"/> to this store's revocation channel (for cache invalidation across
    /// instances). Dispose the result to unsubscribe. Messages that are not revocations are ignored.
    /// </summary>
    internal async Task<IAsyncDisposable> SubscribeRevocationsAsync(Action<RedisRevocation> handler, CancellationToken cancellationToken)
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
        };
        await _connection.RunAsync(_ => subscriber.SubscribeAsync(channel, callback, CommandFlags.None).ContinueWith(static _ => true, TaskScheduler.Default), cancellationToken).ConfigureAwait(false);
        return new Subscription(subscriber, channel, callback);
    }

    /// <inheritdoc />
    public bool IsCurrent => _feed.IsCurrent;

    /// <inheritdoc />
    public IDisposable Subscribe(Action<SessionKey> changed, Action reset) => _feed.Subscribe(changed, reset);

    private Task ConfirmAsync(SessionKey[] changed, CancellationToken cancellationToken)
        => changed.Length > 0 ? _feed.ConfirmAsync(changed, cancellationToken) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _feed.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        if (_revocations is not null)
        {
            await _revocations.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The subject's partition; the proposed one when it has none yet. Either way its map entry is kept at least until
    /// <paramref name="keepUntil"/>: a read (the entry and its time to live) when it already lives long enough, which is
    /// the usual case, and a write only to create or extend it — by twice what is needed, so that the next sign-ins of
    /// the subject read only.
    /// </summary>
    private async Task<string> PartitionForAsync(string subject, string proposed, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        var map = (RedisKey)_keys.PartitionMap(subject);
        var now = _time.GetUtcNow();
        var current = await _connection.RunAsync(db => db.StringGetWithExpiryAsync(map, CommandFlags.None), cancellationToken).ConfigureAwait(false);
        if (RedisPartitions.IsWellFormed(current.Value) && current.Expiry is { } remaining && now + remaining >= keepUntil)
        {
            return (string)current.Value!;
        }

        RedisKey[] keys = [map];
        RedisValue[] values = [Now(), proposed, SessionRecordCodec.ToMs(keepUntil + (keepUntil - now))];
        var partition = (string?)await EvaluateAsync(RedisSessionScripts.Partition, keys, values, cancellationToken).ConfigureAwait(false);
        return RedisPartitions.IsWellFormed(partition)
            ? partition!
            : throw new InvalidOperationException($"The partition map entry of a subject under '{_keys.Prefix}' holds something SessionKit did not write.");
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
