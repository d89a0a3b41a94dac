using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>Creating a session: the per-subject maximum, the subject's latest claims, and abandoned creates.</summary>
internal sealed partial class MongoSessionStore
{
    /// <summary>How long a tombstone keeps a late insert of an abandoned session out; far longer than any insert stays in flight.</summary>
    internal static readonly TimeSpan TombstoneLifetime = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan CompensationTimeout = TimeSpan.FromSeconds(10);
    private static readonly FindOneAndUpdateOptions<BsonDocument> ReturnAfter = new() { ReturnDocument = ReturnDocument.After };

    /// <summary>
    /// Stores a new session. With a maximum, under the subject's lease: evict the oldest live sessions beyond it, insert,
    /// release. Then write-then-check against a concurrent claims update: the session is inserted first, the subject's
    /// latest claims are read after, and the session corrects itself when they are newer than its own — while the
    /// update writes the subject's claims first and the sessions after, so whichever of the two finishes second sees the
    /// other.
    /// </summary>
    public async Task<SessionCreateResult> CreateAsync(SessionRecord session, int maxSessionsPerSubject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.Key.IsWellFormed)
        {
            throw new ArgumentException("The session key must be one SessionKit issued.", nameof(session));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (maxSessionsPerSubject <= 0)
        {
            var stored = await InsertAsync(session, static async (s, r, t) => await s._subjects.FindOneAndUpdateAsync<BsonDocument>(
                new BsonDocument(SubjectDocument.Id, r.Subject), new BsonDocument("$max", SubjectDocument.KeepUntil(r.AbsoluteExpiresAt)), ReturnAfter, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return new SessionCreateResult(stored, []);
        }

        var owner = await RunAsync("create", session, static (s, r, t) => s._lease.AcquireAsync(r.Subject, r.AbsoluteExpiresAt, t), cancellationToken).ConfigureAwait(false);
        var released = false;
        try
        {
            var evicted = await EvictOldestAsync(session.Subject, maxSessionsPerSubject - 1, cancellationToken).ConfigureAwait(false);
            var stored = await InsertAsync(session, async (s, r, t) =>
            {
                var subject = await s._lease.ReleaseAsync(r.Subject, owner, t).ConfigureAwait(false);
                released = true;
                // Null when the lease had run out and another sign-in took it over: read the subject's document then.
                return subject ?? await s._subjects.Find(new BsonDocument(SubjectDocument.Id, r.Subject)).Limit(1).FirstOrDefaultAsync(t).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return new SessionCreateResult(stored, evicted);
        }
        finally
        {
            if (!released)
            {
                await _lease.ReleaseQuietlyAsync(session.Subject, owner).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the subject's oldest live sessions so that at most <paramref name="keep"/> remain; returns their keys.</summary>
    private async Task<List<SessionKey>> EvictOldestAsync(string subject, int keep, CancellationToken cancellationToken)
    {
        var live = await FindKeysAsync("create", SessionFilters.LiveSubject(subject, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var evicted = new List<SessionKey>();
        for (var i = 0; i < live.Count - keep; i++)
        {
            var key = live[i];
            var result = await RunAsync("create", key, static (s, k, t) => s._sessions.DeleteOneAsync(SessionFilters.Key(k), t), cancellationToken).ConfigureAwait(false);
            if (result.DeletedCount == 1)
            {
                evicted.Add(key);
            }
        }

        return evicted;
    }

    /// <summary>
    /// Inserts the session, reads the subject's document with <paramref name="readSubject"/> (after the insert, so that a
    /// concurrent claims update is seen by one side or the other) and reconciles. When anything fails or is cancelled
    /// after the insert was sent, the session is taken back (<see cref="AbandonAsync"/>): nobody will hold its id.
    /// </summary>
    private async Task<SessionRecord> InsertAsync(SessionRecord session, Func<MongoSessionStore, SessionRecord, CancellationToken, Task<BsonDocument?>> readSubject, CancellationToken cancellationToken)
    {
        var document = SessionDocument.Encode(session, 1);
        try
        {
            await RunAsync("create", document, static async (s, d, t) =>
            {
                await s._sessions.InsertOneAsync(d, options: null, t).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoException e) when (MongoErrors.IsDuplicateKey(e))
        {
            // Never compensated: the _id belongs to another session (or to a tombstone of an abandoned one).
            throw new InvalidOperationException("A session with this key already exists.", e);
        }
        catch (Exception)
        {
            // Cancelled or failed: the insert may still reach the server, or may have been applied already.
            await AbandonAsync(session.Key).ConfigureAwait(false);
            throw;
        }

        try
        {
            var subject = await RunAsync("create", session, readSubject, cancellationToken).ConfigureAwait(false);
            return await ReconcileAsync(session, subject, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await AbandonAsync(session.Key).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Gives a new session the subject's latest claims (or version) when they are newer than its own.</summary>
    private async Task<SessionRecord> ReconcileAsync(SessionRecord session, BsonDocument? subjectDocument, CancellationToken cancellationToken)
    {
        if (ReadLatestClaims(subjectDocument) is not { } latest)
        {
            return session;
        }

        BsonDocument filter;
        BsonDocument set;
        if (session.ClaimsVersion == 0)
        {
            // The app gave no version: the session keeps the claims it was created with and takes the subject's
            // version, so that the next update still reaches it.
            filter = new BsonDocument { { SessionDocument.Id, session.Key.Hash }, { SessionDocument.ClaimsVersion, 0L } };
            set = new BsonDocument(SessionDocument.ClaimsVersion, latest.Version);
        }
        else if (session.ClaimsVersion < latest.Version)
        {
            filter = new BsonDocument { { SessionDocument.Id, session.Key.Hash }, { SessionDocument.ClaimsVersion, new BsonDocument("$lt", latest.Version) } };
            set = new BsonDocument
            {
                { SessionDocument.Claims, SessionDocument.EncodeClaims(latest.Claims) },
                { SessionDocument.Permissions, SessionDocument.EncodePermissions(latest.Permissions) },
                { SessionDocument.ClaimsVersion, latest.Version },
            };
        }
        else
        {
            return session;
        }

        var update = new BsonDocument("$set", set);
        var document = await RunAsync("create", (filter, update), static (s, a, t) => s._sessions.FindOneAndUpdateAsync<BsonDocument>(a.filter, a.update, ReturnAfter, t), cancellationToken).ConfigureAwait(false)
            // No match: a concurrent claims update already gave the session newer claims; read what it holds.
            ?? await RunAsync("create", session.Key, static (s, k, t) => s._sessions.Find(SessionFilters.Key(k)).Limit(1).FirstOrDefaultAsync(t), cancellationToken).ConfigureAwait(false);
        return document is not null && Decode(document) is { } stored ? stored : session;
    }

    /// <summary>The subject's latest claims from its document; a document edited into another shape is logged and ignored.</summary>
    private SubjectClaims? ReadLatestClaims(BsonDocument? subjectDocument)
    {
        try
        {
            return SubjectDocument.LatestClaims(subjectDocument);
        }
        catch (FormatException e)
        {
            _logger.UndecodableDocument(_subjects.CollectionNamespace.CollectionName, "subject", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Takes back a session whose creator gave up or failed after sending the insert, without the caller's token: deletes
    /// it, or, when it is not there (yet), inserts a tombstone with its <c>_id</c>, so that an insert still in flight
    /// fails on the duplicate key instead of leaving a session nobody holds. Failures are logged (the server is likely
    /// unreachable, and then the insert most likely did not land either).
    /// </summary>
    private async Task AbandonAsync(SessionKey key)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CompensationTimeout);
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var deleted = await _sessions.DeleteOneAsync(SessionFilters.Key(key), timeout.Token).ConfigureAwait(false);
                if (deleted.DeletedCount == 1)
                {
                    _logger.CreateAbandoned(key.Hash[..8], "deleted");
                    return;
                }

                var tombstone = new BsonDocument
                {
                    { SessionDocument.Id, key.Hash },
                    { SessionDocument.Tombstone, true },
                    { SessionDocument.Expires, SessionDocument.Date(_time.GetUtcNow() + TombstoneLifetime) },
                };
                try
                {
                    await _sessions.InsertOneAsync(tombstone, options: null, timeout.Token).ConfigureAwait(false);
                    _logger.CreateAbandoned(key.Hash[..8], "tombstone");
                    return;
                }
                catch (MongoException e) when (MongoErrors.IsDuplicateKey(e))
                {
                    // The insert landed in between: delete it on the next attempt.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException || MongoErrors.IsInfrastructure(e) || e is MongoException)
        {
            _logger.CreateAbandonFailed(key.Hash[..8], e);
        }
    }
}
