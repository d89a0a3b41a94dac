using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>Operations on many sessions: by subject (through the <c>{ sub, c }</c> index), everyone, and paged queries.</summary>
internal sealed partial class MongoSessionStore
{
    private static readonly FindOneAndUpdateOptions<BsonDocument> UpsertReturningAfter = new() { IsUpsert = true, ReturnDocument = ReturnDocument.After };

    public async Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var filter = SessionFilters.LiveSubject(subject, _time.GetUtcNow());
        var documents = await RunAsync("list_by_subject", filter, static (s, f, t) => s._sessions.Find(f).Sort(SessionFilters.OldestFirst).ToListAsync(t), cancellationToken).ConfigureAwait(false);
        return DecodeLive(documents);
    }

    /// <summary>
    /// One <c>deleteMany</c> by subject, preceded by a find of the live keys it reports (the driver returns a count only).
    /// A session inserted between the two is deleted too, without being reported.
    /// </summary>
    public async Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var live = SessionFilters.Except(SessionFilters.LiveSubject(subject, _time.GetUtcNow()), except);
        var keys = await FindKeysAsync("delete_by_subject", live, cancellationToken).ConfigureAwait(false);
        if (keys.Count > 0)
        {
            var all = SessionFilters.Except(new BsonDocument(SessionDocument.Subject, subject), except);
            await RunAsync("delete_by_subject", all, static (s, f, t) => s._sessions.DeleteManyAsync(f, t), cancellationToken).ConfigureAwait(false);
        }

        return keys;
    }

    /// <summary>
    /// Writes the subject's document first (conditionally on its version), then gives the claims to the subject's live
    /// sessions with an older claims version in one <c>updateMany</c>. A sign-in that inserts its session after this
    /// update passed over the sessions reads the subject's document afterwards and corrects itself (see
    /// <see cref="CreateAsync"/>); two updates end in version order because each write is conditional on the version.
    /// </summary>
    public async Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(claims);
        var claimsArray = SessionDocument.EncodeClaims(claims.Claims);
        var permissionsArray = SessionDocument.EncodePermissions(claims.Permissions);
        if (await WriteSubjectClaimsAsync(subject, claims.Version, claimsArray, permissionsArray, retainUntil, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            var current = await RunAsync("update_subject_claims", subject, static (s, id, t) => s._subjects.Find(new BsonDocument(SubjectDocument.Id, id)).Limit(1).FirstOrDefaultAsync(t), cancellationToken).ConfigureAwait(false);
            return new SubjectClaimsUpdateResult(false, ReadLatestClaims(current)?.Version ?? 0, []);
        }

        var older = SessionFilters.LiveSubject(subject, _time.GetUtcNow()).Add(SessionDocument.ClaimsVersion, new BsonDocument("$lt", version));
        var keys = await FindKeysAsync("update_subject_claims", older, cancellationToken).ConfigureAwait(false);
        if (keys.Count > 0)
        {
            var update = new BsonDocument
            {
                { "$set", new BsonDocument { { SessionDocument.Claims, claimsArray }, { SessionDocument.Permissions, permissionsArray }, { SessionDocument.ClaimsVersion, version } } },
                { "$inc", new BsonDocument(SessionDocument.Version, 1L) },
            };
            await RunAsync("update_subject_claims", (older, update), static (s, a, t) => s._sessions.UpdateManyAsync(a.older, a.update, options: null, t), cancellationToken).ConfigureAwait(false);
        }

        return new SubjectClaimsUpdateResult(true, version, keys);
    }

    /// <summary>
    /// Deletes every session: the live ones first (their number is returned), then the expired ones not purged yet.
    /// Tombstones stay (they still keep abandoned inserts out); subject documents stay (claims versions are user data).
    /// </summary>
    public async Task<long> DeleteAllAsync(CancellationToken cancellationToken)
    {
        var live = SessionFilters.Live(new BsonDocument(), _time.GetUtcNow());
        var deleted = await RunAsync("delete_all", live, static (s, f, t) => s._sessions.DeleteManyAsync(f, t), cancellationToken).ConfigureAwait(false);
        await RunAsync("delete_all", 0, static (s, _, t) => s._sessions.DeleteManyAsync(SessionFilters.AnySession, t), cancellationToken).ConfigureAwait(false);
        _logger.AllDeleted(deleted.DeletedCount);
        return deleted.DeletedCount;
    }

    /// <summary>
    /// One page in <c>(c, _id)</c> order: through the <c>{ sub, c }</c> index for a subject, the <c>{ c, _id }</c> index
    /// otherwise; the continuation token is the last document's <c>(c, _id)</c>.
    /// </summary>
    public async Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > SessionQuery.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, $"PageSize must be between 1 and {SessionQuery.MaxPageSize}.");
        }

        var conditions = new BsonArray();
        if (MongoQueryPosition.After(query.ContinuationToken) is { } after)
        {
            conditions.Add(after);
        }

        AddRange(conditions, SessionDocument.Created, query.CreatedFrom, query.CreatedBefore);
        AddRange(conditions, SessionDocument.LastSeen, query.LastSeenFrom, query.LastSeenBefore);
        var filter = SessionFilters.Live(query.Subject is { } subject ? new BsonDocument(SessionDocument.Subject, subject) : new BsonDocument(), _time.GetUtcNow());
        if (conditions.Count > 0)
        {
            filter.Add("$and", conditions);
        }

        var documents = await RunAsync("query", (filter, query.PageSize), static (s, a, t) => s._sessions.Find(a.filter).Sort(SessionFilters.OldestFirst).Limit(a.PageSize + 1).ToListAsync(t), cancellationToken).ConfigureAwait(false);
        var more = documents.Count > query.PageSize;
        if (more)
        {
            documents.RemoveAt(documents.Count - 1);
        }

        return new SessionQueryPage(DecodeLive(documents), more ? MongoQueryPosition.Format(documents[^1]) : null);
    }

    /// <summary>Writes the subject's claims unless it has the same or a newer version; returns the version written, or null.</summary>
    private async Task<long?> WriteSubjectClaimsAsync(string subject, long version, BsonArray claims, BsonArray permissions, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        var set = new BsonDocument { { SessionDocument.Claims, claims }, { SessionDocument.Permissions, permissions } };
        BsonDocument filter;
        BsonDocument update;
        if (version == 0)
        {
            filter = new BsonDocument(SubjectDocument.Id, subject);
            update = new BsonDocument { { "$set", set }, { "$inc", new BsonDocument(SubjectDocument.Version, 1L) }, { "$max", SubjectDocument.KeepUntil(retainUntil) } };
        }
        else
        {
            filter = new BsonDocument { { SubjectDocument.Id, subject }, { SubjectDocument.Version, new BsonDocument("$lt", version) } };
            update = new BsonDocument { { "$set", set.Add(SubjectDocument.Version, version) }, { "$max", SubjectDocument.KeepUntil(retainUntil) } };
        }

        // An upsert whose filter matches nothing collides with an existing document: it holds the same or a newer
        // version — unless the document was created concurrently, which one more attempt tells apart.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var written = await RunAsync("update_subject_claims", (filter, update), static (s, a, t) => s._subjects.FindOneAndUpdateAsync<BsonDocument>(a.filter, a.update, UpsertReturningAfter, t), cancellationToken).ConfigureAwait(false);
                return SessionDocument.Int64(written, SubjectDocument.Version);
            }
            catch (MongoException e) when (MongoErrors.IsDuplicateKey(e) && attempt < 3)
            {
                if (attempt > 0 && version != 0)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>The keys of the sessions that match <paramref name="filter"/>, oldest first.</summary>
    private async Task<List<SessionKey>> FindKeysAsync(string operation, BsonDocument filter, CancellationToken cancellationToken)
    {
        var documents = await RunAsync(operation, filter, static (s, f, t) => s._sessions.Find(f).Sort(SessionFilters.OldestFirst).Project(SessionFilters.KeyOnly).ToListAsync(t), cancellationToken).ConfigureAwait(false);
        var keys = new List<SessionKey>(documents.Count);
        foreach (var document in documents)
        {
            if (document.GetValue(SessionDocument.Partition, BsonNull.Value) is BsonString partition && document[SessionDocument.Id] is BsonString hash)
            {
                keys.Add(new SessionKey(partition.Value, hash.Value));
            }
        }

        return keys;
    }

    private List<SessionRecord> DecodeLive(List<BsonDocument> documents)
    {
        var records = new List<SessionRecord>(documents.Count);
        foreach (var document in documents)
        {
            if (Live(document) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    private static void AddRange(BsonArray conditions, string field, DateTimeOffset? from, DateTimeOffset? before)
    {
        if (from is { } start)
        {
            conditions.Add(new BsonDocument(field, new BsonDocument("$gte", SessionDocument.Date(start))));
        }

        if (before is { } end)
        {
            conditions.Add(new BsonDocument(field, new BsonDocument("$lt", SessionDocument.Date(end))));
        }
    }
}
