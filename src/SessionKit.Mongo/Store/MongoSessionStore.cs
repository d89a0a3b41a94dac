using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>
/// <see cref="ISessionStore"/> on MongoDB through the official driver: one document per session
/// (<see cref="SessionDocument"/>) and one per subject that has had a claims update or a limited sign-in
/// (<see cref="SubjectDocument"/>). Single-session operations are one conditional command each; subject operations are
/// one <c>deleteMany</c> / <c>updateMany</c> by subject. Every read hides expired sessions by the store's clock, so an
/// expired session is "not found" before the TTL monitor purges it.
/// </summary>
/// <remarks>
/// The store never creates, owns or disposes a client: it is given a database (the app's, or the one SessionKit made
/// from a connection string, which DI disposes). Reads go to the primary: a sign-in must see the claims update that was
/// just written, and a session must be found where it was just created.
/// </remarks>
internal sealed partial class MongoSessionStore : ISessionStore
{
    private static readonly FindOneAndDeleteOptions<BsonDocument> DeleteReturningExpiry = new()
    {
        Projection = new BsonDocument { { SessionDocument.IdleExpires, 1 }, { SessionDocument.AbsoluteExpires, 1 } },
    };

    private readonly IMongoCollection<BsonDocument> _sessions;
    private readonly IMongoCollection<BsonDocument> _subjects;
    private readonly MongoSessionIndexes _indexes;
    private readonly SubjectLease _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly string? _password;

    public MongoSessionStore(IMongoDatabase database, MongoSessionStoreOptions options, TimeProvider time, ILogger<MongoSessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        var settings = new MongoCollectionSettings { ReadPreference = ReadPreference.Primary };
        if (database.Settings.WriteConcern is { IsAcknowledged: false })
        {
            // The store must know whether a write happened (compare-and-set, the per-subject maximum).
            settings.WriteConcern = WriteConcern.Acknowledged;
        }

        _sessions = database.GetCollection<BsonDocument>(options.CollectionName, settings);
        _subjects = database.GetCollection<BsonDocument>(options.SubjectCollectionName, settings);
        _time = time;
        _logger = logger;
        _indexes = new MongoSessionIndexes(_sessions, _subjects, time, logger);
        _lease = new SubjectLease(_subjects, options.SubjectLeaseDuration, time, logger);
        var clientSettings = database.Client.Settings;
        _endpoint = string.Join(",", clientSettings.Servers.Select(s => s.ToString()));
        _password = (clientSettings.Credential?.Evidence as PasswordEvidence)?.ToInsecureString();
    }

    /// <summary>The session collection (for tests and operator tooling).</summary>
    internal IMongoCollection<BsonDocument> Sessions => _sessions;

    /// <summary>The subject collection (for tests and operator tooling).</summary>
    internal IMongoCollection<BsonDocument> Subjects => _subjects;

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!key.IsWellFormed)
        {
            return null;
        }

        // By _id alone: a document of another format is then found, logged, and reported as missing.
        var document = await RunAsync("get", key, static (s, k, t) => s._sessions.Find(new BsonDocument(SessionDocument.Id, k.Hash)).Limit(1).FirstOrDefaultAsync(t), cancellationToken).ConfigureAwait(false);
        return document is not null && Live(document) is { } record && record.Key.Partition == key.Partition ? record : null;
    }

    public async Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        if (!key.IsWellFormed)
        {
            return false;
        }

        // x (the TTL field) follows the idle expiry; reads check both expiry dates, so a TTL that runs past the absolute
        // expiry only delays the purge.
        var update = new BsonDocument("$set", new BsonDocument
        {
            { SessionDocument.LastSeen, SessionDocument.Date(lastSeenAt) },
            { SessionDocument.IdleExpires, SessionDocument.Date(idleExpiresAt) },
            { SessionDocument.Expires, SessionDocument.Date(idleExpiresAt) },
        });
        var filter = SessionFilters.LiveKey(key, _time.GetUtcNow());
        var result = await RunAsync("touch", (filter, update), static (s, a, t) => s._sessions.UpdateOneAsync(a.filter, a.update, options: null, t), cancellationToken).ConfigureAwait(false);
        return result.MatchedCount == 1;
    }

    public async Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.Key.IsWellFormed)
        {
            return false;
        }

        // Compare-and-set: of two writers that read the same version, exactly one matches. Subject and scheme are in
        // the filter, so a record can never be moved to another user or scheme.
        var filter = SessionFilters.LiveKey(session.Key, _time.GetUtcNow())
            .Add(SessionDocument.Subject, session.Subject)
            .Add(SessionDocument.Scheme, session.Scheme is null ? BsonNull.Value : new BsonString(session.Scheme))
            .Add(SessionDocument.Version, expectedVersion);
        var replacement = SessionDocument.Encode(session, expectedVersion + 1);
        var result = await RunAsync("update", (filter, replacement), static (s, a, t) => s._sessions.ReplaceOneAsync(a.filter, a.replacement, (ReplaceOptions?)null, t), cancellationToken).ConfigureAwait(false);
        return result.MatchedCount == 1;
    }

    public async Task<bool> DeleteAsync(SessionKey key, CancellationToken cancellationToken)
    {
        if (!key.IsWellFormed)
        {
            return false;
        }

        // One command that also removes an expired record; only a live one counts as deleted.
        var deleted = await RunAsync("delete", key, static (s, k, t) => s._sessions.FindOneAndDeleteAsync(SessionFilters.Key(k), DeleteReturningExpiry, t), cancellationToken).ConfigureAwait(false);
        return deleted is not null && IsLive(deleted);
    }

    /// <summary>
    /// Runs one step against the server: ensures the indexes first, and reports infrastructure failures as
    /// <see cref="SessionStoreUnavailableException"/> (or as cancellation when the caller gave up meanwhile).
    /// </summary>
    private async Task<TResult> RunAsync<TState, TResult>(string operation, TState state, Func<MongoSessionStore, TState, CancellationToken, Task<TResult>> step, CancellationToken cancellationToken)
    {
        try
        {
            await _indexes.EnsureAsync(cancellationToken).ConfigureAwait(false);
            return await step(this, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (MongoErrors.IsInfrastructure(e))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The caller gave up on the MongoDB call.", e, cancellationToken);
            }

            throw MongoErrors.Unavailable(operation, _endpoint, e, _password);
        }
    }

    /// <summary>Decodes a session document; one this release cannot read is logged and treated as missing.</summary>
    private SessionRecord? Decode(BsonDocument document)
    {
        if (SessionDocument.IsTombstone(document))
        {
            return null;
        }

        var record = SessionDocument.Decode(document, out var problem);
        if (record is null)
        {
            var id = document.GetValue(SessionDocument.Id, BsonNull.Value);
            var reference = id is BsonString { Value.Length: >= 8 } text ? text.Value[..8] : "?";
            _logger.UndecodableDocument(_sessions.CollectionNamespace.CollectionName, reference, problem!);
        }

        return record;
    }

    /// <summary>Decodes a session document and hides it when expired by the store's clock.</summary>
    private SessionRecord? Live(BsonDocument document)
        => Decode(document) is { } record && !record.IsExpiredAt(_time.GetUtcNow()) ? record : null;

    private bool IsLive(BsonDocument document)
    {
        var now = _time.GetUtcNow();
        return document.GetValue(SessionDocument.IdleExpires, BsonNull.Value) is BsonDateTime idle && document.GetValue(SessionDocument.AbsoluteExpires, BsonNull.Value) is BsonDateTime absolute
            && Math.Min(idle.MillisecondsSinceEpoch, absolute.MillisecondsSinceEpoch) > now.ToUnixTimeMilliseconds();
    }
}
