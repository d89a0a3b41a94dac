using Microsoft.Extensions.Logging;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Connection;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo;

/// <summary>
/// <see cref="ISessionStore"/> on MongoDB, one document per session (see <see cref="SessionDocument"/>). Every read
/// filters on both expiry dates, so an expired session is "not found" even before the TTL monitor (every 60 s) removes
/// it. Single-session writes are single conditional commands (atomic on the server); compare-and-set matches the
/// version in the update's filter; the per-subject maximum is enforced under a <see cref="SubjectLock"/>.
/// </summary>
internal sealed class MongoSessionStore : ISessionStore, IAsyncDisposable
{
    private static readonly TimeSpan IndexRetryInterval = TimeSpan.FromMinutes(1);
    private readonly MongoClient _client;
    private readonly MongoStoreSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SubjectLock _subjectLock;
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private volatile bool _indexesEnsured;
    private DateTimeOffset _nextIndexAttempt = DateTimeOffset.MinValue;

    public MongoSessionStore(MongoStoreSettings settings, TimeProvider time, ILogger<MongoSessionStore> logger)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _client = new MongoClient(settings.Connection, logger);
        _subjectLock = new SubjectLock(_client, settings, time, logger);
    }

    private string Db => _settings.Database;

    private string Collection => _settings.Collection;

    public async Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);
        if (maxSessionsPerSubject <= 0)
        {
            await InsertAsync(session, cancellationToken).ConfigureAwait(false);
            return [];
        }

        var held = await _subjectLock.AcquireAsync(session.Subject, cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            var live = await FindAsync(SubjectLive(session.Subject), OldestFirst(), cancellationToken).ConfigureAwait(false);
            var evicted = new List<SessionKey>();
            for (var i = 0; i <= live.Count - maxSessionsPerSubject; i++)
            {
                if (await DeleteOneAsync(new BsonDocument().Add("_id", live[i].Key.Hash).Add("partition", live[i].Key.Partition), cancellationToken).ConfigureAwait(false))
                {
                    evicted.Add(live[i].Key);
                }
            }

            await InsertAsync(session, cancellationToken).ConfigureAwait(false);
            return evicted;
        }
    }

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);
        var found = await FindAsync(KeyLive(key), sort: null, cancellationToken, limit: 1).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);

        // expiresAt (the TTL field) follows the idle expiry, which the session manager never sets past the absolute
        // expiry; reads check both expiry fields anyway, so the TTL index only ever purges.
        var update = new BsonDocument().Add("$set", new BsonDocument()
            .Add("lastSeenAt", BsonDateTime.From(lastSeenAt))
            .Add("idleExpiresAt", BsonDateTime.From(idleExpiresAt))
            .Add("expiresAt", BsonDateTime.From(idleExpiresAt)));
        return await UpdateOneAsync(KeyLive(key), update, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);
        var filter = KeyLive(session.Key).Add("subject", session.Subject).Add("version", expectedVersion);
        var replacement = SessionDocument.From(session, expectedVersion + 1);
        var set = new BsonDocument();
        foreach (var (name, value) in replacement)
        {
            if (name is not ("_id" or "partition" or "subject"))
            {
                set.Add(name, value);
            }
        }

        return await UpdateOneAsync(filter, new BsonDocument().Add("$set", set), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);
        return await DeleteOneAsync(KeyLive(key), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(SubjectLive(subject), OldestFirst(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var deleted = new List<SessionKey>();
        foreach (var session in await ListBySubjectAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            if (await DeleteOneAsync(KeyLive(session.Key), cancellationToken).ConfigureAwait(false))
            {
                deleted.Add(session.Key);
            }
        }

        return deleted;
    }

    public async Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        var update = new BsonDocument()
            .Add("$set", new BsonDocument().Add("claims", SessionDocument.Claims(claims)).Add("permissions", SessionDocument.Permissions(permissions)))
            .Add("$inc", new BsonDocument().Add("version", 1L));
        var updated = new List<SessionKey>();
        foreach (var session in await ListBySubjectAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            if (await UpdateOneAsync(KeyLive(session.Key), update, cancellationToken).ConfigureAwait(false))
            {
                updated.Add(session.Key);
            }
        }

        return updated;
    }

    public async Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken).ConfigureAwait(false);
        var reply = await _client.WriteOnceAsync(Db, MongoCommands.Delete(Collection, [], 0, _settings.WriteConcern), cancellationToken).ConfigureAwait(false);
        return reply.GetInt64("n");
    }

    /// <summary>
    /// Creates the TTL index on <c>expiresAt</c> and the subject index, once (createIndexes is idempotent on the server).
    /// A failure is logged and retried a minute later; it never fails a session operation, because correctness does
    /// not depend on the indexes (reads check expiry; the TTL index only purges).
    /// </summary>
    internal async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        if (_indexesEnsured || _time.GetUtcNow() < _nextIndexAttempt || !await _indexGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var command = MongoCommands.CreateIndexes(
                Collection,
                ("expiresAt_1", new BsonDocument().Add("expiresAt", 1), 0),
                ("subject_1_createdAt_1", new BsonDocument().Add("subject", 1).Add("createdAt", 1), null));
            await _client.ReadAsync(Db, command, cancellationToken).ConfigureAwait(false);
            _indexesEnsured = true;
            _logger.IndexesEnsured(Db, Collection);
        }
        catch (Exception e) when (e is MongoServerException or IOException or TimeoutException or WireProtocolException)
        {
            _nextIndexAttempt = _time.GetUtcNow() + IndexRetryInterval;
            _logger.IndexCreationFailed(Db, Collection, e);
        }
        finally
        {
            _indexGate.Release();
        }
    }

    private BsonDocument NotExpired(BsonDocument filter)
    {
        var now = BsonDateTime.From(_time.GetUtcNow());
        return filter
            .Add("idleExpiresAt", new BsonDocument().Add("$gt", now))
            .Add("absoluteExpiresAt", new BsonDocument().Add("$gt", now));
    }

    private BsonDocument KeyLive(SessionKey key)
        => NotExpired(new BsonDocument().Add("_id", key.Hash ?? "").Add("partition", key.Partition ?? ""));

    private BsonDocument SubjectLive(string subject) => NotExpired(new BsonDocument().Add("subject", subject));

    private static BsonDocument OldestFirst() => new BsonDocument().Add("createdAt", 1).Add("_id", 1);

    private async Task InsertAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var (command, sequences) = MongoCommands.Insert(Collection, [SessionDocument.From(session, 1)], _settings.WriteConcern);
        try
        {
            await _client.WriteAsync(Db, command, sequences, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoServerException e) when (e.Code == MongoServerException.DuplicateKey)
        {
            throw new InvalidOperationException("A session with this key already exists.", e);
        }
    }

    private async Task<bool> UpdateOneAsync(BsonDocument filter, BsonDocument update, CancellationToken cancellationToken)
    {
        var reply = await _client.WriteAsync(Db, MongoCommands.UpdateOne(Collection, filter, update, _settings.WriteConcern), [], cancellationToken).ConfigureAwait(false);
        return reply.GetInt64("n") == 1;
    }

    private async Task<bool> DeleteOneAsync(BsonDocument filter, CancellationToken cancellationToken)
    {
        var reply = await _client.WriteAsync(Db, MongoCommands.Delete(Collection, filter, 1, _settings.WriteConcern), [], cancellationToken).ConfigureAwait(false);
        return reply.GetInt64("n") == 1;
    }

    private async Task<List<SessionRecord>> FindAsync(BsonDocument filter, BsonDocument? sort, CancellationToken cancellationToken, int limit = 0)
    {
        var find = MongoCommands.Find(Collection, filter, sort, limit);
        var reply = await _client.ReadAsync(Db, find, cancellationToken).ConfigureAwait(false);
        var records = new List<SessionRecord>();
        var cursor = reply.GetDocument("cursor") ?? throw new WireProtocolException("A find reply has no cursor.");
        AddBatch(records, cursor.GetArray("firstBatch"));
        var cursorId = cursor.GetInt64("id");
        while (cursorId != 0 && (limit == 0 || records.Count < limit))
        {
            // A cursor belongs to the session that opened it: getMore carries the find's lsid.
            var getMore = MongoCommands.GetMore(Collection, cursorId);
            if (find["lsid"] is BsonDocument lsid)
            {
                getMore.Add("lsid", lsid);
            }

            var more = await _client.ReadAsync(Db, getMore, cancellationToken).ConfigureAwait(false);
            cursor = more.GetDocument("cursor") ?? throw new WireProtocolException("A getMore reply has no cursor.");
            AddBatch(records, cursor.GetArray("nextBatch"));
            cursorId = cursor.GetInt64("id");
        }

        return records;
    }

    /// <summary>
    /// Maps a batch; a document someone edited into another shape is skipped (and logged), so it reads as "not found"
    /// (the request is refused as unauthenticated) instead of failing every request of that user as a store outage.
    /// </summary>
    private void AddBatch(List<SessionRecord> records, BsonArray? batch)
    {
        foreach (var document in batch?.OfType<BsonDocument>() ?? [])
        {
            try
            {
                records.Add(SessionDocument.ToRecord(document));
            }
            catch (InvalidDataException e)
            {
                _logger.CorruptSessionDocument(Collection, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _indexGate.Dispose();
    }
}
