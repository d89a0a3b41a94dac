using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>
/// Creates the store's indexes once, on first use (<c>createIndexes</c> is idempotent, so every instance may do it): the
/// TTL indexes that purge expired sessions and subject documents, the subject index and the creation-time index the
/// queries page through. A failure (no <c>createIndex</c> privilege, a server that is down) is logged and retried a
/// minute later; it never fails a session operation, because correctness does not depend on the indexes — reads check
/// expiry themselves, and the TTL monitor only purges.
/// </summary>
internal sealed class MongoSessionIndexes(IMongoCollection<BsonDocument> sessions, IMongoCollection<BsonDocument> subjects, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(1);
    private int _creating;
    private volatile bool _ensured;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    /// <summary>The session collection's indexes.</summary>
    public static IReadOnlyList<CreateIndexModel<BsonDocument>> SessionIndexes { get; } =
    [
        Index(new BsonDocument(SessionDocument.Expires, 1), "x_1", ttl: true),
        Index(new BsonDocument { { SessionDocument.Subject, 1 }, { SessionDocument.Created, 1 } }, "sub_1_c_1", ttl: false),
        Index(new BsonDocument { { SessionDocument.Created, 1 }, { SessionDocument.Id, 1 } }, "c_1__id_1", ttl: false),
    ];

    /// <summary>The subject collection's index.</summary>
    public static IReadOnlyList<CreateIndexModel<BsonDocument>> SubjectIndexes { get; } =
    [
        Index(new BsonDocument(SubjectDocument.ExpireAt, 1), "expireAt_1", ttl: true),
    ];

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        // Only one caller creates them; the others go on at once (the indexes are an optimisation, not a precondition).
        if (_ensured || time.GetUtcNow() < _nextAttempt || Interlocked.CompareExchange(ref _creating, 1, 0) != 0)
        {
            return;
        }

        try
        {
            if (_ensured)
            {
                return;
            }

            await sessions.Indexes.CreateManyAsync(SessionIndexes, cancellationToken).ConfigureAwait(false);
            await subjects.Indexes.CreateManyAsync(SubjectIndexes, cancellationToken).ConfigureAwait(false);
            _ensured = true;
            logger.IndexesEnsured(sessions.Database.DatabaseNamespace.DatabaseName, sessions.CollectionNamespace.CollectionName, subjects.CollectionNamespace.CollectionName);
        }
        catch (Exception e) when (e is MongoException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            _nextAttempt = time.GetUtcNow() + RetryInterval;
            logger.IndexCreationFailed(sessions.Database.DatabaseNamespace.DatabaseName, sessions.CollectionNamespace.CollectionName, e);
        }
        finally
        {
            Volatile.Write(ref _creating, 0);
        }
    }

    private static CreateIndexModel<BsonDocument> Index(BsonDocument keys, string name, bool ttl)
        => new(new BsonDocumentIndexKeysDefinition<BsonDocument>(keys), new CreateIndexOptions
        {
            Name = name,
            ExpireAfter = ttl ? TimeSpan.Zero : null,
        });
}
