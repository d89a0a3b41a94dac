using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>What the store writes (the documents an operator sees in mongosh) and how it treats documents it cannot read.</summary>
public sealed class MongoDocumentTests(WirePeerFixture fixture) : IClassFixture<WirePeerFixture>
{
    private readonly FakeTimeProvider _clock = new(StoreTestData.Now());
    private readonly FakeLogger<MongoSessionStore> _logger = new();

    [Fact]
    public async Task A_session_is_one_plain_document_keyed_by_its_hash_with_a_format_version()
    {
        var (store, sessions, _) = NewStore();
        var record = StoreTestData.NewRecord("alice", _clock.GetUtcNow());

        await store.CreateAsync(record, 0, CancellationToken.None);

        var document = Assert.Single(await sessions.Find(new BsonDocument()).ToListAsync());
        Assert.Equal(["_id", "v", "p", "sub", "scheme", "c", "seen", "idle", "abs", "x", "ver", "cv", "claims", "permissions", "client", "data"], document.Names);
        Assert.Equal(record.Key.Hash, document["_id"].AsString);
        Assert.Equal(1, document["v"].AsInt32);
        Assert.Equal(record.Key.Partition, document["p"].AsString);
        Assert.Equal("alice", document["sub"].AsString);
        Assert.Equal("SessionJwt", document["scheme"].AsString);
        Assert.Equal(record.IdleExpiresAt.ToUnixTimeMilliseconds(), document["x"].AsBsonDateTime.MillisecondsSinceEpoch);
        Assert.Equal(1L, document["ver"].AsInt64);
        Assert.Equal(3L, document["cv"].AsInt64);
        Assert.Equal(new BsonArray { new BsonDocument { { "t", "role" }, { "v", "admin" } } }, document["claims"]);
        Assert.Equal(new BsonDocument { { "ip", "203.0.113.7" }, { "ua", "curl/8" } }, document["client"]);
        // Data keys may hold '.' and '$' (not allowed in field names), so data is an array of { k, v: BinData }.
        Assert.Equal(new BsonDocument { { "k", "$theme" }, { "v", new BsonBinaryData([3]) } }, document["data"][0]);
        Assert.Equal([1, 2], (await store.GetAsync(record.Key, CancellationToken.None))!.Data["cart.items"]);
    }

    [Fact]
    public async Task A_claims_update_writes_the_subjects_own_document_with_a_ttl_date()
    {
        var (store, _, subjects) = NewStore();
        var retainUntil = _clock.GetUtcNow().AddHours(8);

        await store.UpdateSubjectClaimsAsync("bob", new SubjectClaims([new SessionClaim("name", "Bob")], ["READ"], 4), retainUntil, CancellationToken.None);

        var document = Assert.Single(await subjects.Find(new BsonDocument()).ToListAsync());
        Assert.Equal("bob", document["_id"].AsString);
        Assert.Equal(4L, document["version"].AsInt64);
        Assert.Equal(new BsonArray { "READ" }, document["permissions"]);
        Assert.Equal(retainUntil.ToUnixTimeMilliseconds(), document["expireAt"].AsBsonDateTime.MillisecondsSinceEpoch);
    }

    [Fact]
    public async Task Indexes_are_created_once_per_store_ttl_on_the_expiry_dates_and_for_subject_and_creation_order()
    {
        var (store, sessions, subjects) = NewStore();
        await store.GetAsync(StoreTestData.NewKey(), CancellationToken.None);
        await store.GetAsync(StoreTestData.NewKey(), CancellationToken.None);

        var sessionIndexes = await (await sessions.Indexes.ListAsync()).ToListAsync();
        var subjectIndexes = await (await subjects.Indexes.ListAsync()).ToListAsync();

        var ttl = Assert.Single(sessionIndexes, i => i["name"] == "x_1");
        Assert.Equal(new BsonDocument("x", 1), ttl["key"]);
        Assert.Equal(0, ttl["expireAfterSeconds"].ToInt32());
        Assert.Contains(sessionIndexes, i => i["key"] == new BsonDocument { { "sub", 1 }, { "c", 1 } });
        Assert.Contains(sessionIndexes, i => i["key"] == new BsonDocument { { "c", 1 }, { "_id", 1 } });
        Assert.Equal(0, Assert.Single(subjectIndexes, i => i["name"] == "expireAt_1")["expireAfterSeconds"].ToInt32());
        Assert.Equal(1, fixture.Peer.Received.Count(c => c.GetValue("createIndexes", "") == sessions.CollectionNamespace.CollectionName));
    }

    [Theory]
    [InlineData("v", 2)]
    [InlineData("sub", 42)]
    [InlineData("claims", "not an array")]
    [InlineData("ver", "1")]
    [InlineData("c", "yesterday")]
    [InlineData("data", 7)]
    public async Task A_document_of_another_format_or_edited_into_another_shape_reads_as_not_found_and_is_logged_each_time(string field, object value)
    {
        var (store, sessions, _) = NewStore();
        var record = StoreTestData.NewRecord("dave", _clock.GetUtcNow());
        var other = StoreTestData.NewRecord("dave", _clock.GetUtcNow());
        await store.CreateAsync(record, 0, CancellationToken.None);
        await store.CreateAsync(other, 0, CancellationToken.None);
        await sessions.UpdateOneAsync(new BsonDocument("_id", record.Key.Hash), new BsonDocument("$set", new BsonDocument(field, BsonValue.Create(value))));

        Assert.Null(await store.GetAsync(record.Key, CancellationToken.None));
        Assert.Null(await store.GetAsync(record.Key, CancellationToken.None));
        Assert.Equal([other.Key], (await store.ListBySubjectAsync("dave", CancellationToken.None)).Select(s => s.Key));

        var warnings = _logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Id.Name == "MongoUndecodableDocument").ToList();
        Assert.True(warnings.Count >= 2, $"Expected one warning per read, got {warnings.Count}.");
        Assert.All(warnings, w => Assert.Contains(record.Key.Hash[..8], w.Message, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.DoesNotContain(record.Key.Hash, w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paging_goes_past_a_document_edited_into_another_shape_without_failing()
    {
        var (store, sessions, _) = NewStore();
        var created = new List<SessionKey>();
        for (var i = 0; i < 4; i++)
        {
            created.Add((await store.CreateAsync(StoreTestData.NewRecord("paged", _clock.GetUtcNow().AddSeconds(i)), 0, CancellationToken.None)).Session.Key);
        }

        await sessions.UpdateOneAsync(new BsonDocument("_id", created[1].Hash), new BsonDocument("$set", new BsonDocument { { "c", "not a date" }, { "v", 9 } }));
        var seen = new List<SessionKey>();
        string? token = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await store.QueryAsync(new SessionQuery { PageSize = 1, ContinuationToken = token }, CancellationToken.None);
            seen.AddRange(page.Sessions.Select(s => s.Key));
            if ((token = page.ContinuationToken) is null)
            {
                break;
            }
        }

        Assert.Null(token);
        Assert.Equal([created[0], created[2], created[3]], seen);
    }

    [Fact]
    public async Task Deleting_all_sessions_keeps_subject_documents_and_counts_live_sessions_only()
    {
        var (store, sessions, subjects) = NewStore();
        await store.CreateAsync(StoreTestData.NewRecord("erin", _clock.GetUtcNow()), 0, CancellationToken.None);
        await store.CreateAsync(StoreTestData.NewRecord("erin", _clock.GetUtcNow()) with { IdleExpiresAt = _clock.GetUtcNow().AddMinutes(1) }, 0, CancellationToken.None);
        await store.UpdateSubjectClaimsAsync("erin", new SubjectClaims([], ["X"], 9), _clock.GetUtcNow().AddHours(1), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, await store.DeleteAllAsync(CancellationToken.None));

        Assert.Equal(0, await sessions.CountDocumentsAsync(new BsonDocument()));
        Assert.Equal(1, await subjects.CountDocumentsAsync(new BsonDocument()));
    }

    private (MongoSessionStore Store, IMongoCollection<BsonDocument> Sessions, IMongoCollection<BsonDocument> Subjects) NewStore()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var options = new MongoSessionStoreOptions { CollectionName = "sessions_" + suffix, SubjectCollectionName = "subjects_" + suffix };
        var store = new MongoSessionStore(fixture.Database, options, _clock, _logger);
        return (store, fixture.Database.GetCollection<BsonDocument>(options.CollectionName), fixture.Database.GetCollection<BsonDocument>(options.SubjectCollectionName));
    }
}
