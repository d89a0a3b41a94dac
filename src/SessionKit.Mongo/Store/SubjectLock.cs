using Microsoft.Extensions.Logging;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Connection;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo;

/// <summary>
/// A short lease on one subject, held while a creation enforces the per-subject maximum, so that parallel sign-ins
/// of one user (on any number of app instances) are serialized: list, evict and insert happen as one step. Taken by
/// inserting <c>{_id: subject, owner, expiresAt}</c> into the lock collection (the unique <c>_id</c> is the mutual
/// exclusion); a lease left by a crashed holder is taken over with a conditional <c>findAndModify</c> once expired.
/// </summary>
internal sealed class SubjectLock(MongoClient client, MongoStoreSettings settings, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(15);

    public async Task<IAsyncDisposable> AcquireAsync(string subject, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var deadline = DateTime.UtcNow + AcquireTimeout;
        var delay = 2;
        while (true)
        {
            var now = time.GetUtcNow();
            var lease = new BsonDocument().Add("_id", subject).Add("owner", owner).Add("expiresAt", BsonDateTime.From(now + settings.LockLease));
            try
            {
                var (insert, sequences) = MongoCommands.Insert(settings.LockCollection, [lease], settings.WriteConcern);
                await client.WriteAsync(settings.Database, insert, sequences, cancellationToken).ConfigureAwait(false);
                return new Release(this, subject, owner);
            }
            catch (MongoServerException e) when (e.Code == MongoServerException.DuplicateKey)
            {
                // Held by someone else: take it over only if its lease has run out.
                var takeOver = MongoCommands.FindAndModify(
                    settings.LockCollection,
                    new BsonDocument().Add("_id", subject).Add("expiresAt", new BsonDocument().Add("$lte", BsonDateTime.From(now))),
                    new BsonDocument().Add("$set", new BsonDocument().Add("owner", owner).Add("expiresAt", BsonDateTime.From(now + settings.LockLease))),
                    returnNew: true,
                    upsert: false,
                    settings.WriteConcern);
                var reply = await client.WriteAsync(settings.Database, takeOver, [], cancellationToken).ConfigureAwait(false);
                if (reply["value"] is BsonDocument)
                {
                    return new Release(this, subject, owner);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The per-subject session lock stayed busy for {AcquireTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(Random.Shared.Next(1, delay + 1), cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 50);
        }
    }

    private async Task ReleaseAsync(string subject, string owner)
    {
        try
        {
            using var timeout = new CancellationTokenSource(settings.Connection.SocketTimeout);
            var delete = MongoCommands.Delete(settings.LockCollection, new BsonDocument().Add("_id", subject).Add("owner", owner), 1, settings.WriteConcern);
            await client.WriteAsync(settings.Database, delete, [], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.SubjectLockReleaseFailed(e);
        }
    }

    private sealed class Release(SubjectLock owner, string subject, string ownerId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(owner.ReleaseAsync(subject, ownerId));
    }
}
