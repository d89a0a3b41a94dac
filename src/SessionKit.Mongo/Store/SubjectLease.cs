using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>
/// A short lease on one subject, held by a sign-in while it enforces the per-subject maximum, so that parallel sign-ins
/// of one user on any number of app instances list, evict and insert one at a time. It lives in the subject's own
/// document (<see cref="SubjectDocument"/>): taking it is one <c>findAndModify</c> that matches a free or expired lease
/// and upserts the document when there is none — a duplicate key means "held by someone else".
/// </summary>
/// <remarks>
/// MongoDB has no multi-document atomicity without transactions (which need a replica set and retry loops of their
/// own), and a lock-free scheme (insert, then trim) lets a reader see the subject over its maximum for a moment. A
/// holder that dies leaves the lease for <see cref="MongoSessionStoreOptions.SubjectLeaseDuration"/>, after which the
/// next sign-in takes it over.
/// </remarks>
internal sealed class SubjectLease(IMongoCollection<BsonDocument> subjects, TimeSpan duration, TimeProvider time, ILogger logger)
{
    private const int MaxBackoffMilliseconds = 32;
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);
    private static readonly FindOneAndUpdateOptions<BsonDocument> Upsert = new() { IsUpsert = true, Projection = new BsonDocument(SubjectDocument.Id, 1) };
    private static readonly FindOneAndUpdateOptions<BsonDocument> ReturnAfter = new() { ReturnDocument = ReturnDocument.After };

    /// <summary>Takes the subject's lease, waiting (with jittered backoff) while another sign-in holds it.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="keepUntil">Keeps the subject document at least until then (the new session's absolute expiry).</param>
    /// <param name="cancellationToken">The caller's deadline: the only bound on the wait.</param>
    /// <returns>The owner token to release the lease with.</returns>
    public async Task<string> AcquireAsync(string subject, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        for (var backoff = 1; ; backoff = Math.Min(backoff * 2, MaxBackoffMilliseconds))
        {
            var now = SessionDocument.Date(time.GetUtcNow());
            var free = new BsonDocument
            {
                { SubjectDocument.Id, subject },
                { "$or", new BsonArray { new BsonDocument(SubjectDocument.Lease, BsonNull.Value), new BsonDocument(SubjectDocument.LeaseUntil, new BsonDocument("$lte", now)) } },
            };
            var take = new BsonDocument
            {
                { "$set", new BsonDocument { { SubjectDocument.Lease, owner }, { SubjectDocument.LeaseUntil, SessionDocument.Date(time.GetUtcNow() + duration) } } },
                { "$setOnInsert", SubjectDocument.Empty },
                { "$max", SubjectDocument.KeepUntil(keepUntil) },
            };
            try
            {
                await subjects.FindOneAndUpdateAsync<BsonDocument>(free, take, Upsert, cancellationToken).ConfigureAwait(false);
                return owner;
            }
            catch (MongoCommandException e) when (MongoErrors.IsDuplicateKey(e))
            {
                // Held: the filter did not match an existing document, so the upsert collided with it.
            }

            // Real time, not the store's clock: a test clock that stands still must not stall the wait.
            await Task.Delay(Random.Shared.Next(1, backoff + 1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Releases the lease and returns the subject document as it is afterwards (the sign-in reads the subject's latest
    /// claims from it), or <see langword="null"/> when the lease had run out and was taken over.
    /// </summary>
    public async Task<BsonDocument?> ReleaseAsync(string subject, string owner, CancellationToken cancellationToken)
        => await subjects.FindOneAndUpdateAsync<BsonDocument>(Held(subject, owner), Unset, ReturnAfter, cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the lease after a failure, without the caller's token (bounded); a failure is logged: the lease runs out by itself.</summary>
    public async Task ReleaseQuietlyAsync(string subject, string owner)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            await subjects.UpdateOneAsync(Held(subject, owner), Unset, options: null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or MongoException)
        {
            logger.SubjectLeaseReleaseFailed(e);
        }
    }

    private static BsonDocument Held(string subject, string owner) => new()
    {
        { SubjectDocument.Id, subject },
        { SubjectDocument.Lease, owner },
    };

    private static BsonDocument Unset { get; } = new("$unset", new BsonDocument { { SubjectDocument.Lease, "" }, { SubjectDocument.LeaseUntil, "" } });
}
